package build

import (
	"context"
	"strings"
	"testing"
)

// withFiles is a fixture site with files added or replaced, as txtar.
func withFiles(t *testing.T, fixture, files string) Options {
	t.Helper()
	return Options{Source: writeSite(t, append(loadFixture(t, fixture), files...)), Now: now}
}

// The theme's term and gallery pages show their filters with
// partialCached, made once per term; a site that overrides the filters
// partial alone did not make that promise, and gets its filters made for
// each page.
func TestPartialCachedOverriddenPartialIsMadePerPage(t *testing.T) {
	o := withFiles(t, "basic", "-- layouts/partials/filters.html --\n<nav class=\"mine\">{{.URL}}</nav>\n")
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"/stories/", "/stories/page/2/", "/tags/lake/", "/places/old-harbour/"} {
		assertLines(t, res, strings.TrimPrefix(page, "/")+"index.html", `<nav class="mine">`+page+`</nav>`)
	}
}

// A site's own layout and partial, from the same folder, keep the
// variants the layout names: the partial is made once per variant, so
// the second call, with other data, shows what the first made.
func TestPartialCachedKeepsTheSitesOwnVariants(t *testing.T) {
	o := withFiles(t, "basic", "-- layouts/gallery.html --\n{{define \"main\"}}{{partialCached \"partials/which.html\" .Pager .Kind}}{{partialCached \"partials/which.html\" .Pager.Stories .Kind}}{{end}}\n"+
		"-- layouts/partials/which.html --\n<p class=\"which\">{{printf \"%T\" .}}</p>\n")
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"stories/index.html", "stories/page/2/index.html"} {
		assertLines(t, res, name, "<p class=\"which\">*site.Pager</p>\n<p class=\"which\">*site.Pager</p>")
	}
}

func TestPartialCachedMistakes(t *testing.T) {
	for _, c := range []struct{ name, call, want string }{
		{"a page as key", `{{partialCached "partials/pager.html" .}}`, "name what the partial shows of it as variants"},
		{"a map as key", `{{partialCached "partials/pager.html" (dict "a" 1)}}`, "a map[string]interface {} cannot be a key"},
		{"too many variants", `{{partialCached "partials/pager.html" .Pager 1 2 3 4 5}}`, "at most 4 variants, not 5"},
		{"no such partial", `{{partialCached "partials/nope.html" .Pager}}`, `no layout "partials/nope.html"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := withFiles(t, "basic", "-- layouts/gallery.html --\n{{define \"main\"}}"+c.call+"{{end}}\n")
			_, err := Run(context.Background(), o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("build error %v, want one saying %q", err, c.want)
			}
		})
	}
}
