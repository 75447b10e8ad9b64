// Package content reads a site's content/ folder: stories, ambassadors,
// contests and plain pages, each a Markdown file with front matter.
//
// It checks each file on its own against its typed schema (required fields,
// types, known values, media present, alt text, rights) and parses its body;
// relations between files (an ambassador that does not exist, a category
// that is not in the contest) are the site model's to check. Every problem is
// collected with its place so an editor sees them all at once.
package content

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/frontmatter"
	"github.com/postcard-ssg/postcard/generator/markdown"
)

// Dir is the content folder, relative to the site root.
const Dir = "content"

// Content is everything read from content/.
type Content struct {
	Stories     []*Story
	Ambassadors []*Ambassador
	Contests    []*Contest
	Pages       []*Page
	// Warnings are problems that do not stop the build, such as a
	// deprecated licence id.
	Warnings []*diag.Error

	memo *memo // what a later Load may reuse (reuse.go)
}

// Options are what reading content needs from the configuration and the world.
type Options struct {
	// Location gives dates written without a time zone their zone.
	Location *time.Location
	// Now is the build's clock, for checks such as consent in the future.
	Now      time.Time
	Markdown *markdown.Markdown
	// Licences are the site's own licence names (site.toml's licenses) a
	// story may use besides SPDX identifiers.
	Licences []string
	// Languages are the site's languages, the default first; a file
	// translated into another is an error. Empty is one language.
	Languages []string

	// Reuse is what a Load of the same folder with the same options
	// returned before the files named in Changed (slash paths from the
	// site root) changed: Load then reads only the entries those paths
	// belong to and takes every other one from Reuse as it was (reuse.go).
	Reuse   *Content
	Changed []string
}

// file is one Markdown file of content/.
type file struct {
	path   string // slash path from the site root: content/stories/x/index.md
	slug   string
	bundle string // the bundle folder, or "" for a single file
	lang   string // a translation's language ("fi" of index.fi.md), or ""
}

var slugRe = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// MaxSlug is the longest URL segment, in bytes, Postcard makes of a name:
// a folder name, or a taxonomy term's slug. Far below file systems' 255-byte
// limit on a name, and short enough to read in an address bar.
const MaxSlug = 80

