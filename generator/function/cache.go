package function

// A warm build compiles nothing. The function for a target is a program
// (Postcard's own executable, or the function compiled alone) with the
// manifest attached, so it depends on nothing else:
//
//   - a compiled program is kept in the cache under a hash of what it is
//     compiled from (the target, and Postcard's source: each Go file's
//     path, size and modification time, or the release version fetched
//     through the module proxy), so it is compiled again only when that
//     source changes;
//   - a written function is remembered in the cache by a hash of its
//     program and its manifest, with the size and time of the file
//     written, so it is not written again while both are unchanged.
//
// The cache is the site's .postcard-cache/function/ and may be deleted at
// any time: the next build compiles and writes again.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// funcCache is the function's part of the build cache; a zero funcCache
// (no folder) keeps nothing.
type funcCache struct{ dir string }

func hashParts(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// fileID names a file by its path, size and modification time: enough to
// tell that an executable was rebuilt.
func fileID(p string) (string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s\x00%d\x00%d", p, st.Size(), st.ModTime().UnixNano()), nil
}

// sourceID fingerprints the Go source of a module tree: every non-test Go
// file, go.mod and go.sum, by path, size and time. Folders the go command
// ignores (testdata, names starting with . or _) and node_modules are
// skipped.
func sourceID(root string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !(strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")) && name != "go.mod" && name != "go.sum" {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00", p, info.Size(), info.ModTime().UnixNano())
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

func programName(t Target, k string) string { return t.OS + "-" + t.Arch + "-" + k }

// program returns the cached program for t with key k.
func (c funcCache) program(t Target, k string) ([]byte, bool) {
	if c.dir == "" {
		return nil, false
	}
	b, err := os.ReadFile(filepath.Join(c.dir, "programs", programName(t, k)))
	return b, err == nil
}

// putProgram keeps a compiled program, through a temporary file and a
// rename so a reader never sees half of one, and removes the target's
// older programs: their source is gone.
func (c funcCache) putProgram(t Target, k string, b []byte) error {
	if c.dir == "" {
		return nil
	}
	dir := filepath.Join(c.dir, "programs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if old, err := filepath.Glob(filepath.Join(dir, t.OS+"-"+t.Arch+"-*")); err == nil {
		for _, p := range old {
			os.Remove(p)
		}
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(b)
	if err := f.Close(); werr == nil {
		werr = err
	}
	if werr != nil {
		os.Remove(f.Name())
		return werr
	}
	return os.Rename(f.Name(), filepath.Join(dir, programName(t, k)))
}

// written is what the cache remembers of a function it wrote.
type written struct {
	Key   string `json:"key"`
	Size  int64  `json:"size"`
	MTime int64  `json:"mtime"`
}

func (c funcCache) stampPath(t Target) string {
	return filepath.Join(c.dir, "written-"+t.OS+"-"+t.Arch+".json")
}

// fresh reports whether out is the function with key k, as this cache
// wrote it.
func (c funcCache) fresh(t Target, k, out string) bool {
	if c.dir == "" {
		return false
	}
	data, err := os.ReadFile(c.stampPath(t))
	if err != nil {
		return false
	}
	var w written
	if json.Unmarshal(data, &w) != nil || w.Key != k {
		return false
	}
	st, err := os.Stat(out)
	return err == nil && st.Mode().IsRegular() && st.Size() == w.Size && st.ModTime().UnixNano() == w.MTime
}

// remember records that out is the function with key k.
func (c funcCache) remember(t Target, k, out string) error {
	if c.dir == "" {
		return nil
	}
	st, err := os.Stat(out)
	if err != nil {
		return err
	}
	data, err := json.Marshal(written{Key: k, Size: st.Size(), MTime: st.ModTime().UnixNano()})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(c.stampPath(t), data, 0o644)
}

// writeIfChanged writes a small file unless it already holds data.
func writeIfChanged(p string, data []byte, perm os.FileMode) error {
	if old, err := os.ReadFile(p); err == nil && string(old) == string(data) {
		return nil
	}
	return os.WriteFile(p, data, perm)
}
