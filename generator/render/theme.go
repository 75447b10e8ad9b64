package render

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/postcard-ssg/postcard/generator/overlay"
)

// read returns the theme's copy of name (the site's, when it has one) and
// how to name it in a message.
func read(theme *overlay.FS, name string) ([]byte, string, error) {
	b, err := theme.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", fmt.Errorf("%s: no such file in the site or its theme", name)
	}
	if err != nil {
		return nil, "", err
	}
	return b, theme.Describe(name), nil
}

// list returns the names of the files under dir, relative to it, in every
// layer of the theme; names starting with "." are left out.
func list(theme *overlay.FS, dir string) ([]string, error) {
	var out []string
	err := fs.WalkDir(theme, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
			out = append(out, strings.TrimPrefix(p, dir+"/"))
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	slices.Sort(out)
	return out, err
}

// templates parses base.html and partials/*, then each page layout on a
// clone. It returns the clones by layout, and base, which is never
// executed, for partialCached to clone.
func templates(theme *overlay.FS, funcs template.FuncMap) (map[string]*template.Template, *template.Template, error) {
	base := template.New("base.html").Funcs(funcs)
	src, where, err := read(theme, "layouts/base.html")
	if err != nil {
		return nil, nil, err
	}
	if _, err := base.Parse(string(src)); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", where, err)
	}
	files, err := list(theme, "layouts")
	if err != nil {
		return nil, nil, err
	}
	for _, f := range files {
		if !strings.HasPrefix(f, "partials/") || path.Ext(f) != ".html" {
			continue
		}
		src, where, err := read(theme, "layouts/"+f)
		if err != nil {
			return nil, nil, err
		}
		if _, err := base.New(f).Parse(string(src)); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", where, err)
		}
	}
	out := map[string]*template.Template{}
	for _, f := range files {
		if strings.Contains(f, "/") || f == "base.html" || path.Ext(f) != ".html" {
			continue
		}
		src, where, err := read(theme, "layouts/"+f)
		if err != nil {
			return nil, nil, err
		}
		tpl, err := base.Clone()
		if err != nil {
			return nil, nil, err
		}
		if _, err := tpl.New(f).Parse(string(src)); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", where, err)
		}
		out[f] = tpl
	}
	return out, base, nil
}