// Load reads content/ from fsys, the site root. It returns what it could read
// and every problem found; the build stops on any.
func Load(fsys fs.FS, o Options) (*Content, error) {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Markdown == nil {
		o.Markdown = markdown.New()
	}
	var errs diag.List
	c := &Content{}
	if _, err := fs.Stat(fsys, Dir); errors.Is(err, fs.ErrNotExist) {
		return c, nil // a new site with nothing in it yet
	}
	prev := o.Reuse.reusable(o)
	var files []file
	var err error
	stale := func(file) bool { return true }
	if prev != nil {
		files, stale, err = relist(fsys, prev, o.Changed, &errs)
	} else {
		files, err = listFiles(fsys, &errs)
	}
	if err != nil {
		errs.AddErr(diag.Pos{File: Dir}, err)
		return c, errs.Err()
	}
	c.memo = newMemo(o, files)
	var warns diag.List
	defer func() { c.Warnings = warns.Errors() }()
	r := newReader(fsys, o, &errs, &warns)
	seen := map[string]map[string]string{} // section -> slug -> file
	type entry struct {
		doc *doc // nil for an entry taken from prev, whose translations are too
		obj any
	}
	entries := map[string]map[string]entry{} // section -> slug or page URL -> default-language entry
	var translations []file
	defLang := ""
	if len(o.Languages) > 0 {
		defLang = o.Languages[0]
	}
	// Names and slugs are checked in order, one file after another (a
	// duplicate slug is the second file's mistake); the files to read are
	// then read and decoded on every core, each into problems of its own,
	// and taken in order again.
	var todo []pending
	for _, f := range files {
		if f.lang != "" {
			translations = append(translations, f)
			continue
		}
		section := sectionOf(f.path)
		if seen[section] == nil {
			seen[section] = map[string]string{}
		}
		// A file taken from prev passed the checks of its name there.
		l, reused := prev.loaded(f, stale)
		if !reused && !r.nameOK(f, section) {
			continue
		}
		key := f.slug
		if section == "" {
			key = pageURL(f)
		}
		if prev, dup := seen[section][key]; dup {
			errs.Add(diag.Pos{File: f.path}, "duplicate slug %q: %s already uses it", f.slug, prev)
			continue
		}
		seen[section][key] = f.path
		todo = append(todo, pending{f: f, section: section, key: key, reused: reused, l: l})
	}
	readAll(fsys, o, defLang, todo)
	for i := range todo {
		t := &todo[i]
		var e entry
		if t.reused {
			e.obj = t.l.obj
			c.memo.keep(t.f, t.l, &warns)
		} else {
			errs.Merge(&t.errs)
			if t.doc == nil {
				continue
			}
			e.doc, e.obj = t.doc, t.obj
			c.memo.keep(t.f, loaded{obj: e.obj, warns: t.warns.Errors()}, &warns)
		}
		switch x := e.obj.(type) {
		case *Story:
			c.Stories = append(c.Stories, x)
		case *Ambassador:
			c.Ambassadors = append(c.Ambassadors, x)
		case *Contest:
			c.Contests = append(c.Contests, x)
		case *Page:
			c.Pages = append(c.Pages, x)
		}
		if e.obj != nil {
			if entries[t.section] == nil {
				entries[t.section] = map[string]entry{}
			}
			entries[t.section][t.key] = e
		}
	}
	for _, f := range translations {
		section := sectionOf(f.path)
		key := f.slug
		if section == "" {
			key = pageURL(f)
		}
		e, ok := entries[section][key]
		if !ok {
			def := strings.TrimSuffix(f.path, "."+f.lang+".md") + ".md"
			if prev, seen := seen[section][key]; seen {
				def = prev
			}
			errs.Add(diag.Pos{File: f.path}, "translation without its default-language file %s: write that first, the translation takes what it leaves out from it", def)
			continue
		}
		if e.doc == nil {
			// Taken from prev with its entry, which holds it already
			// (relist makes an entry stale with all its files).
			l, _ := prev.loaded(f, stale)
			c.memo.keep(f, l, &warns)
			continue
		}
		var fileWarns diag.List
		newReader(fsys, o, &errs, &fileWarns).translation(f, e.doc, e.obj)
		c.memo.keep(f, loaded{warns: fileWarns.Errors()}, &warns)
	}
	if errs.Len() > 0 {
		c.memo = nil // what a file with a problem made is not to be taken as it was
	}
	return c, errs.Err()
}

// pending is a default-language file of content/ whose name passed its
// checks: taken from the last load (reused, l), or to be read, which
// readAll does into doc, obj and the file's own problems.
type pending struct {
	f            file
	section, key string
	reused       bool
	l            loaded
	doc          *doc
	obj          any
	errs, warns  diag.List
}

// readAll reads and decodes the files of todo not taken from the last
// load, on as many goroutines as Go runs at once: a showcase of 10,000
// stories is 10,000 files to read and Markdown bodies to parse, which one
// core did one after another. What a file's reading finds is its own
// (pending.errs, warns), so nothing is shared but the read-only options.
func readAll(fsys fs.FS, o Options, defLang string, todo []pending) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Go(func() {
			for i := range next {
				readOne(fsys, o, defLang, &todo[i])
			}
		})
	}
	for i := range todo {
		if !todo[i].reused {
			next <- i
		}
	}
	close(next)
	wg.Wait()
}

func readOne(fsys fs.FS, o Options, defLang string, t *pending) {
	fr := newReader(fsys, o, &t.errs, &t.warns)
	doc, ok := fr.read(t.f)
	if !ok {
		return
	}
	t.doc = doc
	switch t.section {
	case "stories":
		if s := fr.story(t.f, doc); s != nil {
			s.Lang = defLang
			t.obj = s
		}
	case "ambassadors":
		if a := fr.ambassador(t.f, doc); a != nil {
			a.Lang = defLang
			t.obj = a
		}
	case "contests":
		if k := fr.contest(t.f, doc); k != nil {
			k.Lang = defLang
			t.obj = k
		}
	default:
		if p := fr.page(t.f, doc); p != nil {
			p.Lang = defLang
			t.obj = p
		}
	}
}

