package submissions

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Harbour at dawn":         "harbour-at-dawn",
		"Jäätie Kivisaareen!":     "jaatie-kivisaareen",
		"  --  ":                  "story",
		"../../etc/passwd":        "etc-passwd",
		"Ünïcödé Café, 5 o'clock": "unicode-cafe-5-o-clock",
	} {
		if got := slugify(in, "story"); got != want {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want)
		}
	}
	long := slugify("a very long title that goes on and on and on well past the sixty byte limit of a slug", "x")
	if len(long) > 61 || long[len(long)-1] == '-' {
		t.Errorf("long slug %q", long)
	}
}

func TestParseAge(t *testing.T) {
	for in, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "36h": 36 * time.Hour, "0d": 0} {
		if got, err := ParseAge(in); err != nil || got != want {
			t.Errorf("ParseAge(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "d", "-3d", "ninety", "1.5d"} {
		if _, err := ParseAge(bad); err == nil {
			t.Errorf("ParseAge(%q) accepted", bad)
		}
	}
}

func TestClaimNeverReuses(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content/stories/pier"), 0o755)
	os.WriteFile(filepath.Join(dir, "content/stories/pier-2.md"), []byte("x"), 0o644)
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	got, err := claim(root, "content/stories", "pier", "", true)
	if err != nil || got != "content/stories/pier-3" {
		t.Errorf("claim = %q, %v", got, err)
	}
	if !recordsReceipt([]byte("+++\n[rights]\nreceipt = \"abc\"\n+++\n"), "abc") || recordsReceipt([]byte("receipt = \"abcd\""), "abc") {
		t.Error("recordsReceipt")
	}
}
