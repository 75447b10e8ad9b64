// Package output holds a build's files in memory and writes them out.
//
// Every stage that produces files (images, assets, pages, feeds) writes into
// one Set, so the destination is written in one place, in one pass, and files
// a previous build wrote there but this one did not produce (the page of a
// story that has since been unpublished, say) are removed rather than served
// on. Only those: Postcard lists what it wrote in the destination's
// ManifestName and never deletes anything else. The dev server serves a Set
// straight from memory.
package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Set is a build's output files by slash path relative to the destination.
// It is safe for concurrent use.
type Set struct {
	mu    sync.Mutex
	files map[string][]byte
}

// NewSet returns an empty Set.
func NewSet() *Set { return &Set{files: map[string][]byte{}} }

// WriteFile adds a file. Writing the same name twice with different bytes is
// an error: two things want the same URL.
func (s *Set) WriteFile(name string, data []byte) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("output: invalid file name %q", name)
	}
	if name == ManifestName {
		return fmt.Errorf("output: /%s is reserved for Postcard's list of the files it wrote", name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.files[name]; ok && string(old) != string(data) {
		return fmt.Errorf("output: two different files want the path /%s", name)
	}
	s.files[name] = data
	return nil
}

// ConcurrentWrites tells the image pipeline that a Set takes files from
// many goroutines at once.
func (s *Set) ConcurrentWrites() {}

// Get returns a file's bytes.
func (s *Set) Get(name string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.files[name]
	return b, ok
}

// Names lists the files in order.
func (s *Set) Names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.files))
	for n := range s.files {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Len counts the files.
func (s *Set) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.files)
}

// Write writes the set to dir with the default, safe options: see WriteDir.
func (s *Set) Write(dir string) error { return s.WriteDir(dir, WriteOptions{}) }

// WriteOptions say how much of a destination Write may take over.
type WriteOptions struct {
	// Source is the site's folder. A destination that is the source or
	// holds it is refused.
	Source string
	// Clean lets Write take over a non-empty destination that has no
	// marker (ManifestName), removing everything in it that the set does
	// not hold. It never overrides the refusal of a folder holding sources
	// or a Git repository.
	Clean bool
}

// WriteDir writes the set to dir, creating it and skipping files whose
// content is already there.
//
// Postcard only ever deletes what it wrote itself: it keeps the list of the
// files it wrote in dir/ManifestName, written last, and removes only the
// listed files this build no longer produces. Files it did not write (a
// host's CNAME, say) are left alone, unless this build produces the same
// path. dir must not exist, be empty, or hold that marker; any other
// folder is refused unless o.Clean. A folder that is or holds the source,
// holds a Git repository or looks like a site's sources is always refused.
func (s *Set) WriteDir(dir string, o WriteOptions) error {
	names := s.Names()
	d, err := prepareDest(dir, o)
	if err != nil {
		return err
	}
	defer d.root.Close()
	// Until the files are written, the marker lists both what was there and
	// what will be, so an interrupted build still knows what it wrote.
	if err := d.writeMarker(union(d.listed, names)); err != nil {
		return err
	}
	if err := d.removeStale(names, o.Clean); err != nil {
		return err
	}
	var errs []error
	for _, name := range names {
		data, _ := s.Get(name)
		p := filepath.Join(d.dir, filepath.FromSlash(name))
		if old, err := os.ReadFile(p); err == nil && string(old) == string(data) {
			continue
		}
		if st, err := os.Lstat(p); err == nil && st.IsDir() {
			if !d.canRemoveDir(name) {
				errs = append(errs, fmt.Errorf("%s is a folder Postcard did not write, where the site has a file: move it away", p))
				continue
			}
			if err := os.RemoveAll(p); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := writeAtomic(p, data); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return d.writeMarker(names)
}

// writeAtomic writes through a temporary file and a rename, so a server
// reading the destination never sees half a file.
func writeAtomic(p string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(p), ".postcard-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// FS returns the set as a read-only file system, for serving and tests.
func (s *Set) FS() fs.FS { return setFS{s} }

type setFS struct{ s *Set }

func (f setFS) Open(name string) (fs.File, error) {
	if data, ok := f.s.Get(name); ok {
		return &memFile{name: name, Reader: strings.NewReader(string(data)), size: int64(len(data))}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}