// nameOK checks that f's name can be a URL: its slug, or a page's
// folders and name. It returns false when the file is to be left out.
func (r *reader) nameOK(f file, section string) bool {
	switch {
	case section == "":
		// A page's folders and name become its URL, as a story's slug does.
		if bad := badPageName(f); bad != "" {
			r.errs.Add(diag.Pos{File: f.path}, "name %q is not a valid slug: use lower-case letters, digits and single hyphens (it becomes the URL)", bad)
			return false
		}
	case !slugRe.MatchString(f.slug):
		r.errs.Add(diag.Pos{File: f.path}, "name %q is not a valid slug: use lower-case letters, digits and single hyphens (it becomes the URL)", f.slug)
	case len(f.slug) > MaxSlug:
		r.errs.Add(diag.Pos{File: f.path}, "name %q is %d characters long: shorten it to at most %d (it becomes the URL)", f.slug, len(f.slug), MaxSlug)
	}
	return true
}

// newReader is a reader of fsys that reports into errs and warns.
func newReader(fsys fs.FS, o Options, errs, warns *diag.List) *reader {
	return &reader{fsys: fsys, o: o, errs: errs, warns: warns}
}

func sectionOf(p string) string {
	parts := strings.Split(p, "/")
	if len(parts) >= 3 {
		switch parts[1] {
		case "stories", "ambassadors", "contests":
			return parts[1]
		}
	}
	return ""
}

// listFiles finds every Markdown file of content/, in a stable order. In a
// section, "x.md" and "x/index.md" are the entry x; other files in a bundle
// folder are its media.
func listFiles(fsys fs.FS, errs *diag.List) ([]file, error) {
	var out []file
	err := fs.WalkDir(fsys, Dir, lister(&out, errs))
	sortFiles(out)
	return out, err
}

// lister is the fs.WalkDirFunc that lists content/'s Markdown files into
// out: the whole folder's (listFiles) or a few entries' (relist).
func lister(out *[]file, errs *diag.List) fs.WalkDirFunc {
	return func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != Dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || path.Ext(name) != ".md" {
			return nil
		}
		if !d.Type().IsRegular() {
			// A link could make a story of site.toml or of a secret.
			errs.Add(diag.Pos{File: p}, "%s is a symbolic link or not a regular file: content files must be plain files, Postcard does not follow links to them", p)
			return nil
		}
		dir := path.Dir(p)
		f := file{path: p}
		name, f.lang = splitLang(name)
		if name == "index.md" {
			f.bundle = dir
			f.slug = path.Base(dir)
		} else {
			f.slug = strings.TrimSuffix(name, ".md")
		}
		// Markdown files inside a bundle, other than index.md, are not entries.
		if f.bundle == "" && dir != Dir && sectionOf(p) != "" && strings.Count(p, "/") > 2 {
			return nil
		}
		*out = append(*out, f)
		return nil
	}
}

func sortFiles(files []file) {
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
}

// badPageName returns the first part of a page's path (its folders, then
// its name) that is not a slug, or "".
func badPageName(f file) string {
	p := strings.TrimSuffix(strings.TrimPrefix(pageURL(f), "/"), "/")
	if p == "" {
		return ""
	}
	for _, part := range strings.Split(p, "/") {
		if !slugRe.MatchString(part) {
			return part
		}
	}
	return ""
}

// pageURL is the URL path of a plain page: content/about.md is /about/,
// content/visit/index.md is /visit/, content/index.md is the home page's text.
func pageURL(f file) string {
	p := strings.TrimPrefix(f.path, Dir+"/")
	p = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(p, ".md"), "."+f.lang), "index")
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		return "/"
	}
	return "/" + p + "/"
}

