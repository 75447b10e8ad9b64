package render

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Theme finds layouts and static files in layers: the site's own folder
// first, then the theme's, so a site overrides any theme file by writing one
// of the same name.
type Theme struct {
	layers []fs.FS // each holds layouts/ and static/
	names  []string
}

// NewTheme stacks layers, the first winning; names describe them in errors.
func NewTheme(layers []fs.FS, names []string) *Theme {
	return &Theme{layers: layers, names: names}
}

// read returns the first layer's copy of name and where it came from.
func (t *Theme) read(name string) ([]byte, string, error) {
	for i, l := range t.layers {
		b, err := fs.ReadFile(l, name)
		if err == nil {
			return b, path.Join(t.names[i], name), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, "", err
		}
	}
	return nil, "", fmt.Errorf("%s: no such file in the site or its theme", name)
}

// list returns the union of the file names under dir in every layer.
func (t *Theme) list(dir string) ([]string, error) {
	seen := map[string]bool{}
	for _, l := range t.layers {
		err := fs.WalkDir(l, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return fs.SkipDir
				}
				return err
			}
			if !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
				seen[strings.TrimPrefix(p, dir+"/")] = true
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	slices.Sort(out)
	return out, nil
}

// templates parses base.html and partials/*, then each page layout on a clone.
func (t *Theme) templates(funcs template.FuncMap) (map[string]*template.Template, error) {
	base := template.New("base.html").Funcs(funcs)
	src, where, err := t.read("layouts/base.html")
	if err != nil {
		return nil, err
	}
	if _, err := base.Parse(string(src)); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	files, err := t.list("layouts")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if !strings.HasPrefix(f, "partials/") || path.Ext(f) != ".html" {
			continue
		}
		src, where, err := t.read("layouts/" + f)
		if err != nil {
			return nil, err
		}
		if _, err := base.New(f).Parse(string(src)); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
	}
	out := map[string]*template.Template{}
	for _, f := range files {
		if strings.Contains(f, "/") || f == "base.html" || path.Ext(f) != ".html" {
			continue
		}
		src, where, err := t.read("layouts/" + f)
		if err != nil {
			return nil, err
		}
		tpl, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := tpl.New(f).Parse(string(src)); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		out[f] = tpl
	}
	return out, nil
}
