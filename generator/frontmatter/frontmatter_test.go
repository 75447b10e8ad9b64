package frontmatter

import (
	"strings"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/generator/diag"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name, src    string
		format       Format
		matter, body string
		bodyLine     int
		wantErr      string
	}{
		{"toml", "+++\ntitle = \"x\"\n+++\nBody\n", TOML, "title = \"x\"\n", "Body\n", 4, ""},
		{"yaml", "---\ntitle: x\n---\nBody\n", YAML, "title: x\n", "Body\n", 4, ""},
		{"crlf", "+++\r\ntitle = \"x\"\r\n+++\r\nBody", TOML, "title = \"x\"\r\n", "Body", 4, ""},
		{"bom", "\xef\xbb\xbf---\na: 1\n---\n", YAML, "a: 1\n", "", 4, ""},
		{"none", "Just text\n", None, "", "Just text\n", 1, ""},
		{"empty matter", "+++\n+++\nB", TOML, "", "B", 3, ""},
		{"unclosed", "+++\ntitle = 1\n", None, "", "", 0, `x.md:1:1: front matter opened with "+++" is never closed`},
		{"dashes in body", "---\na: 1\n---\ntext\n---\nmore", YAML, "a: 1\n", "text\n---\nmore", 4, ""},
		{"not a delimiter", "+++ nope\n", None, "", "+++ nope\n", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := SplitFile("x.md", []byte(tt.src))
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want prefix %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Format != tt.format || string(s.Matter) != tt.matter || string(s.Body) != tt.body || s.BodyLine != tt.bodyLine {
				t.Errorf("got %v %q %q line %d; want %v %q %q line %d", s.Format, s.Matter, s.Body, s.BodyLine, tt.format, tt.matter, tt.body, tt.bodyLine)
			}
		})
	}
}

// TestTOMLPositions checks that every key, including keys of inline tables
// inside arrays and of array-of-tables, is placed on its own line.
func TestTOMLPositions(t *testing.T) {
	src := `title = "A"   # comment with key = "x"
tags = ["a",
  "b"]
cover = { src = "p.jpg", alt = "Pier" }
gallery = [
  { src = "a.jpg", alt = "" },
  { src = "b.jpg", alt = "B" },
]
note = """
fake = "not a key"
"""
[rights]
license = "CC-BY-4.0"
[[winners]]
entry = "x"
[[winners]]
entry = "y"
`
	m, err := Decode("s.md", TOML, []byte(src), 2)
	if err != nil {
		t.Fatal(err)
	}
	check := func(want int, v *Value, what string) {
		t.Helper()
		if v.Pos.Line != want {
			t.Errorf("%s at line %d, want %d", what, v.Pos.Line, want)
		}
	}
	// Lines are those of the whole file: the block starts on line 2.
	check(2, m.Values["title"], "title")
	check(4, m.Values["tags"].List[1], "tags[1]")
	g := m.Values["gallery"].List
	check(7, g[0].Map.Values["alt"], "gallery[0].alt")
	check(8, g[1].Map.Values["src"], "gallery[1].src")
	check(5, m.Values["cover"].Map.Values["alt"], "cover.alt")
	check(14, m.Values["rights"].Map.Values["license"], "rights.license")
	check(18, m.Values["winners"].List[1].Map.Values["entry"], "winners[1].entry")
	if _, ok := m.Values["fake"]; ok {
		t.Error("a line inside a multi-line string was taken for a key")
	}
	if got := m.KeyPos["cover"]; got.Col != 1 || got.File != "s.md" {
		t.Errorf("cover key pos = %+v", got)
	}
	if want := []string{"title", "tags", "cover", "gallery", "note", "rights", "winners"}; strings.Join(m.Keys, ",") != strings.Join(want, ",") {
		t.Errorf("keys in order %v, want %v", m.Keys, want)
	}
}

func TestYAMLValues(t *testing.T) {
	src := `title: "Blue hour"
date: 2026-09-14
count: 3
ok: true
tags:
  - a
  - b
cover:
  src: p.jpg
  alt: Pier
quoted: "2026-01-01"
`
	m, err := Decode("s.md", YAML, []byte(src), 2)
	if err != nil {
		t.Fatal(err)
	}
	if v := m.Values["date"]; v.Kind != KindDate || !v.DateOnly || v.Time.Day() != 14 || v.Pos.Line != 3 {
		t.Errorf("date = %+v", v)
	}
	if v := m.Values["quoted"]; v.Kind != KindString {
		t.Errorf("a quoted date must stay a string, got %v", v.Kind)
	}
	if v := m.Values["count"]; v.Kind != KindInt || v.Int != 3 {
		t.Errorf("count = %+v", v)
	}
	if v := m.Values["cover"].Map.Values["alt"]; v.Str != "Pier" || v.Pos.Line != 11 || v.Pos.Col != 8 {
		t.Errorf("cover.alt = %+v", v)
	}
	if v := m.Values["tags"].List[1]; v.Str != "b" || v.Pos.Line != 8 {
		t.Errorf("tags[1] = %+v", v)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		format Format
		src    string
		want   string
	}{
		{TOML, "title = \"x\"\ntitle = \"y\"\n", "s.md:3:"},
		{TOML, "title = \n", "s.md:2:"},
		{YAML, "a: [1, 2\n", "s.md:"},
		{YAML, "a: &x 1\nb: *x\n", "s.md:3:4: YAML aliases"},
		{YAML, "- a\n- b\n", "front matter must be a mapping"},
		{YAML, "a: 1\na: 2\n", `s.md:3:1: invalid YAML: mapping key "a" already defined`},
	}
	for _, tt := range tests {
		_, err := Decode("s.md", tt.format, []byte(tt.src), 2)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v %q: err = %v, want it to contain %q", tt.format, tt.src, err, tt.want)
		}
	}
}

