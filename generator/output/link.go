package output

// Publishing from the image cache.
//
// A warm build's images are all in the image cache already; copying their
// bytes into the destination would read and write hundreds of megabytes
// for nothing. LinkFile publishes a cache file by a hard link instead, or,
// where the cache and the destination are on different file systems or
// links are not allowed, by a copy-on-write clone (FICLONE, on Btrfs, XFS
// and the like), and only failing both by a streamed copy.
//
// A hard link shares the file with the cache, so neither side may ever
// write into it:
//
//   - The image cache never writes into a file it made: a cache entry is
//     written to a temporary file and renamed into place, and pruning
//     removes names, so a published link keeps the bytes it was made with
//     (generator/images/cache.go).
//   - The Writer never writes into a file with more than one link: it
//     removes it first (see create in writer.go), so rewriting a page or
//     an image in the destination never reaches the cache.

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
)

// LinkFile publishes the image cache file cached (an absolute path) as
// name. The cache file must never be written into after it was made.
// Unlike WriteFile it works at once, in the caller's goroutine: the image
// pipeline calls it from its own workers.
func (w *Writer) LinkFile(name, cached string) (err error) {
	if err := checkName(name); err != nil {
		return err
	}
	cst, err := os.Stat(cached)
	if err != nil {
		return err
	}
	// The cache file's name is its key, a hash of what it was made from,
	// so it stands for its contents.
	h := "k:" + filepath.Base(cached)
	if ok, err := w.claim(name, h); !ok {
		return err
	}
	defer func() {
		if err != nil {
			// The caller may write the bytes instead (see images.LinkSink).
			w.unclaim(name)
		}
	}()
	p := w.path(name)
	st, err := os.Lstat(p)
	if err == nil {
		if os.SameFile(st, cst) {
			w.skipped.Add(1)
			w.done(name, entry{size: st.Size(), mtime: st.ModTime().UnixNano(), hash: h})
			return nil
		}
		if e, ok := w.prev[name]; ok && e.hash == h && st.Mode().IsRegular() && e.size == st.Size() && e.mtime == st.ModTime().UnixNano() {
			w.skipped.Add(1) // a clone or copy made by an earlier build
			w.done(name, e)
			return nil
		}
		if st.IsDir() {
			if !w.d.canRemoveDir(name) {
				return fmt.Errorf("%s is a folder Postcard did not write, where the site has a file: move it away", p)
			}
			if err := os.RemoveAll(p); err != nil {
				return err
			}
		} else if err := os.Remove(p); err != nil {
			return err
		}
	} else if err := w.mkdir(path.Dir(name)); err != nil {
		return err
	}
	if _, listed := w.prev[name]; !listed {
		if err := w.appendJournal(name); err != nil {
			return err
		}
	}
	// Hard links only where the Writer can tell a linked file from its own
	// (see links), so that it never writes into one.
	if hardLinks && os.Link(cached, p) == nil {
		st, err := os.Lstat(p)
		if err != nil {
			return err
		}
		w.linked.Add(1)
		w.done(name, entry{size: st.Size(), mtime: st.ModTime().UnixNano(), hash: h})
		return nil
	}
	e, cloned, err := w.cloneOrCopy(p, cached)
	if err != nil {
		return fmt.Errorf("publishing %s: %w", name, err)
	}
	if cloned {
		w.linked.Add(1)
	} else {
		w.copied.Add(1)
	}
	e.hash = h
	w.done(name, e)
	return nil
}

// cloneOrCopy makes p a clone of the file from, or else a copy of it.
func (w *Writer) cloneOrCopy(p, from string) (entry, bool, error) {
	src, err := os.Open(from)
	if err != nil {
		return entry{}, false, err
	}
	defer src.Close()
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return entry{}, false, err
	}
	cloned := clone(f, src)
	var werr error
	if !cloned {
		_, werr = io.Copy(f, src)
	}
	e, err := w.finish(f, werr)
	return e, cloned, err
}
