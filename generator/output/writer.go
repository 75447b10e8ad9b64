package output

// Writing in place, and what a crash leaves behind.
//
// A build of 10,000 stories writes some 15,000 files, and most of a cold
// build's time went into the kernel creating a temporary file, renaming it
// and changing its mode, for every one of them, one after another. The
// Writer instead opens each changed file where it lies (O_WRONLY|O_CREATE|
// O_TRUNC), makes each folder once, changes a mode only when it is wrong,
// and writes from a few goroutines while the pages are still being
// rendered, so the site is never held whole in memory.
//
// A file written in place can be seen half written, by a server reading
// the destination during the build or after a crash. Postcard's record of
// what it wrote (ManifestName) is what makes the second case safe:
//
//   - The record is replaced (through a temporary file and a rename, so it
//     is whole or absent) only after every file is written, and it gives
//     each file its size, modification time and a hash of its contents.
//   - A file is skipped only when its hash is the one this build produces
//     and the file on disk still has the recorded size and modification
//     time (the quick check rsync makes); otherwise it is compared byte by
//     byte or rewritten. A file a crashed build was writing was changing,
//     so its recorded hash is the old one, or its time is new: either way
//     the next build rewrites it.
//   - Before a file the record does not list is created, its name is
//     appended to the record, so a crashed build's new files are still
//     Postcard's to remove.
//
// A build that fails after some files were written (a template error on
// one page, say) leaves them written and records them: the destination is
// then a mix of the two builds until the next successful one.
//
// Skipping by the recorded hash rather than by reading every file back was
// measured on BenchmarkWrite's "unchanged" case: a stat per file in place
// of an open, a read and a close (see BENCHMARKS.md).

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
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
	"sync/atomic"
)

// writers is how many files are written at once. Creating a file is
// mostly kernel work on one inode; a few at once keep the disk and both
// cores of a small machine busy while the renderer produces the next
// pages, and more only add contention on the same folders.
const writers = 4

// queued is how many produced files may wait for a writer: it bounds the
// memory a fast renderer can fill ahead of the disk.
const queued = 64

// WriteStats count what a Writer did.
type WriteStats struct {
	Written int // files created or rewritten
	Linked  int // files published from the image cache by link or clone
	Copied  int // cache files that could not be linked or cloned, copied
	Skipped int // files already there with the same contents
	Removed int // files of an earlier build this one no longer produces
}

// Writer writes a build's files into a destination as they are produced.
// It is safe for concurrent use. Close finishes the build; Abort stops a
// failed one.
type Writer struct {
	d    *dest
	prev map[string]entry // the record of the previous build
	opts WriteOptions

	jobs chan job
	wg   sync.WaitGroup

	mu       sync.Mutex
	files    map[string]entry // every file of this build, once written
	journal  *os.File         // the record, open for appending names
	errs     []error
	dirs     map[string]bool // folders known to exist
	finished bool

	written, linked, copied, skipped atomic.Int64
	removed                          int
}

type job struct {
	name string
	data []byte
	src  *Source
}

// entry is what the record says of one file. A record written before
// hashes were kept, or a name appended while a build ran, has only a name.
type entry struct {
	size  int64
	mtime int64  // nanoseconds
	hash  string // hashOf(contents), or "k:" and the cache file's name
}

// NewWriter checks that dir may be written to (see Set.WriteDir for the
// rules), creates it and starts the writers.
func NewWriter(dir string, o WriteOptions) (*Writer, error) {
	d, err := prepareDest(dir, o)
	if err != nil {
		return nil, err
	}
	w := &Writer{d: d, prev: d.entries, opts: o, jobs: make(chan job, queued), files: map[string]entry{}, dirs: map[string]bool{".": true}}
	if w.journal, err = d.openJournal(); err != nil {
		d.root.Close()
		return nil, err
	}
	for range writers {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for j := range w.jobs {
				if err := w.write(j); err != nil {
					w.fail(err)
				}
			}
		}()
	}
	return w, nil
}

// Dir is the destination, absolute, with symbolic links resolved.
func (w *Writer) Dir() string { return w.d.dir }

// ConcurrentWrites tells the image pipeline that a Writer takes files from
// many goroutines at once.
func (w *Writer) ConcurrentWrites() {}

// WriteFile queues a file to be written. data must not change afterwards.
// A name given twice with different contents is an error, reported by
// Close: two things want the same URL.
func (w *Writer) WriteFile(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	w.jobs <- job{name: name, data: data}
	return nil
}

// AddSource queues a file streamed from src, as Set.AddSource does.
func (w *Writer) AddSource(name string, src Source) error {
	if err := checkName(name); err != nil {
		return err
	}
	w.jobs <- job{name: name, src: &src}
	return nil
}

func checkName(name string) error {
	if !fs.ValidPath(name) || name == "." || strings.ContainsAny(name, "\t\r\n") {
		return fmt.Errorf("output: invalid file name %q", name)
	}
	if name == ManifestName {
		return fmt.Errorf("output: /%s is reserved for Postcard's list of the files it wrote", name)
	}
	return nil
}

