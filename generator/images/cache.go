package images

// The content-addressed cache.
//
// Layout, under Config.CacheDir (sites use <site>/.postcard-cache/images):
//
//	v1/<2 hex>/<64 hex>.<ext>   an encoded output (webp, jpg, png)
//	v1/<2 hex>/<64 hex>.json    a source's entry: its upright size, placeholder,
//	                            colour and the keys of all its outputs
//
// A key is the SHA-256 of the source's bytes, the operation (width, format,
// quality, crop and focus) and EncoderVersion, so an entry never changes once
// written and a changed photo, setting or encoder simply misses.
//
// Invariants that make two builds at once safe:
//   - entries are written to a temporary file in the same folder and renamed
//     into place, so a reader sees a whole entry or none; two writers of the
//     same key write the same bytes, and the last rename wins harmlessly;
//   - a reader treats any missing or unreadable entry as a miss and makes
//     the output again from the source, so an entry pruned by another build
//     at the wrong moment costs time, never a broken site;
//   - every entry a build uses has its modification time set to now (when
//     it is more than touchAfter old, to spare the disk a write per entry per
//     build), and Prune removes only entries that this Processor did not use
//     AND that no one touched in the pruneGrace before it was created: a
//     build running beside it keeps its own entries.
//
// To skip reading and hashing unchanged sources, a ".src" entry maps a
// source's path, size and modification time to the hash of its bytes, like
// Git's index. It is written only for files last modified more than
// racyWindow before they were hashed, so a file changed within the clock's
// granularity of the hashing is never trusted.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

const cacheVersionDir = "v1"

const (
	touchAfter = 10 * time.Minute
	pruneGrace = time.Hour
	racyWindow = 2 * time.Second
)

// cache is the on-disk store; the zero value (dir "") stores nothing.
type cache struct {
	dir string

	mu   sync.Mutex
	used map[string]bool // file names (key.ext) used by this Processor
}

// key hashes its parts into a cache key, 64 hex digits.
func key(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (c *cache) enabled() bool { return c.dir != "" }

func (c *cache) path(name string) string {
	return filepath.Join(c.dir, cacheVersionDir, name[:2], name)
}

func (c *cache) markUsed(name string) {
	c.mu.Lock()
	if c.used == nil {
		c.used = map[string]bool{}
	}
	c.used[name] = true
	c.mu.Unlock()
}

// get returns the entry name (key.ext), touching it; an error means a miss.
func (c *cache) get(name string) ([]byte, error) {
	if !c.enabled() {
		return nil, fs.ErrNotExist
	}
	p := c.path(name)
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	data, err := readAll(f, make([]byte, 0, st.Size()+1))
	if err != nil {
		return nil, err
	}
	if now := time.Now(); now.Sub(st.ModTime()) > touchAfter {
		_ = os.Chtimes(p, now, now) // best effort: a failed touch only risks an early prune
	}
	c.markUsed(name)
	return data, nil
}

// stat returns the path and size of an entry, touching it; an error means a
// miss.
func (c *cache) stat(name string) (string, int64, error) {
	if !c.enabled() {
		return "", 0, fs.ErrNotExist
	}
	p := c.path(name)
	st, err := os.Stat(p)
	if err != nil {
		return "", 0, err
	}
	if now := time.Now(); now.Sub(st.ModTime()) > touchAfter {
		_ = os.Chtimes(p, now, now)
	}
	c.markUsed(name)
	return p, st.Size(), nil
}

// put writes an entry atomically: a temporary file renamed into place.
//
// Entries are immutable once written, and must stay so: a published image
// may be a hard link to its entry (output.Writer.LinkFile), so writing into
// an entry would change a live site. Nothing here opens an entry for
// writing: a second put of a name renames a new file over it (links keep
// the old one), Prune removes names, and get and stat change only times.
func (c *cache) put(name string, data []byte) error {
	if !c.enabled() {
		return nil
	}
	p := c.path(name)
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	// Published files may be links to this one: readable by all, like any
	// file a web server serves (CreateTemp makes them private).
	merr := f.Chmod(0o644)
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(merr, werr, cerr); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return err
	}
	c.markUsed(name)
	return nil
}

// getJSON reads a JSON entry into v.
func (c *cache) getJSON(name string, v any) error {
	data, err := c.get(name)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// putJSON writes v as a JSON entry.
func (c *cache) putJSON(name string, v any) error {
	if !c.enabled() {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.put(name, data)
}

// prune removes entries not used by this Processor and not touched in the
// pruneGrace before notBefore, and temporary files older than an hour (left by a killed
// build). It returns the number of files removed.
func (c *cache) prune(notBefore time.Time) (int, error) {
	if !c.enabled() {
		return 0, nil
	}
	root := filepath.Join(c.dir, cacheVersionDir)
	notBefore = notBefore.Add(-pruneGrace)
	c.mu.Lock()
	used := make(map[string]bool, len(c.used))
	for k := range c.used {
		used[k] = true
	}
	c.mu.Unlock()
	removed := 0
	var errs []error
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		name := d.Name()
		info, err := d.Info()
		if err != nil {
			return nil // removed meanwhile by another build
		}
		stale := false
		if strings.HasPrefix(name, ".tmp-") {
			stale = time.Since(info.ModTime()) > time.Hour
		} else {
			stale = !used[name] && info.ModTime().Before(notBefore)
		}
		if stale {
			if err := os.Remove(p); err == nil {
				removed++
			} else if !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
		return nil
	})
	return removed, errors.Join(append(errs, err)...)
}

// sourceEntry is a source's JSON cache entry: what a warm build needs to
// publish it without decoding a pixel.
type sourceEntry struct {
	Width       int           `json:"w"`
	Height      int           `json:"h"`
	Placeholder string        `json:"placeholder,omitempty"`
	Color       string        `json:"color"`
	Alpha       bool          `json:"alpha,omitempty"`
	Sources     []entrySource `json:"sources"`
	Card        *entryFile    `json:"card,omitempty"`
}

type entrySource struct {
	Format string      `json:"format"`
	Files  []entryFile `json:"files"`
}

// entryFile is one output: its published name and its cache entry name.
type entryFile struct {
	Name   string `json:"name"`
	Entry  string `json:"entry"`
	Width  int    `json:"w"`
	Height int    `json:"h"`
}
