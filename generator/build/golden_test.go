package build

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// goldenPages are pages of the basic fixture whose whole HTML is kept in
// testdata/golden; run "go test ./generator/build -run Golden -update" to
// rewrite them after an intended change, and review the diff.
var goldenPages = map[string]string{
	"stories/blue-hour/index.html": "story-poem.html",
	"stories/boathouse/index.html": "story-prose.html",
	"contests/summer/index.html":   "contest-closed.html",
	"about/index.html":             "page.html",
}

func TestGolden(t *testing.T) {
	res := mustBuild(t, "basic", Options{Version: "test"})
	for page, golden := range goldenPages {
		got := file(t, res, page)
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
	// A golden file no test uses is stale: fail, so it gets deleted.
	entries, err := os.ReadDir(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, g := range goldenPages {
		used[g] = true
	}
	for _, e := range entries {
		if !used[e.Name()] {
			t.Errorf("testdata/golden/%s is orphaned: no test compares against it", e.Name())
		}
	}
}

// firstDiff shows the first differing line with its number.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(same lines, different bytes)"
}