func (w *Writer) fail(err error) {
	w.mu.Lock()
	w.errs = append(w.errs, err)
	w.mu.Unlock()
}

// claim reserves name for a file of this build with hash h. It reports
// false when the name is already taken: by the same contents (nil error,
// nothing to do) or by others (an error).
func (w *Writer) claim(name, h string) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if old, ok := w.files[name]; ok {
		if old.hash != h || h == "" {
			return false, fmt.Errorf("output: two different files want the path /%s", name)
		}
		return false, nil
	}
	w.files[name] = entry{hash: h}
	return true, nil
}

// unclaim gives up a name claimed by a file that was not written.
func (w *Writer) unclaim(name string) {
	w.mu.Lock()
	delete(w.files, name)
	w.mu.Unlock()
}

// done records what was written under name.
func (w *Writer) done(name string, e entry) {
	w.mu.Lock()
	w.files[name] = e
	w.mu.Unlock()
}

func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	// 128 bits: the hash tells this build's file from the last one's, it is
	// no signature.
	return hex.EncodeToString(sum[:16])
}

func (w *Writer) write(j job) error {
	if j.src != nil {
		if ok, err := w.claim(j.name, ""); !ok {
			return err
		}
		e, err := w.stream(j.name, j.src)
		if err != nil {
			return fmt.Errorf("writing %s: %w", j.name, err)
		}
		w.done(j.name, e)
		return nil
	}
	h := hashOf(j.data)
	if ok, err := w.claim(j.name, h); !ok {
		return err
	}
	p := w.path(j.name)
	st, err := os.Lstat(p)
	if err == nil && st.Mode().IsRegular() && st.Size() == int64(len(j.data)) {
		if e, ok := w.prev[j.name]; ok && e.hash == h && e.size == st.Size() && e.mtime == st.ModTime().UnixNano() {
			w.skipped.Add(1)
			w.done(j.name, e)
			return nil
		}
		// No record, or the file changed since: compare what is there.
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, j.data) {
			w.skipped.Add(1)
			w.done(j.name, entry{size: st.Size(), mtime: st.ModTime().UnixNano(), hash: h})
			return nil
		}
	}
	f, err := w.create(j.name, st, err)
	if err != nil {
		return err
	}
	_, err = f.Write(j.data)
	e, err := w.finish(f, err)
	if err != nil {
		return fmt.Errorf("writing %s: %w", j.name, err)
	}
	e.hash = h
	w.written.Add(1)
	w.done(j.name, e)
	return nil
}

// stream writes a Source, hashing it on the way. When the file on disk is
// the one the record describes, the source is read and hashed first, and
// not written when it is the same: a source is large (a video), and
// reading it costs less than writing it.
func (w *Writer) stream(name string, src *Source) (entry, error) {
	st, statErr := os.Lstat(w.path(name))
	if e, ok := w.prev[name]; ok && statErr == nil && e.hash != "" && st.Mode().IsRegular() && e.size == src.Size && e.size == st.Size() && e.mtime == st.ModTime().UnixNano() {
		if h, err := hashSource(src); err == nil && h == e.hash {
			w.skipped.Add(1)
			return e, nil
		}
	}
	r, err := src.Open()
	if err != nil {
		return entry{}, err
	}
	defer r.Close()
	f, err := w.create(name, st, statErr)
	if err != nil {
		return entry{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, src.Size+1))
	if err == nil && n != src.Size {
		err = fmt.Errorf("read %d bytes, want %d: the source changed during the build", n, src.Size)
	}
	e, err := w.finish(f, err)
	if err != nil {
		return entry{}, err
	}
	e.hash = hex.EncodeToString(h.Sum(nil)[:16])
	w.written.Add(1)
	return e, nil
}

