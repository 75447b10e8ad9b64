package assets

import (
	"maps"
	"testing"
)

// TestCacheCompilesOnce: with a cache, the same theme and brand compile
// once; the second build publishes the same files without compiling, and
// a changed brand compiles again.
func TestCacheCompilesOnce(t *testing.T) {
	needSass(t)
	cache := t.TempDir()
	o := Options{Theme: layers(t, "brand.txtar", "site", "theme"), Brand: brand, SiteDir: repoRoot(t), CacheDir: cache}
	build := func(o Options) (*Result, memSink) {
		t.Helper()
		sink := memSink{}
		res, err := Build(o, sink)
		if err != nil {
			t.Fatal(err)
		}
		return res, sink
	}
	cold, coldFiles := build(o)
	if !cold.Compiled {
		t.Fatal("the first build did not compile")
	}
	warm, warmFiles := build(o)
	if warm.Compiled {
		t.Error("the second build compiled again")
	}
	if !maps.Equal(cold.Assets, warm.Assets) || len(coldFiles) != len(warmFiles) {
		t.Errorf("the cached build published other files: %v, want %v", warm.Assets, cold.Assets)
	}
	for n, b := range coldFiles {
		if string(warmFiles[n]) != string(b) {
			t.Errorf("%s differs from the cache", n)
		}
	}
	o.Brand.Primary = "#123456"
	if res, _ := build(o); !res.Compiled {
		t.Error("a new brand did not compile again")
	}
}
