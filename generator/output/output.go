// Package output holds a build's files in memory and writes them out.
//
// Every stage that produces files (images, assets, pages, feeds) writes into
// one sink: a Set, which holds them in memory for the dev server and tests,
// or a Writer, which `postcard build` uses to write them into the
// destination while they are produced (writer.go says how, and what a
// crash leaves behind). Either way the destination is written in one place,
// and files a previous build wrote there but this one did not produce (the
// page of a story that has since been unpublished, say) are removed rather
// than served on. Only those: Postcard lists what it wrote in the destination's
// ManifestName and never deletes anything else. The dev server serves a Set
// straight from memory.
//
// Crash safety: the Writer writes files in place, so a crash can leave one
// half written. The record (ManifestName) is replaced only once every file
// is written, with each file's size, time and hash; a file is skipped only
// when it still matches what the record says and this build's hash, so the
// next build rewrites any file a crash left half done. A file the record
// does not list is named in it before it is created, so a crashed build's
// new files are still removed when no longer produced.
package output

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
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
	// written, in a Set made by Next, names the files written since:
	// the others are the last build's, which WriteFile may replace.
	written map[string]bool
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
	if name == ManifestName {
		return fmt.Errorf("output: /%s is reserved for Postcard's list of the files it wrote", name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.written != nil {
		if s.written[name] && string(s.files[name]) != string(data) {
			return fmt.Errorf("output: two different files want the path /%s", name)
		}
		s.written[name] = true
		s.files[name] = data
		return nil
	}
	if old, ok := s.files[name]; ok && string(old) != string(data) {
		return fmt.Errorf("output: two different files want the path /%s", name)
	}
	if _, ok := s.sources[name]; ok {
		return fmt.Errorf("output: two different files want the path /%s", name)
	}
	s.files[name] = data
	return nil
}

// Next returns a copy of s, sharing its files' bytes, for a dev server's
// rebuild that makes a few files again and keeps the others as s has
// them: in it WriteFile replaces a file s holds (still refusing two
// different files for one name from the rebuild itself), and Remove drops
// one the rebuild no longer makes. It copies the names alone, which on a
// site of 10,000 stories is a millisecond where listing the files to
// keep (Keep) is many.
func (s *Set) Next() *Set {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &Set{files: maps.Clone(s.files), sources: maps.Clone(s.sources), written: map[string]bool{}}
}

// Remove drops a file from a Set made by Next.
func (s *Set) Remove(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.files, name)
	delete(s.sources, name)
}

// Keep adds the files names of prev as prev holds them, as a dev
// server's rebuild keeps the pages an edit did not change: with one lock
// for them all, since they are most of a site. It returns false, having
// added only some, when prev lacks one of them; a name this set holds
// with other bytes is an error, as for WriteFile.
func (s *Set) Keep(prev *Set, names []string) (bool, error) {
	prev.mu.Lock()
	defer prev.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, name := range names {
		data, ok := prev.files[name]
		if !ok {
			return false, nil
		}
		if old, ok := s.files[name]; ok && string(old) != string(data) {
			return false, fmt.Errorf("output: two different files want the path /%s", name)
		}
		if _, ok := s.sources[name]; ok {
			return false, fmt.Errorf("output: two different files want the path /%s", name)
		}
		s.files[name] = data
	}
	return true, nil
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

// WriteDir writes the set to dir with a Writer, creating it and skipping
// files whose content is already there.
//
// Postcard only ever deletes what it wrote itself: it keeps the list of the
// files it wrote in dir/ManifestName, written last, and removes only the
// listed files this build no longer produces. Files it did not write (a
// host's CNAME, say) are left alone, unless this build produces the same
// path. dir must not exist, be empty, or hold that marker; any other
// folder is refused unless o.Clean. A folder that is or holds the source,
// holds a Git repository or looks like a site's sources is always refused.
func (s *Set) WriteDir(dir string, o WriteOptions) error {
	w, err := NewWriter(dir, o)
	if err != nil {
		return err
	}
	for _, name := range s.Names() {
		if src, ok := s.source(name); ok {
			err = w.AddSource(name, src)
		} else {
			data, _ := s.Get(name)
			err = w.WriteFile(name, data)
		}
		if err != nil {
			return errors.Join(err, w.Abort())
		}
	}
	return w.Close()
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

// writeAtomic writes through a temporary file and a rename, so a reader
// sees the old file or the new one, never half of one. Only the record of
// what Postcard wrote needs it (see writer.go).
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
