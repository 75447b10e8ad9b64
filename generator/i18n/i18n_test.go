package i18n_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/postcard-ssg/postcard/generator/i18n"
	"github.com/postcard-ssg/postcard/generator/overlay"
	theme "github.com/postcard-ssg/postcard/themes/postcard"
)

func themeOnly() *overlay.FS {
	return overlay.New(overlay.Layer{Name: "(built-in theme)", FS: theme.FS})
}

// The theme ships every language complete: check must find nothing missing.
func TestThemeLanguagesComplete(t *testing.T) {
	c, err := i18n.Load(themeOnly(), []string{"en", "fi"}, "en")
	if err != nil {
		t.Fatal(err)
	}
	if miss := c.Missing(); len(miss) > 0 {
		t.Errorf("the theme's translation files miss strings: %v", miss)
	}
	if w := c.Warnings(); len(w) > 0 {
		t.Errorf("warnings for the theme's own files: %v", w)
	}
}

// Every key a layout names exists in the theme's English, so no page falls
// back to an error.
func TestLayoutKeysExist(t *testing.T) {
	c, err := i18n.Load(themeOnly(), []string{"en"}, "en")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := i18n.LayoutKeys(theme.FS, "layouts")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 50 {
		t.Fatalf("found only %d keys in the layouts: is LayoutKeys reading them?", len(keys))
	}
	tr := c.Translator("en")
	for k, where := range keys {
		if !tr.Has(k) {
			t.Errorf("%s: T %q has no string in i18n/en.toml", where[0], k)
		}
	}
}

func site(files map[string]string) *overlay.FS {
	m := fstest.MapFS{}
	for k, v := range files {
		m[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return overlay.New(overlay.Layer{Name: ".", FS: m}, overlay.Layer{Name: "(built-in theme)", FS: theme.FS})
}

func TestTranslate(t *testing.T) {
	c, err := i18n.Load(site(nil), []string{"en", "fi"}, "en")
	if err != nil {
		t.Fatal(err)
	}
	en, fi := c.Translator("en"), c.Translator("fi")
	for _, tc := range []struct {
		tr   *i18n.Translator
		key  string
		args []any
		want string
	}{
		{en, "skip_to_content", nil, "Skip to content"},
		{fi, "skip_to_content", nil, "Siirry sisältöön"},
		{en, "story_count", []any{1}, "1 story"},
		{en, "story_count", []any{0}, "0 stories"},
		{en, "story_count", []any{12345}, "12,345 stories"},
		{fi, "story_count", []any{1}, "1 tarina"},
		{fi, "story_count", []any{3}, "3 tarinaa"},
		{fi, "story_count", []any{12345}, "12\u00a0345 tarinaa"},
		{en, "stories_by", []any{map[string]any{"name": "Aino"}}, "Stories by Aino"},
		{fi, "stories_told_at", []any{map[string]any{"count": 2, "place": "Satama"}}, "2 tarinaa paikasta Satama."},
		{en, "pager_page", []any{map[string]any{"number": 2, "total": 5}}, "Page 2 of 5"},
	} {
		got, err := tc.tr.T(tc.key, tc.args...)
		if err != nil || got != tc.want {
			t.Errorf("%s T(%q, %v) = %q, %v; want %q", tc.tr.Lang(), tc.key, tc.args, got, err, tc.want)
		}
	}
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd", 101: "101st"} {
		if got := en.Ordinal(n); got != want {
			t.Errorf("en Ordinal(%d) = %q, want %q", n, got, want)
		}
	}
	if got := fi.Ordinal(2); got != "2." {
		t.Errorf("fi Ordinal(2) = %q", got)
	}
	d := time.Date(2026, 6, 21, 12, 0, 0, 0, time.UTC)
	if got := en.Date(d); got != "21 June 2026" {
		t.Errorf("en date: %q", got)
	}
	if got := fi.Date(d); got != "21. kesäkuuta 2026" {
		t.Errorf("fi date: %q", got)
	}
	if _, err := en.T("no_such_key"); err == nil {
		t.Error("an unknown key is not an error")
	}
	if _, err := en.T("stories_by"); err == nil || !strings.Contains(err.Error(), "{name}") {
		t.Errorf("a missing argument: %v", err)
	}
	if _, err := en.T("story_count", "three"); err == nil {
		t.Error("a string count is not an error")
	}
}

// A site's i18n file replaces the keys it names and keeps the theme's
// others; a language the theme lacks falls back to the default language,
// then English, and is reported missing.
func TestSiteOverridesAndFallback(t *testing.T) {
	c, err := i18n.Load(site(map[string]string{
		"i18n/en.toml": "all_stories = \"Every story\"\n",
		"i18n/sv.toml": "stories = \"Berättelser\"\n",
		"i18n/pl.toml": "[story_count]\none = \"{count} historia\"\nother = \"{count} historii\"\n",
	}), []string{"fi", "sv", "pl", "en"}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	en, sv := c.Translator("en"), c.Translator("sv")
	if got, _ := en.T("all_stories"); got != "Every story" {
		t.Errorf("site override: %q", got)
	}
	if got, _ := en.T("contests"); got != "Contests" {
		t.Errorf("theme key beside an override: %q", got)
	}
	if got, _ := sv.T("stories"); got != "Berättelser" {
		t.Errorf("sv: %q", got)
	}
	// Not in Swedish: the default language, Finnish.
	if got, _ := sv.T("contests"); got != "Kilpailut" {
		t.Errorf("fallback to the default language: %q", got)
	}
	miss := c.Missing()
	if len(miss["sv"]) == 0 || !slices.Contains(miss["sv"], "contests") || !slices.Contains(miss["pl"], "story_count (few)") || !slices.Contains(miss["pl"], "story_count (many)") {
		t.Errorf("missing: %v", miss)
	}
	if _, ok := miss["fi"]; ok {
		t.Errorf("fi reported missing: %v", miss["fi"])
	}
	w := c.Warnings()
	if len(w) != 2 || !strings.Contains(w[1].Error(), "i18n/sv.toml") || !strings.Contains(w[0].Error(), "contests") {
		t.Errorf("warnings: %v", w)
	}
}

func TestErrorsHavePlaces(t *testing.T) {
	_, err := i18n.Load(site(map[string]string{
		"i18n/en.toml": "ok = \"x\"\nbad = 3\n[plural]\none = \"a\"\nfew = \"b\"\n[weird]\nsome = \"x\"\nother = \"y\"\n",
	}), []string{"en"}, "en")
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		"i18n/en.toml:2:1: bad must be a string or a table of plural forms",
		`i18n/en.toml:3:1: plural has no "other" form`,
		"i18n/en.toml:7:1: weird.some: a plural form is one of",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("a = \"{x}\"\n[b]\none = \"{count}\"\nother = \"{count}s\"\n"))
	f.Add([]byte("a = \"{\"\nb = \"}{\"\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := i18n.Parse("i18n/en.toml", "en", src)
		if err != nil {
			return
		}
		tr := c.Translator("en")
		for _, k := range []string{"a", "b"} {
			_, _ = tr.T(k)
			_, _ = tr.T(k, 2)
			_, _ = tr.T(k, map[string]any{"x": "y", "count": -1})
		}
		_ = tr.Date(time.Time{})
	})
}
