package build

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goldenPages are pages of the basic fixture whose whole HTML is kept in
// testdata/golden; run "go test ./generator/build -run Golden -update" to
// rewrite them after an intended change, and review the diff.
// Image file names carry a hash that includes the encoder's version, and
// stylesheets and scripts one of their content: neither is the layout's
// business, so both are masked before comparing, with integrity values.
var goldenPages = map[string]string{
	"stories/blue-hour/index.html": "story-poem.html",
	"about/index.html":             "page.html",
	"tags/index.html":              "taxonomy.html",
	"404.html":                     "404.html",
}

// goldenLanguagePages are pages of the languages fixture kept whole: a
// translated story, with its alternates and switcher, and a language's
// sitemap.
var goldenLanguagePages = map[string]string{
	"fi/stories/first-light/index.html": "story-fi.html",
	"fi/stories/index.html":             "gallery-fi.html",
	"sitemap-fi.xml":                    "sitemap-fi.xml",
}

var (
	imageHash = regexp.MustCompile(`-[0-9a-f]{8}\.(webp|jpg|png|avif)`)
	assetHash = regexp.MustCompile(`\.[0-9a-f]{10}\.(css|js)`)
	integrity = regexp.MustCompile(`sha384-(?:[A-Za-z0-9+/=]|&#43;)+`)
)

func mask(page string) string {
	page = imageHash.ReplaceAllString(page, "-HASH.$1")
	page = assetHash.ReplaceAllString(page, ".HASH.$1")
	return integrity.ReplaceAllString(page, "sha384-HASH")
}

func TestGolden(t *testing.T) {
	compareGolden(t, mustBuild(t, "basic", Options{Version: "test"}), goldenPages)
	compareGolden(t, mustBuild(t, "languages", Options{Version: "test"}), goldenLanguagePages)
	// A golden file no test uses is stale: fail, so it gets deleted.
	entries, err := os.ReadDir(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, pages := range []map[string]string{goldenPages, goldenLanguagePages} {
		for _, g := range pages {
			used[g] = true
		}
	}
	for _, e := range entries {
		if !used[e.Name()] {
			t.Errorf("testdata/golden/%s is orphaned: no test compares against it", e.Name())
		}
	}
}

func compareGolden(t *testing.T, res *Result, pages map[string]string) {
	t.Helper()
	for page, golden := range pages {
		got := mask(file(t, res, page))
		p := filepath.Join("testdata", "golden", golden)
		if *update {
			if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs from %s:\n%s", page, p, firstDiff(string(want), got))
		}
	}
}

// firstDiff shows where got first departs from want, with some context:
// a page's long lines make a line number alone say little.
func firstDiff(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("at byte %d (line %d):\n  want: …%s…\n  got:  …%s…", i, strings.Count(got[:i], "\n")+1,
		want[from:min(len(want), i+80)], got[from:min(len(got), i+80)])
}
