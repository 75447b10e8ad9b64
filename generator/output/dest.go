package output

// A build destination is a folder Postcard deletes files in, so it must be
// sure the files are its own: `--destination ..` once removed a site's
// sources and its Git repository. Postcard therefore remembers what it wrote
// in a marker file and deletes nothing else, and refuses outright any folder
// that is or holds the sources or a Git repository.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ManifestName is the marker file, at the root of a destination, that lists
// every file Postcard wrote there, one slash path a line. It is written on
// disk only: it is never part of a Set, so it is not served or counted.
const ManifestName = ".postcard-output"

const manifestHeader = "# Files written by Postcard. The next build removes those it no longer\n# produces and nothing else. Do not edit.\n"

// sourceMarkers are names whose presence says a folder holds a site's or
// a Go module's sources, not a build.
var sourceMarkers = []string{"site.toml", "go.mod", "content", ".git"}

// sourceDirs are the folders of a site that are its input. A destination
// inside one of them would overwrite sources.
var sourceDirs = []string{"content", "static", "layouts", "themes", "assets", ".postcard-cache"}

// dest is a destination folder prepared for writing.
type dest struct {
	dir     string // absolute
	root    *os.Root
	listed  []string         // what the marker says a previous build wrote
	entries map[string]entry // the same, with what it says of each file
	clean   bool             // take over a folder without a marker
}

// prepareDest checks that dir may be written to and creates it. Nothing is
// changed on disk unless it returns no error.
func prepareDest(dir string, o WriteOptions) (*dest, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	refuse := func(format string, args ...any) error {
		return fmt.Errorf("refusing to write the site into %s: %s", dir, fmt.Sprintf(format, args...))
	}
	real, err := resolve(abs)
	if err != nil {
		return nil, err
	}
	if o.Source != "" {
		src, err := filepath.Abs(o.Source)
		if err != nil {
			return nil, err
		}
		if src, err = resolve(src); err != nil {
			return nil, err
		}
		if within(src, real) {
			if src == real {
				return nil, refuse("it is the site's own folder; pick a folder inside it, such as public")
			}
			return nil, refuse("it holds the site's own folder %s, which building would overwrite", o.Source)
		}
		if within(real, src) {
			rel, _ := filepath.Rel(src, real)
			first := strings.Split(filepath.ToSlash(rel), "/")[0]
			if slices.Contains(sourceDirs, first) {
				return nil, refuse("it is inside the site's %s/ folder, which holds its sources", first)
			}
		}
	}
	entries, err := os.ReadDir(real)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(real, 0o755); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	}
	d := &dest{dir: real, clean: o.Clean}
	if len(entries) > 0 {
		data, err := os.ReadFile(filepath.Join(real, ManifestName))
		marked := err == nil
		switch {
		case marked:
			if d.entries, err = parseRecord(data); err != nil {
				return nil, refuse("%s: %v", ManifestName, err)
			}
			for n := range d.entries {
				d.listed = append(d.listed, n)
			}
			slices.Sort(d.listed)
		case !errors.Is(err, fs.ErrNotExist):
			return nil, err
		}
		// A name that marks sources is refused, unless Postcard wrote it
		// (a page called content, say).
		for _, m := range sourceMarkers {
			if _, err := os.Lstat(filepath.Join(real, m)); err == nil && (m == ".git" || !d.wrote(m)) {
				return nil, refuse("it holds %s, so it looks like a source folder, not a build destination", m)
			}
		}
		if !marked && !o.Clean {
			return nil, refuse("it is not empty and Postcard did not write it (it has no %s); empty it, pick another folder, or pass --clean-destination to delete everything in it", ManifestName)
		}
		// A Git repository anywhere below is never Postcard's to delete.
		if err := findGit(real); err != nil {
			return nil, refuse("%v", err)
		}
	}
	if d.root, err = os.OpenRoot(real); err != nil {
		return nil, err
	}
	return d, nil
}

// resolve evaluates the symbolic links of p's longest existing prefix, so a
// folder not yet created compares as it will be.
func resolve(p string) (string, error) {
	var rest []string
	for {
		r, err := filepath.EvalSymlinks(p)
		if err == nil {
			return filepath.Join(append([]string{r}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(p)
		if parent == p {
			return "", err
		}
		rest = append([]string{filepath.Base(p)}, rest...)
		p = parent
	}
}

// within reports whether p is dir or inside it; both are clean and absolute.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func findGit(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Name() == ".git" {
			return fmt.Errorf("it holds a Git repository (%s)", p)
		}
		return nil
	})
}