// doc is a content file split and decoded.
type doc struct {
	file     file
	fields   *frontmatter.Fields
	body     *markdown.Doc
	bodyLine int
}

type reader struct {
	fsys fs.FS
	o    Options
	errs *diag.List
	// warns collects warnings: reported, and the build goes on.
	warns *diag.List
}

// MaxBody is the largest Markdown body of a content file, in bytes; its
// front matter may add frontmatter.MaxMatter. A story is read whole, so a
// larger file is refused rather than read.
const MaxBody = 4 << 20

func (r *reader) read(f file) (*doc, bool) {
	src, err := readLimited(r.fsys, f.path, frontmatter.MaxMatter+MaxBody+16)
	if err != nil {
		r.errs.AddErr(diag.Pos{File: f.path, Line: 1, Col: 1}, err)
		return nil, false
	}
	sp, err := frontmatter.SplitFile(f.path, src)
	if err != nil {
		r.errs.AddErr(diag.Pos{File: f.path}, err)
		return nil, false
	}
	if len(sp.Body) > MaxBody {
		r.errs.Add(diag.Pos{File: f.path, Line: sp.BodyLine, Col: 1}, "the text is %d bytes, more than the %d allowed: split it into several stories or pages", len(sp.Body), MaxBody)
		return nil, false
	}
	if sp.Format == frontmatter.None {
		r.errs.Add(diag.Pos{File: f.path, Line: 1, Col: 1}, "no front matter: start the file with +++ (TOML) or --- (YAML)")
		return nil, false
	}
	m, err := frontmatter.Decode(f.path, sp.Format, sp.Matter, sp.MatterLine)
	if err != nil {
		r.errs.AddErr(diag.Pos{File: f.path}, err)
		return nil, false
	}
	return &doc{
		file:     f,
		fields:   frontmatter.NewFields(m, "", r.errs),
		body:     r.o.Markdown.Parse(sp.Body),
		bodyLine: sp.BodyLine,
	}, true
}

// readLimited reads a file of at most limit bytes, without reading more.
//
// The bytes are read into a buffer of the file's size: a story's body is
// kept, in its file's bytes, until its last page and feed are made, and
// io.ReadAll's growing buffer would keep a third more than the file on
// average (some 10 MB on 10,000 stories).
func readLimited(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := int64(0)
	if st, err := f.Stat(); err == nil && st.Size() > 0 && st.Size() <= limit {
		size = st.Size()
	}
	// One byte more than the size, to see the end of the file without
	// growing; a file that grew since is read on, up to limit+1.
	src := make([]byte, 0, size+1)
	r := io.LimitReader(f, limit+1)
	for {
		n, err := r.Read(src[len(src):cap(src)])
		src = src[:len(src)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(src) == cap(src) {
			src = append(src, 0)[:len(src)]
		}
	}
	if int64(len(src)) > limit {
		return nil, fmt.Errorf("the file is larger than the %d bytes a content file may hold", limit)
	}
	return src, nil
}

// bodyPos is the place of a line and column of the body.
func (d *doc) bodyPos(line, col int) diag.Pos {
	return diag.Pos{File: d.file.path, Line: d.bodyLine + line - 1, Col: col}
}

// noAltText is the message for an image without alt text, in front matter
// or in a body.
const noAltText = "image %q has no alt text: describe what it shows for people who cannot see it"

// checkBody reports the mistakes of a published body: what Markdown refuses
// (a link or image whose URL could run script, nesting too deep) and images
// without alt text.
func (r *reader) checkBody(d *doc) {
	for _, p := range d.body.Problems {
		r.errs.Add(d.bodyPos(p.Line, p.Col), "%s", p.Msg)
	}
	for _, ref := range d.body.Images {
		if ref.Alt == "" && ref.Kind != markdown.URLRefused {
			r.errs.Add(d.bodyPos(ref.Line, ref.Col), noAltText, ref.Dest)
		}
	}
}

// date reads a date field in the site's time zone.
func (r *reader) date(f *frontmatter.Fields, key string, required bool) (time.Time, bool) {
	return f.Date(key, required, r.o.Location)
}
