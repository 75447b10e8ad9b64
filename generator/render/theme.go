package render

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
	"text/template/parse"

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
	seen := map[*parse.Tree]bool{}
	compactNew(base, string(src), seen)
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
		compactNew(base, string(src), seen)
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
		compactNew(tpl, string(src), seen)
		out[f] = tpl
	}
	return out, base, nil
}

// compactNew compacts the text of the templates of t that the file src
// made (those not in seen, which it adds them to).
//
// Pages are not minified after they are executed: on a site of 10,000
// stories that cost about a quarter of a build's CPU time, to make the
// pages 4 % smaller (1 to 4 % once compressed). What a minifier removed
// is mostly the layouts' own indentation, which is removed here instead,
// once per layout: a run of white space that holds a line break becomes
// that line break alone, which HTML reads as the same white space (one
// space between words and inline elements, nothing between blocks). A
// file with a <pre>, or a <textarea> with text in it, whose white space
// shows as written, is left as it is.
func compactNew(t *template.Template, src string, seen map[*parse.Tree]bool) {
	keep := keepsSpace(src)
	for _, x := range t.Templates() {
		if x.Tree == nil || seen[x.Tree] {
			continue
		}
		seen[x.Tree] = true
		if !keep && x.Tree.Root != nil {
			compactNode(x.Tree.Root)
		}
	}
}

// keepsSpace reports whether the layout src has an element whose white
// space shows: a <pre>, or a <textarea> that is not empty.
func keepsSpace(src string) bool {
	if strings.Contains(src, "<pre") {
		return true
	}
	for rest := src; ; {
		i := strings.Index(rest, "<textarea")
		if i < 0 {
			return false
		}
		rest = rest[i:]
		end := strings.IndexByte(rest, '>')
		if end < 0 || !strings.HasPrefix(rest[end+1:], "</textarea>") {
			return true
		}
		rest = rest[end+1:]
	}
}

func compactNode(n parse.Node) {
	switch x := n.(type) {
	case *parse.ListNode:
		if x == nil {
			return
		}
		for _, c := range x.Nodes {
			compactNode(c)
		}
	case *parse.TextNode:
		x.Text = compactSpace(x.Text)
	case *parse.IfNode:
		compactNode(x.List)
		compactNode(x.ElseList)
	case *parse.RangeNode:
		compactNode(x.List)
		compactNode(x.ElseList)
	case *parse.WithNode:
		compactNode(x.List)
		compactNode(x.ElseList)
	}
}

// compactSpace replaces each run of white space that holds a line break
// with the line break.
func compactSpace(b []byte) []byte {
	out := b[:0:0]
	for i := 0; i < len(b); {
		if !isSpace(b[i]) {
			out = append(out, b[i])
			i++
			continue
		}
		j, nl := i, false
		for j < len(b) && isSpace(b[j]) {
			nl = nl || b[j] == '\n'
			j++
		}
		if nl {
			out = append(out, '\n')
		} else {
			out = append(out, b[i:j]...)
		}
		i = j
	}
	return out
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
