package content

// The dev server loads content/ again after every save. Read whole, a
// folder of ten thousand stories costs seconds (a walk of ten thousand
// folders, then opening, decoding and parsing every file) for an edit to
// one of them, so Load can start from the last Load instead
// (Options.Reuse, Options.Changed).
//
// It can because an entry (a story, ambassador, contest or page, with its
// translations) is made from its own files alone: its Markdown files, the
// media of its bundle, and Options. An entry none of whose files changed
// is the one the last Load made, so it is taken as it was, with the
// warnings its files gave; only the entries a changed path belongs to are
// read again, and only their part of the folder listed again. The
// problems between entries (two files for one slug, a translation without
// its default-language file) are still looked for over the whole list.
// Options.Now matters only to "consent is in the future", which a later
// clock never makes true of a date that passed.

import (
	"errors"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/postcard-ssg/postcard/generator/diag"
)

// memo is what a Load that found no problem keeps for the next one.
type memo struct {
	location  string
	licences  []string
	languages []string
	files     []file
	byPath    map[string]loaded
}

// loaded is what one Markdown file made: the entry of a default-language
// file (with its translations), nothing for a translation, and the
// warnings either gave.
type loaded struct {
	obj   any
	warns []*diag.Error
}

func newMemo(o Options, files []file) *memo {
	return &memo{location: o.Location.String(), licences: o.Licences, languages: o.Languages, files: files, byPath: make(map[string]loaded, len(files))}
}

// keep records what f made and adds its warnings to warns.
func (m *memo) keep(f file, l loaded, warns *diag.List) {
	m.byPath[f.path] = l
	for _, w := range l.warns {
		warns.AddErr(diag.Pos{File: f.path}, w)
	}
}

// reusable returns c's memo when a Load with o may start from it.
func (c *Content) reusable(o Options) *memo {
	if c == nil || c.memo == nil {
		return nil
	}
	m := c.memo
	if m.location != o.Location.String() || !slices.Equal(m.licences, o.Licences) || !slices.Equal(m.languages, o.Languages) {
		return nil
	}
	return m
}

// loaded returns what the last Load made of f, unless f is stale.
func (m *memo) loaded(f file, stale func(file) bool) (loaded, bool) {
	if m == nil || stale(f) {
		return loaded{}, false
	}
	l, ok := m.byPath[f.path]
	return l, ok
}

// area is the part of a section's folder one entry's files can be in:
// the folder NAME/ and the files NAME.md and NAME.LANG.md.
type area struct{ section, name string }

// areaOf returns the area the slash path p (from the site root) is in.
// It returns false for a path of content/ outside the sections, or the
// sections' folders themselves, whose change may touch any entry.
func areaOf(p string) (area, bool) {
	rest, ok := strings.CutPrefix(p, Dir+"/")
	if !ok {
		return area{}, false
	}
	section, rest, ok := strings.Cut(rest, "/")
	if !ok {
		return area{}, false
	}
	switch section {
	case "stories", "ambassadors", "contests":
	default:
		return area{}, false
	}
	name, _, nested := strings.Cut(rest, "/")
	if name == "" {
		return area{}, false
	}
	if !nested && strings.HasSuffix(name, ".md") {
		name, _ = splitLang(name)
		name = strings.TrimSuffix(name, ".md")
	}
	return area{section, name}, true
}