func TestFields(t *testing.T) {
	src := "title = 3\nkind = \"film\"\nextra = 1\n[rights]\nlicence = \"x\"\n"
	m, err := Decode("s.md", TOML, []byte(src), 1)
	if err != nil {
		t.Fatal(err)
	}
	var errs diag.List
	f := NewFields(m, "", &errs)
	f.String("title", true)
	f.OneOf("kind", true, "", "photo", "poem")
	f.String("ambassador", true)
	if r := f.Table("rights", true); r != nil {
		r.String("license", true)
		r.Done()
	}
	f.Done()
	got := errs.Err().Error()
	for _, want := range []string{
		"s.md:1:1: title must be a string, not an integer",
		`s.md:2:1: kind is "film"; it must be one of "photo", "poem"`,
		`s.md:3:1: unknown field "extra"`,
		`s.md:1:1: missing required field "ambassador"`,
		`s.md:5:1: unknown field "rights.licence"`,
		`s.md:4:1: missing required field "rights.license"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack %q; got:\n%s", want, got)
		}
	}
}

// TestDatesAndZones: a date or time without a zone is placed in the site's
// zone; one with an offset, UTC included, keeps it.
func TestDatesAndZones(t *testing.T) {
	hel, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		t.Skip("no time zone database")
	}
	src := "a = 2026-09-14\nb = 2026-09-14T08:30:00\nc = 2026-09-14T08:30:00Z\nd = \"2026-09-14\"\ne = 2026-09-14T08:30:00+05:00\n"
	m, err := Decode("s.md", TOML, []byte(src), 1)
	if err != nil {
		t.Fatal(err)
	}
	var errs diag.List
	f := NewFields(m, "", &errs)
	for key, want := range map[string]string{
		"a": "2026-09-14T00:00:00+03:00",
		"b": "2026-09-14T08:30:00+03:00",
		"c": "2026-09-14T08:30:00Z",
		"d": "2026-09-14T00:00:00+03:00",
		"e": "2026-09-14T08:30:00+05:00",
	} {
		got, ok := f.Date(key, true, hel)
		if !ok || got.Format(time.RFC3339) != want {
			t.Errorf("%s = %s (%v), want %s", key, got.Format(time.RFC3339), ok, want)
		}
	}
	y, err := Decode("s.md", YAML, []byte("a: 2026-09-14\nb: 2026-09-14T08:30:00Z\n"), 1)
	if err != nil {
		t.Fatal(err)
	}
	fy := NewFields(y, "", &errs)
	if got, _ := fy.Date("a", true, hel); got.Format(time.RFC3339) != "2026-09-14T00:00:00+03:00" {
		t.Errorf("YAML date = %s", got)
	}
	if got, _ := fy.Date("b", true, hel); got.Format(time.RFC3339) != "2026-09-14T08:30:00Z" {
		t.Errorf("YAML UTC date-time = %s", got)
	}
}

// TestSyntaxHints checks that the usual syntax mistakes keep the parser's
// message and place and name the fix.
func TestSyntaxHints(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		src    string
		want   string
	}{
		{"toml dotted date", TOML, "title = \"x\"\ndate = 30.11.2026\n",
			`s.md:3:8: invalid TOML: Invalid float value: "30.11.2026": write dates as YYYY-MM-DD, e.g. 2026-11-30`},
		{"toml slashed date", TOML, "date = 11/30/2026 # published\n",
			`s.md:2:10: invalid TOML: expected a top-level item to end with a newline, comment, or EOF, but got '/' instead: write dates as YYYY-MM-DD, e.g. 2026-11-30`},
		{"toml curly quotes", TOML, "title = “Harbour lights”\n",
			`s.md:2:9: invalid TOML: expected value but found '“' instead: use straight quotes (") instead of curly ones (“ ”)`},
		{"toml bare text", TOML, "title = Note: harbour\n",
			`s.md:2:9: invalid TOML: expected value but found "Note" instead: quote text values: title = "Note: harbour"`},
		{"yaml tab", YAML, "title: x\nplace:\n\tname: Pier\n",
			"s.md:4:1: invalid YAML: found character '\t' that cannot start any token: indent with spaces, not tabs"},
		{"yaml colon", YAML, "title: x\nsummary: Note: the pier is closed\n",
			`s.md:3:10: invalid YAML: mapping value is not allowed in this context: the value holds ": ", so quote it: summary: "Note: the pier is closed"`},
		{"yaml curly quotes", YAML, "title: “Harbour: lights”\n",
			`s.md:2:8: invalid YAML: mapping value is not allowed in this context: use straight quotes (") instead of curly ones (“ ”)`},
		{"no hint", TOML, "title = \n",
			`s.md:2:9: invalid TOML: expected value but found '\n' instead`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode("s.md", tt.format, []byte(tt.src), 2)
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v\nwant  %s", err, tt.want)
			}
		})
	}
}

// TestDateHint checks that a date string in another order is rewritten.
func TestDateHint(t *testing.T) {
	m, err := Decode("s.md", YAML, []byte("date: 30.11.2026\n"), 2)
	if err != nil {
		t.Fatal(err)
	}
	var errs diag.List
	f := NewFields(m, "", &errs)
	f.Date("date", true, time.UTC)
	want := `s.md:2:1: date is "30.11.2026"; write a date as YYYY-MM-DD, e.g. 2026-11-30`
	if err := errs.Err(); err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant  %s", err, want)
	}
}