// parseRecord reads a marker: comment lines, then one file a line: its
// valid slash path, alone or followed by its size, modification time (in
// nanoseconds) and hash, separated by tabs. A name listed twice keeps its
// last line.
func parseRecord(data []byte) (map[string]entry, error) {
	out := map[string]entry{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64<<10)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSuffix(sc.Text(), "\r")
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		name, rest, full := strings.Cut(l, "\t")
		if !fs.ValidPath(name) || name == "." || name == ManifestName {
			return nil, fmt.Errorf("line %d: %q is not a file Postcard writes", n, name)
		}
		var e entry
		if full {
			f := strings.Split(rest, "\t")
			var err1, err2 error
			if len(f) == 3 {
				e.size, err1 = strconv.ParseInt(f[0], 10, 64)
				e.mtime, err2 = strconv.ParseInt(f[1], 10, 64)
				e.hash = f[2]
			}
			if len(f) != 3 || err1 != nil || err2 != nil {
				// What the file was is unknown: it is compared, not trusted.
				e = entry{}
			}
		}
		out[name] = e
	}
	return out, sc.Err()
}

// wrote reports whether the marker lists name, or a file under it.
func (d *dest) wrote(name string) bool {
	for _, n := range d.listed {
		if n == name || strings.HasPrefix(n, name+"/") {
			return true
		}
	}
	return false
}

// writeMarker records names as the files Postcard wrote, saying nothing
// of their contents.
func (d *dest) writeMarker(names []string) error {
	all := map[string]entry{}
	for _, n := range names {
		all[n] = entry{}
	}
	return d.writeRecord(all)
}

// writeRecord replaces the marker with files, through a temporary file and
// a rename: a reader (the next build, after a crash) sees the old record
// or the new one, never half of one.
func (d *dest) writeRecord(files map[string]entry) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	var b bytes.Buffer
	b.WriteString(manifestHeader)
	for _, n := range names {
		e := files[n]
		b.WriteString(n)
		if e.hash != "" {
			fmt.Fprintf(&b, "\t%d\t%d\t%s", e.size, e.mtime, e.hash)
		}
		b.WriteByte('\n')
	}
	return writeAtomic(filepath.Join(d.dir, ManifestName), b.Bytes())
}

// openJournal opens the marker for appending the names of files a build
// creates before it records them in full (see writer.go), creating it
// when the folder has none.
func (d *dest) openJournal() (*os.File, error) {
	p := filepath.Join(d.dir, ManifestName)
	if d.entries == nil {
		if err := d.writeRecord(nil); err != nil {
			return nil, err
		}
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, err
	}
	// A crash while appending may have left half a line: end it, so the
	// next name starts a line of its own.
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if r, err := os.Open(p); err == nil {
			_, rerr := r.ReadAt(last, st.Size()-1)
			r.Close()
			if rerr == nil && last[0] != '\n' {
				if _, err := f.WriteString("\n"); err != nil {
					f.Close()
					return nil, err
				}
			}
		}
	}
	return f, nil
}

// removeStale removes the listed files this build does not produce, then
// the folders that left empty. Taking over a folder without a marker
// (clean), it removes everything the build does not produce.
func (d *dest) removeStale(names []string, clean bool) (int, error) {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	if clean && d.listed == nil {
		return 0, d.removeUnwanted(want)
	}
	var errs []error
	removed := 0
	dirs := map[string]bool{}
	for _, n := range d.listed {
		if want[n] {
			continue
		}
		if err := d.root.Remove(n); err == nil {
			removed++
		} else if !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		for p := path.Dir(n); p != "."; p = path.Dir(p) {
			dirs[p] = true
		}
	}
	// Deepest first; Remove fails harmlessly on a folder that is not empty.
	ds := make([]string, 0, len(dirs))
	for p := range dirs {
		ds = append(ds, p)
	}
	slices.SortFunc(ds, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	for _, p := range ds {
		if ents, err := fs.ReadDir(d.root.FS(), p); err == nil && len(ents) == 0 {
			_ = d.root.Remove(p)
		}
	}
	return removed, errors.Join(errs...)
}

// removeUnwanted removes every file and folder the build does not produce.
func (d *dest) removeUnwanted(want map[string]bool) error {
	keep := map[string]bool{ManifestName: true}
	for n := range want {
		keep[n] = true
		for p := path.Dir(n); p != "."; p = path.Dir(p) {
			keep[p] = true
		}
	}
	var stale []string
	err := fs.WalkDir(d.root.FS(), ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		if !keep[p] || (!e.IsDir() && !want[p] && p != ManifestName) {
			stale = append(stale, p)
			if e.IsDir() {
				return fs.SkipDir
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := len(stale) - 1; i >= 0; i-- {
		if err := d.root.RemoveAll(stale[i]); err != nil {
			return err
		}
	}
	return nil
}

// canRemoveDir reports whether the folder name, in the way of a file the
// build writes, holds only files Postcard wrote.
func (d *dest) canRemoveDir(name string) bool {
	if d.clean && d.listed == nil {
		return true
	}
	ok := true
	_ = fs.WalkDir(d.root.FS(), name, func(p string, e fs.DirEntry, err error) error {
		if err != nil || (!e.IsDir() && !slices.Contains(d.listed, p)) {
			ok = false
			return fs.SkipAll
		}
		return nil
	})
	return ok
}

func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}