// relist lists content/'s Markdown files as listFiles would, from the
// last Load's list and the paths changed since: only the areas of the
// changed paths are listed again. stale says which files' entries are to
// be read again: those of a changed area, and any the last Load has no
// record of. A changed path that may touch any entry lists everything
// and makes every file stale.
func relist(fsys fs.FS, prev *memo, changed []string, errs *diag.List) ([]file, func(file) bool, error) {
	areas := map[area]bool{}
	for _, p := range changed {
		p = path.Clean(p)
		if p != Dir && !strings.HasPrefix(p, Dir+"/") {
			continue // not content: a layout, say
		}
		a, ok := areaOf(p)
		if !ok {
			files, err := listFiles(fsys, errs)
			return files, func(file) bool { return true }, err
		}
		areas[a] = true
	}
	inArea := func(p string) bool {
		if len(areas) == 0 {
			return false
		}
		a, ok := areaOf(p)
		return ok && areas[a]
	}
	var files, fresh []file
	staleKeys := map[string]bool{}
	for _, f := range prev.files {
		if inArea(f.path) {
			staleKeys[keyOf(f)] = true
			continue
		}
		files = append(files, f)
	}
	// Each area is its folder, walked, and its single files: those the
	// last list had and those changed since.
	candidates := map[string]bool{}
	for a := range areas {
		candidates[path.Join(Dir, a.section, a.name)] = true
		staleKeys[a.section+"\x00"+a.name] = true
	}
	for _, p := range changed {
		if p = path.Clean(p); inArea(p) && strings.Count(p, "/") == 2 {
			candidates[p] = true
		}
	}
	for _, f := range prev.files {
		if inArea(f.path) && strings.Count(f.path, "/") == 2 {
			candidates[f.path] = true
		}
	}
	list := lister(&fresh, errs)
	for _, p := range slices.Sorted(maps.Keys(candidates)) {
		info, err := fs.Lstat(fsys, p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return nil, nil, err
		case info.IsDir():
			// A folder, not a link to one, as the whole walk sees it.
			err = fs.WalkDir(fsys, p, list)
		default:
			err = list(p, fs.FileInfoToDirEntry(info), nil)
		}
		if err != nil && !errors.Is(err, fs.SkipDir) {
			return nil, nil, err
		}
	}
	for _, f := range fresh {
		staleKeys[keyOf(f)] = true
	}
	files = append(files, fresh...)
	sortFiles(files)
	for _, f := range files {
		if _, ok := prev.byPath[f.path]; !ok {
			staleKeys[keyOf(f)] = true
		}
	}
	return files, func(f file) bool { return staleKeys[keyOf(f)] }, nil
}

// keyOf names the entry f is a file of: its section and slug, or a page's URL.
func keyOf(f file) string {
	section := sectionOf(f.path)
	if section == "" {
		return "\x00" + pageURL(f)
	}
	return section + "\x00" + f.slug
}

// Patch is Load for the commonest edit of all, a saved story: when every
// path in o.Changed is a file of a story that has no translation, whose
// files are still the ones the last Load (o.Reuse) listed, and whose file
// reads again without a problem, it returns o.Reuse with those stories
// read again, and each new story by the one it replaces. It lists no
// folder but the stories' own, so it costs the stories, not the site;
// anything else returns false, and Load is what to call.
func Patch(fsys fs.FS, o Options) (*Content, map[*Story]*Story, bool) {
	prev := o.Reuse.reusable(o)
	if prev == nil || len(o.Changed) == 0 {
		return nil, nil, false
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	areas := map[area]bool{}
	for _, p := range o.Changed {
		a, ok := areaOf(path.Clean(p))
		if !ok || a.section != "stories" {
			return nil, nil, false
		}
		areas[a] = true
	}
	// The areas' files as the last Load listed them, and as they are now.
	was := map[area][]file{}
	for _, f := range prev.files {
		if a, ok := areaOf(f.path); ok && areas[a] {
			was[a] = append(was[a], f)
		}
	}
	var errs diag.List
	defLang := ""
	if len(o.Languages) > 0 {
		defLang = o.Languages[0]
	}
	replaced := map[*Story]*Story{}
	byPath := maps.Clone(prev.byPath)
	for a := range areas {
		var now []file
		list := lister(&now, &errs)
		dir := path.Join(Dir, a.section, a.name)
		if info, err := fs.Lstat(fsys, dir); err == nil && info.IsDir() {
			if err := fs.WalkDir(fsys, dir, list); err != nil {
				return nil, nil, false
			}
		}
		if info, err := fs.Lstat(fsys, dir+".md"); err == nil {
			if err := list(dir+".md", fs.FileInfoToDirEntry(info), nil); err != nil {
				return nil, nil, false
			}
		}
		sortFiles(now)
		if errs.Len() > 0 || len(now) != 1 || !slices.Equal(now, was[a]) || now[0].lang != "" {
			return nil, nil, false
		}
		f := now[0]
		l, ok := prev.byPath[f.path]
		old, isStory := l.obj.(*Story)
		if !ok || !isStory || len(l.warns) > 0 || len(old.Translations) > 0 {
			return nil, nil, false
		}
		t := pending{f: f, section: a.section, key: f.slug}
		readOne(fsys, o, defLang, &t)
		st, isStory := t.obj.(*Story)
		if t.errs.Len() > 0 || t.warns.Len() > 0 || !isStory {
			return nil, nil, false
		}
		replaced[old] = st
		byPath[f.path] = loaded{obj: st}
	}
	c := *o.Reuse
	c.Stories = slices.Clone(c.Stories)
	for i, st := range c.Stories {
		if n, ok := replaced[st]; ok {
			c.Stories[i] = n
		}
	}
	m := *prev
	m.byPath = byPath
	c.memo = &m
	return &c, replaced, true
}
