// Package output holds a build's files in memory and writes them out.
//
// Every stage that produces files (images, assets, pages, feeds) writes into
// one Set, so the destination is written in one place, in one pass, and files
// a previous build left there but this one did not produce (the page of a
// story that has since been unpublished, say) are removed rather than served
// on. The dev server serves a Set straight from memory.
package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
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

// Write writes the set to dir, creating it, skipping files whose content is
// already there, and removing every file and folder in dir the set does not
// hold. dir must be empty, hold a previous build, or not exist: Write refuses
// a folder that holds a site's sources.
func (s *Set) Write(dir string) error {
	for _, marker := range []string{"site.toml", "go.mod", "content"} {
		if _, err := os.Stat(filepath.Join(dir, marker)); err == nil {
			return fmt.Errorf("refusing to write the site into %s: it holds %s, so it looks like a source folder, not a build destination", dir, marker)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, name := range s.Names() {
		keep[name] = true
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			keep[d] = true
		}
	}
	// Remove what this build does not produce, deepest first.
	var stale []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if !keep[rel] || (!d.IsDir() && !s.has(rel)) {
			stale = append(stale, p)
			if d.IsDir() {
				return fs.SkipDir
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := len(stale) - 1; i >= 0; i-- {
		if err := os.RemoveAll(stale[i]); err != nil {
			return err
		}
	}
	var errs []error
	for _, name := range s.Names() {
		data, _ := s.Get(name)
		p := filepath.Join(dir, filepath.FromSlash(name))
		if old, err := os.ReadFile(p); err == nil && string(old) == string(data) {
			continue
		}
		if st, err := os.Stat(p); err == nil && st.IsDir() {
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
	return errors.Join(errs...)
}

func (s *Set) has(name string) bool {
	_, ok := s.Get(name)
	return ok
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
