package frontmatter

import (
	"runtime"
	"strings"
	"testing"
)

// allocated returns the bytes f allocates; allocation is deterministic, so
// this is a bound on memory, not a timing.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHostileFrontMatterIsBounded decodes blocks of up to 1 MB built to
// make the parsers' memory grow with the square of the nesting (once 5 GB
// for 100 KB of brackets): each must fail with a placed error, or decode,
// within 200 MB.
func TestHostileFrontMatterIsBounded(t *testing.T) {
	const mb = 1 << 20
	const bound = 200 << 20
	rep := func(s string, n int) string { return strings.Repeat(s, n) }
	tests := []struct {
		name   string
		format Format
		src    string
		err    string // the error's prefix; "" decodes
	}{
		{"toml brackets", TOML, "title = " + rep("[", 50_000) + rep("]", 50_000) + "\n", "x.md:2:25: lists and tables nested more than 16 deep"},
		{"toml brackets 1MB", TOML, "a = 1\ntitle = " + rep("[", mb/2) + rep("]", mb/2-20) + "\n", "x.md:3:25: lists and tables nested more than 16 deep"},
		{"toml inline tables", TOML, "title = " + rep("{a=", 200_000) + "1" + rep("}", 200_000) + "\n", "x.md:2:"},
		{"toml dotted key", TOML, rep("a.", 300_000) + "a = 1\n", "x.md:2:"},
		{"toml header", TOML, "[" + rep("a.", 300_000) + "a]\n", "x.md:2:"},
		{"toml long key", TOML, rep("k", 500_000) + " = [" + rep("1,", 200_000) + "]\n", "x.md:2:"},
		{"toml many values", TOML, "tags = [" + rep("\"x\",", 200_000) + "]\n", "x.md:2:"},
		{"toml too big", TOML, "note = \"" + rep("x", mb+1) + "\"\n", "x.md:2:1: front matter is"},
		{"yaml flow", YAML, "title: " + rep("[", 50_000) + rep("]", 50_000) + "\n", "x.md:2:24: lists and tables nested more than 16 deep"},
		{"yaml flow maps", YAML, "title: " + rep("{a: ", 200_000) + "1" + rep("}", 200_000) + "\n", "x.md:2:"},
		{"yaml many lines", YAML, "tags:\n" + rep("  - x\n", 170_000), "x.md:"},
		{"yaml block nesting", YAML, "a:\n" + func() string {
			var b strings.Builder
			for i := 1; b.Len() < mb-20_000; i++ {
				b.WriteString(rep(" ", i%1400) + "- \n")
			}
			return b.String()
		}(), "x.md:"},
		{"toml within limits", TOML, "tags = [" + rep("\"xxxxxxxxxxxxxxxxxxxxxxx\",", 9_000) + "]\nnote = \"" + rep("y", 700_000) + "\"\n", ""},
		{"yaml within limits", YAML, "tags: [" + rep("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx, ", 9_000) + "]\nnote: " + rep("y", 600_000) + "\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			n := allocated(func() { _, err = Decode("x.md", tt.format, []byte(tt.src), 2) })
			t.Logf("%d KB in, %d KB allocated", len(tt.src)>>10, n>>10)
			if n > bound {
				t.Errorf("%d MB allocated for %d KB of front matter", n>>20, len(tt.src)>>10)
			}
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("err = %v", err)
			case tt.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.err)):
				t.Errorf("err = %.200v, want prefix %q", err, tt.err)
			}
		})
	}
}

// TestLimitsKeepOrdinaryFrontMatter: strings holding brackets, quotes and
// comment signs are not mistaken for nesting.
func TestLimitsKeepOrdinaryFrontMatter(t *testing.T) {
	for _, tt := range []struct {
		format Format
		src    string
	}{
		{TOML, "title = \"" + strings.Repeat("[", 40) + "\"\nnote = '''\n" + strings.Repeat("{", 40) + "\n'''\n# " + strings.Repeat("[", 40) + "\ncover = { src = \"a.jpg\", alt = \"x\" }\n[rights]\nlicense = \"CC0-1.0\"\n[[winners]]\nentry = \"a\"\n"},
		{YAML, "title: Anna's pier [" + strings.Repeat("[", 40) + "\nnote: \"" + strings.Repeat("{", 40) + "\"\nq: 'it''s [['\n# " + strings.Repeat("[", 40) + "\ngallery:\n  - {src: a.jpg, alt: \"x\"}\n"},
	} {
		if _, err := Decode("x.md", tt.format, []byte(tt.src), 2); err != nil {
			t.Errorf("%v: %v", tt.format, err)
		}
	}
}