func hashSource(src *Source) (string, error) {
	r, err := src.Open()
	if err != nil {
		return "", err
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(r, src.Size+1)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

func (w *Writer) path(name string) string {
	return filepath.Join(w.d.dir, filepath.FromSlash(name))
}

// create opens name for writing in place, given what Lstat said of it.
// What is not a plain file Postcard may write into is removed first: a
// folder of Postcard's files (refused if it holds others), a symbolic link
// (writing through it would write elsewhere), and a file with more than one
// link (a published image that shares its inode with the image cache:
// writing into it would change the cached file).
func (w *Writer) create(name string, st fs.FileInfo, statErr error) (*os.File, error) {
	p := w.path(name)
	if statErr == nil {
		switch {
		case st.IsDir():
			if !w.d.canRemoveDir(name) {
				return nil, fmt.Errorf("%s is a folder Postcard did not write, where the site has a file: move it away", p)
			}
			if err := os.RemoveAll(p); err != nil {
				return nil, err
			}
		case !st.Mode().IsRegular() || links(st) != 1:
			if err := os.Remove(p); err != nil {
				return nil, err
			}
		}
	} else if err := w.mkdir(path.Dir(name)); err != nil {
		return nil, err
	}
	if _, listed := w.prev[name]; !listed {
		if err := w.appendJournal(name); err != nil {
			return nil, err
		}
	}
	return os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
}

// finish closes a file written with the error werr, makes it readable by
// everyone if the umask said otherwise, and returns its size and time.
func (w *Writer) finish(f *os.File, werr error) (entry, error) {
	st, err := f.Stat()
	if werr == nil && err == nil && st.Mode().Perm() != 0o644 {
		// A web server reads the destination under another user.
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if werr != nil {
		err = werr
	}
	if err != nil {
		return entry{}, err
	}
	return entry{size: st.Size(), mtime: st.ModTime().UnixNano()}, nil
}

// mkdir makes a folder of the destination and its parents, once per build.
func (w *Writer) mkdir(dir string) error {
	w.mu.Lock()
	known := w.dirs[dir]
	w.mu.Unlock()
	if known {
		return nil
	}
	if err := os.MkdirAll(filepath.Join(w.d.dir, filepath.FromSlash(dir)), 0o755); err != nil {
		return err
	}
	w.mu.Lock()
	for d := dir; d != "."; d = path.Dir(d) {
		w.dirs[d] = true
	}
	w.mu.Unlock()
	return nil
}

func (w *Writer) appendJournal(name string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	_, err := w.journal.WriteString(name + "\n")
	return err
}

// Names lists the files of the build so far, in order.
func (w *Writer) Names() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]string, 0, len(w.files))
	for n := range w.files {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Stats counts what the Writer did so far.
func (w *Writer) Stats() WriteStats {
	return WriteStats{
		Written: int(w.written.Load()),
		Linked:  int(w.linked.Load()),
		Copied:  int(w.copied.Load()),
		Skipped: int(w.skipped.Load()),
		Removed: w.removed,
	}
}

// wait lets the writers finish and returns their errors; it is called
// once, by Close or Abort.
func (w *Writer) wait() error {
	w.mu.Lock()
	if w.finished {
		w.mu.Unlock()
		return errors.New("output: the writer is already closed")
	}
	w.finished = true
	w.mu.Unlock()
	close(w.jobs)
	w.wg.Wait()
	return errors.Join(w.errs...)
}

// Close waits for every file to be written, removes the files an earlier
// build wrote and this one did not produce, and writes the record. When a
// file could not be written, nothing is removed and the record keeps both
// builds' files, as Abort does.
func (w *Writer) Close() error {
	if err := w.wait(); err != nil {
		return errors.Join(err, w.record(true))
	}
	names := w.Names()
	n, err := w.d.removeStale(names, w.opts.Clean)
	w.removed = n
	if err != nil {
		return errors.Join(err, w.record(true))
	}
	return w.record(false)
}

// Abort stops a failed build: it waits for the files already handed over,
// removes nothing, and records them with the earlier build's, so the next
// build still knows every file Postcard wrote.
func (w *Writer) Abort() error {
	err := w.wait()
	return errors.Join(err, w.record(true))
}

// record replaces the record with this build's files, and with the
// previous record's too when keep.
func (w *Writer) record(keep bool) error {
	defer w.d.root.Close()
	cerr := w.journal.Close()
	w.mu.Lock()
	all := map[string]entry{}
	if keep {
		for n, e := range w.prev {
			all[n] = e
		}
		for _, n := range w.d.listed {
			if _, ok := all[n]; !ok {
				all[n] = entry{}
			}
		}
	}
	for n, e := range w.files {
		if e.size == 0 && e.mtime == 0 && keep {
			// Claimed but never written: keep the old entry, if any.
			if _, ok := all[n]; ok {
				continue
			}
		}
		all[n] = e
	}
	w.mu.Unlock()
	return errors.Join(cerr, w.d.writeRecord(all))
}

// Intact reports whether each of names is in the destination as the
// previous build's record describes it (same size and time, a known
// hash): an incremental build asks before it leaves pages out, so that a
// page deleted or edited by hand since, or a destination emptied, gets
// its pages made again.
func (w *Writer) Intact(names []string) bool {
	for _, name := range names {
		if _, ok := w.unchanged(name); !ok {
			return false
		}
	}
	return true
}

func (w *Writer) unchanged(name string) (entry, bool) {
	e, ok := w.prev[name]
	if !ok || e.hash == "" || strings.HasPrefix(e.hash, "k:") {
		return entry{}, false
	}
	st, err := os.Lstat(w.path(name))
	if err != nil || !st.Mode().IsRegular() || st.Size() != e.size || st.ModTime().UnixNano() != e.mtime {
		return entry{}, false
	}
	return e, true
}

// Keep counts name, a file of the previous build, as one of this build's
// without being handed its bytes: an incremental build left its page out
// because nothing it shows changed. It is an error when the file is no
// longer what the record says.
func (w *Writer) Keep(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	e, ok := w.unchanged(name)
	if !ok {
		return fmt.Errorf("output: /%s changed in the destination while the build ran; build again", name)
	}
	if ok, err := w.claim(name, e.hash); !ok {
		return err
	}
	w.skipped.Add(1)
	w.done(name, e)
	return nil
}
