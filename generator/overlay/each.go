package overlay

import (
	"errors"
	"io/fs"
	"path"
	"strings"
)

// Copy is one layer's version of a file.
type Copy struct {
	// Where names the file for messages, as Describe does.
	Where string
	Data  []byte
}

// ReadEach reads name from every layer that has it, the bottom layer
// first, for files merged key by key rather than replaced whole (a theme's
// translation strings, which a site overrides one by one). A name no layer
// has is no copies and no error.
func (o *FS) ReadEach(name string) ([]Copy, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	var out []Copy
	for i := len(o.layers) - 1; i >= 0; i-- {
		l := o.layers[i]
		b, err := fs.ReadFile(l.FS, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		where := name
		switch {
		case l.Name == "" || l.Name == ".":
		case strings.HasPrefix(l.Name, "("):
			where = name + " " + l.Name
		default:
			where = path.Join(l.Name, name)
		}
		out = append(out, Copy{Where: where, Data: b})
	}
	return out, nil
}
