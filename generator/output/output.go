// Package output holds a build's files in memory and writes them out.
//
// Every stage that produces files (images, assets, pages, feeds) writes into
// one Set, so the destination is written in one place, in one pass, and files
// a previous build left there but this one did not produce (the page of a
// story that has since been unpublished, say) are removed rather than served
// on. The dev server serves a Set straight from memory.
package output

import (
	"bytes"
	"errors"
	"fmt"
	"io"
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
	mu      sync.Mutex
	files   map[string][]byte
	sources map[string]Source
}

// Source is a file of a Set that is not held in memory: a video, say. Open
// is called each time the file is written or served, and must yield Size
// bytes (the file as published, not necessarily as stored) or an error.
type Source struct {
	Size int64
	Open func() (io.ReadCloser, error)
}

// NewSet returns an empty Set.
func NewSet() *Set { return &Set{files: map[string][]byte{}, sources: map[string]Source{}} }

// AddSource adds a file read from src when it is written or served. A
// name that is already taken is an error: two things want the same URL.
func (s *Set) AddSource(name string, src Source) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("output: invalid file name %q", name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, file := s.files[name]
	_, source := s.sources[name]
	if file || source {
		return fmt.Errorf("output: two different files want the path /%s", name)
	}
	s.sources[name] = src
	return nil
}

// Open returns a reader of a file of the set, streaming a Source, and its size.
func (s *Set) Open(name string) (io.ReadCloser, int64, error) {
	s.mu.Lock()
	data, file := s.files[name]
	src, source := s.sources[name]
	s.mu.Unlock()
	switch {
	case file:
		return io.NopCloser(bytes.NewReader(data)), int64(len(data)), nil
	case source:
		r, err := src.Open()
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", name, err)
		}
		return r, src.Size, nil
	}
	return nil, 0, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

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
	if _, ok := s.sources[name]; ok {
		return fmt.Errorf("output: two different files want the path /%s", name)
	}
	s.files[name] = data
	return nil
}

// ConcurrentWrites tells the image pipeline that a Set takes files from
// many goroutines at once.
func (s *Set) ConcurrentWrites() {}

// Get returns a file's bytes. A Source is read whole: use Open to stream it.
func (s *Set) Get(name string) ([]byte, bool) {
	s.mu.Lock()
	b, ok := s.files[name]
	_, source := s.sources[name]
	s.mu.Unlock()
	if ok || !source {
		return b, ok
	}
	r, _, err := s.Open(name)
	if err != nil {
		return nil, false
	}
	defer r.Close()
	b, err = io.ReadAll(r)
	return b, err == nil
}

// Names lists the files in order.
func (s *Set) Names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.files)+len(s.sources))
	for n := range s.files {
		out = append(out, n)
	}
	for n := range s.sources {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Len counts the files.
func (s *Set) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.files) + len(s.sources)
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
		p := filepath.Join(dir, filepath.FromSlash(name))
		if src, ok := s.source(name); ok {
			if err := writeSource(p, src); err != nil {
				errs = append(errs, fmt.Errorf("writing %s: %w", name, err))
			}
			continue
		}
		data, _ := s.Get(name)
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
	s.mu.Lock()
	defer s.mu.Unlock()
	_, file := s.files[name]
	_, source := s.sources[name]
	return file || source
}

// IsSource reports whether name was added with AddSource.
func (s *Set) IsSource(name string) bool {
	_, ok := s.source(name)
	return ok
}

func (s *Set) source(name string) (Source, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	src, ok := s.sources[name]
	return src, ok
}

// writeSource streams a Source to p like writeAtomic, replacing any folder
// there, and checks it yields the size it promised.
func writeSource(p string, src Source) error {
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	r, err := src.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	return writeAtomicFrom(p, func(w io.Writer) error {
		n, err := io.Copy(w, io.LimitReader(r, src.Size+1))
		if err == nil && n != src.Size {
			err = fmt.Errorf("read %d bytes, want %d: the source changed during the build", n, src.Size)
		}
		return err
	})
}

// writeAtomic writes through a temporary file and a rename, so a server
// reading the destination never sees half a file.
func writeAtomic(p string, data []byte) error {
	return writeAtomicFrom(p, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeAtomicFrom is writeAtomic with the contents written by fill.
func writeAtomicFrom(p string, fill func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(p), ".postcard-*")
	if err != nil {
		return err
	}
	if err := fill(tmp); err != nil {
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
	if src, ok := f.s.source(name); ok {
		r, err := src.Open()
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &sourceFile{ReadCloser: r, info: memInfo{&memFile{name: name, size: src.Size}}}, nil
	}
	if data, ok := f.s.Get(name); ok {
		return &memFile{name: name, Reader: strings.NewReader(string(data)), size: int64(len(data))}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}
