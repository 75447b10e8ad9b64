package markdown

import (
	"strings"
	"testing"
)

// TestPlainText: the search index reads every block of prose, and no code,
// raw HTML or image description.
func TestPlainText(t *testing.T) {
	src := "# The pier\n\nIntro *with* [a link](https://example.org/).\n\n- one\n- two\n\n> quoted\n\n```\ncode()\n```\n\n<div>raw</div>\n\n![alt text](x.jpg)\n"
	got := New().Parse([]byte(src)).PlainText()
	for _, want := range []string{"The pier", "Intro with a link.", "one", "two", "quoted"} {
		if !strings.Contains(got, want) {
			t.Errorf("PlainText lacks %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"code()", "raw", "alt text", "https://"} {
		if strings.Contains(got, not) {
			t.Errorf("PlainText holds %q:\n%s", not, got)
		}
	}
	var nilDoc *Doc
	if nilDoc.PlainText() != "" {
		t.Error("a nil document has text")
	}
}
