// Package overlay stacks a site's files over its theme's as one read-only
// file system, so a site overrides any theme file (a layout, an SCSS
// partial, a script, a static file) by writing one of the same name.
//
// Layouts, stylesheets, scripts and static files are all read through it,
// so they resolve a name the same way: from the top layer down, the first
// layer that has it winning. Folders are merged: listing one shows every
// layer's files, each once, as the layer that wins it has it. Every layer
// is read only through its fs.FS, so a layer wrapped by package confine
// keeps its guarantee. A file can tell which layer it came from, for
// messages that name it.
package overlay

import (
	"errors"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Layer is one file system of the stack.
type Layer struct {
	// Name describes the layer in messages: "." for the site's folder,
	// "themes/NAME" for a theme in it, "(built-in theme)".
	Name string
	FS   fs.FS
}

// FS is a stack of layers, the first on top. It implements fs.FS,
// fs.ReadDirFS, fs.ReadFileFS and fs.StatFS.
type FS struct {
	layers []Layer
}

// New stacks layers, the first on top.
func New(layers ...Layer) *FS {
	return &FS{layers: slices.Clone(layers)}
}

// Which returns the position (0 is the top) and the layer name is read
// from. A name no layer has is fs.ErrNotExist; a layer's other error (a
// symbolic link it refuses, say) is returned as it is, never skipped.
func (o *FS) Which(name string) (int, Layer, error) {
	if !fs.ValidPath(name) {
		return 0, Layer{}, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	for i, l := range o.layers {
		_, err := fs.Stat(l.FS, name)
		if err == nil {
			return i, l, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return 0, Layer{}, err
		}
	}
	return 0, Layer{}, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// Describe names a file for a message: "layouts/story.html" for the site's
// own, "themes/NAME/layouts/story.html" for a theme folder's, and
// "layouts/story.html (built-in theme)" for a layer whose name is not a
// folder. A file no layer has is described by its name alone.
func (o *FS) Describe(name string) string {
	_, l, err := o.Which(name)
	switch {
	case err != nil || l.Name == "" || l.Name == ".":
		return name
	case strings.HasPrefix(l.Name, "("):
		return name + " " + l.Name
	}
	return path.Join(l.Name, name)
}

// Open opens name in the top layer that has it. A folder is opened as the
// merge of that folder in every layer where it is one.
func (o *FS) Open(name string) (fs.File, error) {
	i, l, err := o.Which(name)
	if err != nil {
		return nil, err
	}
	f, err := l.FS.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.IsDir() {
		return f, nil
	}
	f.Close()
	entries, err := o.readDir(i, name)
	if err != nil {
		return nil, err
	}
	return &dir{info: st, entries: entries}, nil
}

// ReadDir lists name merged across the layers, sorted by name; an entry
// found in several layers is the top one's.
func (o *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	i, l, err := o.Which(name)
	if err != nil {
		return nil, err
	}
	if st, err := fs.Stat(l.FS, name); err != nil {
		return nil, err
	} else if !st.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	return o.readDir(i, name)
}

// readDir merges name from layer from downwards, in the layers where it
// is a folder.
func (o *FS) readDir(from int, name string) ([]fs.DirEntry, error) {
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, l := range o.layers[from:] {
		st, err := fs.Stat(l.FS, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			continue // a file of that name does not hide the folders below
		}
		list, err := fs.ReadDir(l.FS, name)
		if err != nil {
			return nil, err
		}
		for _, e := range list {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// ReadFile reads name from the top layer that has it.
func (o *FS) ReadFile(name string) ([]byte, error) {
	_, l, err := o.Which(name)
	if err != nil {
		return nil, err
	}
	return fs.ReadFile(l.FS, name)
}

// Stat describes name as the top layer that has it does.
func (o *FS) Stat(name string) (fs.FileInfo, error) {
	_, l, err := o.Which(name)
	if err != nil {
		return nil, err
	}
	return fs.Stat(l.FS, name)
}

// dir is an opened merged folder.
type dir struct {
	info    fs.FileInfo
	entries []fs.DirEntry
	off     int
}

func (d *dir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dir) Close() error               { return nil }
func (d *dir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.Name(), Err: errors.New("is a directory")}
}

func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.off += n
	return rest[:n], nil
}

var _ fs.ReadDirFile = (*dir)(nil)
