package overlay

import (
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"
)

func stack() *FS {
	site := fstest.MapFS{
		"layouts/story.html":     {Data: []byte("site story")},
		"static/logo.svg":        {Data: []byte("site logo")},
		"assets/scss/_base.scss": {Data: []byte("site base")},
	}
	themeDir := fstest.MapFS{
		"layouts/story.html": {Data: []byte("theme folder story")},
		"layouts/home.html":  {Data: []byte("theme folder home")},
	}
	builtin := fstest.MapFS{
		"layouts/story.html":      {Data: []byte("built-in story")},
		"layouts/home.html":       {Data: []byte("built-in home")},
		"layouts/gallery.html":    {Data: []byte("built-in gallery")},
		"layouts/partials/a.html": {Data: []byte("built-in partial")},
		"static/favicon.svg":      {Data: []byte("built-in icon")},
		"static/logo.svg":         {Data: []byte("built-in logo")},
	}
	return New(Layer{".", site}, Layer{"themes/lake", themeDir}, Layer{"(built-in theme)", builtin})
}

func TestReadFileTopLayerWins(t *testing.T) {
	o := stack()
	for name, want := range map[string]string{
		"layouts/story.html":   "site story",        // the site overrides both themes
		"layouts/home.html":    "theme folder home", // the theme folder overrides the built-in theme
		"layouts/gallery.html": "built-in gallery",  // only in the built-in theme
		"static/logo.svg":      "site logo",
	} {
		b, err := fs.ReadFile(o, name)
		if err != nil || string(b) != want {
			t.Errorf("ReadFile(%s) = %q, %v; want %q", name, b, err, want)
		}
	}
	if _, err := fs.ReadFile(o, "layouts/none.html"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file no layer has: %v, want fs.ErrNotExist", err)
	}
}

func TestReadDirMerges(t *testing.T) {
	o := stack()
	list, err := fs.ReadDir(o, "layouts")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Name())
	}
	want := []string{"gallery.html", "home.html", "partials", "story.html"}
	if len(got) != len(want) {
		t.Fatalf("ReadDir(layouts) = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ReadDir(layouts) = %v, want %v", got, want)
		}
	}
	// Open on a folder merges too, and WalkDir goes through it.
	var files []string
	err = fs.WalkDir(o, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) != 2 || files[0] != "static/favicon.svg" || files[1] != "static/logo.svg" {
		t.Errorf("WalkDir(static) = %v, %v", files, err)
	}
}

func TestWhichNamesTheLayer(t *testing.T) {
	o := stack()
	for name, want := range map[string]string{
		"layouts/story.html":   "layouts/story.html",
		"layouts/home.html":    "themes/lake/layouts/home.html",
		"layouts/gallery.html": "layouts/gallery.html (built-in theme)",
	} {
		if got := o.Describe(name); got != want {
			t.Errorf("Describe(%s) = %q, want %q", name, got, want)
		}
	}
	i, l, err := o.Which("static/favicon.svg")
	if err != nil || i != 2 || l.Name != "(built-in theme)" {
		t.Errorf("Which(static/favicon.svg) = %d, %q, %v", i, l.Name, err)
	}
}

func TestLayerErrorsAreNotSkipped(t *testing.T) {
	refusing := refuseFS{fstest.MapFS{"static/secret": {Data: []byte("x")}}}
	o := New(Layer{".", refusing}, Layer{"(built-in theme)", fstest.MapFS{"static/secret": {Data: []byte("theme")}}})
	if _, err := fs.ReadFile(o, "static/secret"); err == nil || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a layer's refusal must stop the lookup, got %v", err)
	}
}

// refuseFS refuses static/secret, as package confine refuses a symbolic
// link that leaves its folder; it offers Open alone, as confine does.
type refuseFS struct{ m fstest.MapFS }

func (r refuseFS) Open(name string) (fs.File, error) {
	if name == "static/secret" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("a symbolic link outside static/")}
	}
	return r.m.Open(name)
}

func TestFSConforms(t *testing.T) {
	if err := fstest.TestFS(stack(), "layouts/story.html", "layouts/partials/a.html", "static/favicon.svg", "assets/scss/_base.scss"); err != nil {
		t.Fatal(err)
	}
}
