// Package confine reads files of a site folder without ever leaving the
// folder they belong to.
//
// The build opens the site with os.Root, which keeps every path inside the
// site but follows symbolic links that stay in it: a link in a story's
// folder to ../../../votes.db or ../../../.git/config would be published.
// Strangers' stories arrive as folders, so a symbolic link in content/ (or
// in static/, layouts/ and assets/, which the site's own files share a
// folder with) is followed only when it resolves, link by link, to a file
// inside the folder it belongs to: a story's bundle, static/, and so on.
// The decision is made on the final resolved path, and that path (free of
// links) is what callers then read.
package confine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
)

// maxLinks bounds the symbolic links followed in one resolution, as the
// operating system does, so a loop of links ends.
const maxLinks = 40

// ErrOutside is a path that leaves its folder, through ".." or a
// symbolic link.
var ErrOutside = errors.New("leaves its folder")

// LinkError is a symbolic link that cannot be followed.
type LinkError struct {
	Link   string // the link, a slash path from the file system's root
	Target string // what it points at, as written
	Dir    string // the folder it must stay in
}

func (e *LinkError) Error() string {
	return fmt.Sprintf("%s is a symbolic link to %q, which points outside %s/", e.Link, e.Target, e.Dir)
}

func (e *LinkError) Unwrap() error { return ErrOutside }

// File resolves name, a slash path inside dir, to the path from fsys's root
// of a regular file inside dir, following symbolic links only while they
// stay inside dir. dir itself is taken as it is. A missing file is
// fs.ErrNotExist; a path or link leaving dir is a *LinkError or ErrOutside.
func File(fsys fs.FS, dir, name string) (string, error) {
	p, info, err := resolve(fsys, dir, name)
	if err != nil {
		return "", err
	}
	if !info.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file", p)
	}
	return p, nil
}

// resolve walks name inside dir one element at a time, with Lstat, and
// returns the resolved path and what it names.
func resolve(fsys fs.FS, dir, name string) (string, fs.FileInfo, error) {
	if dir == "" || !fs.ValidPath(dir) {
		return "", nil, fmt.Errorf("%q: %w", dir, fs.ErrInvalid)
	}
	if strings.HasPrefix(name, "/") {
		return "", nil, fmt.Errorf("%q is absolute: %w", name, ErrOutside)
	}
	todo := split(name)
	cur := dir
	links := 0
	info, err := fs.Lstat(fsys, cur)
	if err != nil {
		return "", nil, err
	}
	for len(todo) > 0 {
		elem := todo[0]
		todo = todo[1:]
		switch elem {
		case "", ".":
			continue
		case "..":
			if cur == dir {
				return "", nil, fmt.Errorf("%q: %w", name, ErrOutside)
			}
			cur = path.Dir(cur)
			if info, err = fs.Lstat(fsys, cur); err != nil {
				return "", nil, err
			}
			continue
		}
		if !info.IsDir() {
			return "", nil, &fs.PathError{Op: "open", Path: cur + "/" + elem, Err: fs.ErrNotExist}
		}
		next := cur + "/" + elem
		if info, err = fs.Lstat(fsys, next); err != nil {
			return "", nil, err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			cur = next
			continue
		}
		if links++; links > maxLinks {
			return "", nil, fmt.Errorf("%s: too many levels of symbolic links", next)
		}
		target, err := fs.ReadLink(fsys, next)
		if err != nil {
			return "", nil, err
		}
		// A link's target is relative to the folder holding the link;
		// an absolute one can only leave.
		if path.IsAbs(target) || strings.HasPrefix(target, `\`) || (len(target) > 1 && target[1] == ':') {
			return "", nil, &LinkError{Link: next, Target: target, Dir: dir}
		}
		rel := path.Join(strings.TrimPrefix(strings.TrimPrefix(cur, dir), "/"), target)
		if rel == ".." || strings.HasPrefix(rel, "../") {
			return "", nil, &LinkError{Link: next, Target: target, Dir: dir}
		}
		todo = append(split(target), todo...)
		if info, err = fs.Lstat(fsys, cur); err != nil {
			return "", nil, err
		}
	}
	return cur, info, nil
}

func split(p string) []string { return strings.Split(p, "/") }

// Folders returns fsys with every path confined to its first element, a
// folder such as static/ or layouts/: a symbolic link is followed only if
// it resolves inside that folder, and only to a regular file or a folder.
// A file at the top level that is a symbolic link is refused.
func Folders(fsys fs.FS) fs.FS { return folders{fsys} }

type folders struct{ fsys fs.FS }

func (f folders) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return f.fsys.Open(name)
	}
	top, rest, _ := strings.Cut(name, "/")
	info, err := fs.Lstat(f.fsys, top)
	if err != nil {
		return nil, err
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%s is a symbolic link: Postcard does not follow it", top)}
	}
	p := top
	if rest != "" {
		if p, info, err = resolve(f.fsys, top, rest); err != nil {
			var le *LinkError
			if errors.As(err, &le) {
				return nil, &fs.PathError{Op: "open", Path: name, Err: err}
			}
			return nil, err
		}
	}
	if !info.Mode().IsRegular() && !info.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("not a regular file")}
	}
	return f.fsys.Open(p)
}

// Open opens the regular file name, a slash path inside root, refusing it
// if any element of the path is a symbolic link, and checks that the file
// opened is the one looked at (not swapped for a link in between).
func Open(root *os.Root, name string) (*os.File, fs.FileInfo, error) {
	if !fs.ValidPath(name) || name == "." {
		return nil, nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	var info fs.FileInfo
	for i := 0; ; {
		j := strings.IndexByte(name[i:], '/')
		p := name
		if j >= 0 {
			p = name[:i+j]
		}
		st, err := root.Lstat(p)
		if err != nil {
			return nil, nil, err
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			return nil, nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%s is a symbolic link: %w", p, ErrOutside)}
		}
		if j < 0 {
			info = st
			break
		}
		i += j + 1
	}
	if !info.Mode().IsRegular() {
		return nil, nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("not a regular file")}
	}
	f, err := root.Open(name)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil || !os.SameFile(st, info) {
		f.Close()
		return nil, nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("the file changed while it was being opened")}
	}
	return f, st, nil
}
