package content

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/postcard-ssg/postcard/generator/confine"
	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/frontmatter"
	"github.com/postcard-ssg/postcard/generator/markdown"
)

// The review states of a story. Only approved and featured stories are published.
const (
	StatusSubmitted = "submitted"
	StatusApproved  = "approved"
	StatusFeatured  = "featured"
	StatusRejected  = "rejected"
)

// Story is one contribution: a photo series, a video, a short story or a poem.
type Story struct {
	File         string // content/stories/x/index.md
	Bundle       string // content/stories/x, or "" for a single file
	Slug         string
	Title        string
	Description  string
	Ambassador   Ref
	Date         time.Time
	Kind         Kind
	Place        string
	PlacePos     diag.Pos
	Tags         []string
	TagPos       []diag.Pos // where each tag was written
	Status       string
	Contest      Ref // Slug empty when not an entry
	Category     string
	CategoryPos  diag.Pos
	Cover        *Media
	Gallery      []*Media
	Video        *Video
	Contributors []Ref
	InspiredBy   []Ref
	Rights       Rights
	Body         *markdown.Doc
	// BodyImages are the bundle images the body shows, by destination.
	BodyImages map[string]*Media
	// Files are the videos of the bundle the body links to. Postcard
	// publishes nothing else of a bundle but its images, re-encoded.
	Files []*File
	// Lang is the language the story is written in; Translations are its
	// other languages' versions, each with this story's status and rights.
	Lang         string
	Translations []*Story
	// BodyLang is the language of Body when it is not Lang: a translation
	// that leaves the text to its default-language file.
	BodyLang string
	// Inherited are the fields a translation left to its default file,
	// written in the default language (DefaultLang).
	Inherited   map[string]bool
	DefaultLang string
}

// Published reports whether the story appears on the site.
func (s *Story) Published() bool {
	return s.Status == StatusApproved || s.Status == StatusFeatured
}

// Ref names another entry of content, with the place it was named.
type Ref struct {
	Slug string
	Pos  diag.Pos
}

// Media is a file of a bundle used as an image.
type Media struct {
	Src     string // slash path from the site root
	Name    string // file name in the bundle
	Alt     string
	Caption string
	Focus   string
	Pos     diag.Pos
}

// File is a bundle file a story's body links to.
type File struct {
	Src  string // slash path from the site root, symbolic links resolved
	Name string // the name as linked
	Pos  diag.Pos
}

// Video is a story's video: a provider's URL or a file of the bundle.
type Video struct {
	Provider string // "youtube", "vimeo" or "file"
	ID       string // the provider's video id
	URL      string // the URL as written
	Src      string // for a file: slash path from the site root
	Pos      diag.Pos
}

// Rights records how the contributor allowed publication.
type Rights struct {
	License string
	Consent time.Time
	Credit  string
	// ConsentVersion is the version of the consent text the contributor
	// agreed to, for a story sent with the submission form.
	ConsentVersion string
	// Receipt is the submission's receipt id, for a story pulled from the
	// submission store: it finds the story again when its contributor
	// withdraws consent.
	Receipt string
}

func (r *reader) story(f file, d *doc) *Story {
	fs := d.fields
	s := &Story{File: f.path, Bundle: f.bundle, Slug: f.slug, Body: d.body}
	s.Status = fs.OneOf("status", true, StatusSubmitted, StatusSubmitted, StatusApproved, StatusFeatured, StatusRejected)
	s.Title = fs.String("title", true)
	s.Description = fs.String("description", false)
	s.Ambassador = Ref{Slug: fs.String("ambassador", true), Pos: fs.Pos("ambassador")}
	s.Date, _ = r.date(fs, "date", true)
	s.Kind, _ = KindOf(fs.OneOf("kind", true, "", KindSlugs()...))
	s.Place = strings.TrimSpace(fs.String("place", false))
	s.PlacePos = fs.Pos("place")
	s.Tags, s.TagPos = stringsAt(fs, "tags")
	for i, t := range s.Tags {
		s.Tags[i] = strings.TrimSpace(t)
	}
	if fs.Has("contest") {
		s.Contest = Ref{Slug: fs.String("contest", true), Pos: fs.Pos("contest")}
		s.Category = fs.String("category", true)
		s.CategoryPos = fs.Pos("category")
	} else if fs.Has("category") {
		fs.Errorf("category", "category is set but contest is not: name the contest this story enters")
		fs.String("category", false)
	}
	s.Contributors = r.refs(fs, "contributors")
	s.InspiredBy = r.refs(fs, "inspired_by")
	for _, ref := range s.InspiredBy {
		if ref.Slug == s.Slug {
			r.errs.Add(ref.Pos, "inspired_by names the story itself")
		}
	}

	rejected := s.Status == StatusRejected
	if cv := fs.Table("cover", false); cv != nil {
		s.Cover = r.media(f, cv, !rejected)
	}
	for _, g := range fs.Tables("gallery") {
		if m := r.media(f, g, !rejected); m != nil {
			s.Gallery = append(s.Gallery, m)
		}
	}
	if fs.Has("video") && !blank(fs.Value("video")) {
		s.Video = r.video(f, fs, !rejected)
	}
	if rt := fs.Table("rights", false); rt != nil {
		s.Rights.License = rt.String("license", s.Published())
		if s.Rights.License != "" {
			r.checkLicence(rt, s.Rights.License)
		}
		if t, ok := r.date(rt, "consent", s.Published()); ok {
			s.Rights.Consent = t
			if !r.o.Now.IsZero() && t.After(r.o.Now) {
				rt.Errorf("consent", "rights.consent %s is in the future", t.Format("2006-01-02"))
			}
		}
		s.Rights.Credit = rt.String("credit", s.Published())
		s.Rights.ConsentVersion = strings.TrimSpace(rt.String("consent_version", false))
		if rt.Has("consent_version") && s.Rights.ConsentVersion == "" {
			rt.Errorf("consent_version", "rights.consent_version is empty: write the version of the consent text, or remove the line")
		}
		s.Rights.Receipt = rt.String("receipt", false)
		rt.Done()
	} else if s.Published() {
		fs.Errorf("rights", "published story has no [rights]: add license, consent (the date the contributor agreed) and credit before approving it")
	}
	fs.Done()

	if rejected {
		return s
	}
	// What a submission still lacks is a warning until it is approved:
	// a fresh scaffold or a pulled submission passes check --drafts.
	lacks := r.errs.Add
	if !s.Published() {
		lacks = r.warns.Warn
	}
	if s.Kind.NeedsPicture && !fs.Has("cover") && !fs.Has("gallery") {
		lacks(fs.TablePos(), "a %s story needs a cover or a gallery", s.Kind.Slug)
	}
	if s.Kind.Video && (!fs.Has("video") || blank(fs.Value("video"))) {
		lacks(fs.TablePos(), "a %s story needs a video (a YouTube or Vimeo URL, or a file of the bundle)", s.Kind.Slug)
	}
	if s.Video != nil && !s.Kind.Video && s.Kind.Slug != "" {
		fs.Errorf("video", "video is set but kind is %q; set kind = \"video\"", s.Kind.Slug)
	}
	r.checkBody(d)
	r.bodyMedia(f, d, s)
	return s
}

// bundleNames lists the files of a bundle folder, for suggestions.
func bundleNames(fsys fs.FS, dir string) []string {
	entries, _ := fs.ReadDir(fsys, dir)
	var out []string
	for _, e := range entries {
		if !e.IsDir() && e.Name() != "index.md" {
			out = append(out, e.Name())
		}
	}
	return out
}

// blank reports whether v is a string of nothing but spaces: a field the
// scaffold left for the editor to fill in.
func blank(v *frontmatter.Value) bool {
	return v != nil && v.Kind == frontmatter.KindString && strings.TrimSpace(v.Str) == ""
}

// stringsAt reads a list of strings and where each was written.
func stringsAt(fs *frontmatter.Fields, key string) ([]string, []diag.Pos) {
	names := fs.Strings(key, false)
	pos := make([]diag.Pos, len(names))
	i := 0
	if v := fs.Value(key); v != nil && v.Kind == frontmatter.KindList {
		for _, e := range v.List {
			if e.Kind == frontmatter.KindString && i < len(pos) {
				pos[i] = e.Pos
				i++
			}
		}
	}
	for ; i < len(pos); i++ {
		pos[i] = fs.Pos(key)
	}
	return names, pos
}

func (r *reader) refs(fs *frontmatter.Fields, key string) []Ref {
	v := fs.Value(key)
	names := fs.Strings(key, false)
	out := make([]Ref, 0, len(names))
	for i, n := range names {
		pos := fs.Pos(key)
		if v != nil && i < len(v.List) {
			pos = v.List[i].Pos
		}
		out = append(out, Ref{Slug: strings.TrimSpace(n), Pos: pos})
	}
	return out
}

// media reads {src, alt, caption, focus}; check requires the file and alt text.
func (r *reader) media(f file, t *frontmatter.Fields, check bool) *Media {
	m := &Media{Pos: t.Pos("src")}
	m.Name = t.String("src", true)
	m.Alt = strings.TrimSpace(t.String("alt", false))
	m.Caption = t.String("caption", false)
	m.Focus = t.String("focus", false)
	t.Done()
	if m.Name == "" {
		return nil
	}
	if check && m.Alt == "" {
		t.Errorf("src", noAltText, m.Name)
	}
	src, ok := r.bundleFile(f, m.Name, t.Pos("src"), check)
	if !ok {
		return nil
	}
	m.Src = src
	return m
}

// bundleFile resolves name, a file of f's bundle, to a path from the site root.
func (r *reader) bundleFile(f file, name string, pos diag.Pos, check bool) (string, bool) {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || strings.Contains(name, "://") || path.Clean(name) != name || strings.HasPrefix(name, "..") {
		r.errs.Add(pos, "%q must be the name of a file in the story's folder (no folders above it, no absolute paths or URLs)", name)
		return "", false
	}
	dir := f.bundle
	if dir == "" {
		r.errs.Add(pos, "%s is a single file, so it cannot hold %q: make it a folder %s/index.md with the media beside it", f.path, name, strings.TrimSuffix(f.path, ".md"))
		return "", false
	}
	if !check {
		return dir + "/" + name, true
	}
	p, err := confine.File(r.fsys, dir, name)
	var le *confine.LinkError
	switch {
	case err == nil:
		return p, true
	case errors.As(err, &le):
		r.errs.Add(pos, "media file %q is a symbolic link that points outside %s/ (to %q): Postcard only follows links that stay in the story's folder", name, dir, le.Target)
	case errors.Is(err, confine.ErrOutside):
		r.errs.Add(pos, "media file %q leaves %s/ through a symbolic link: Postcard only follows links that stay in the story's folder", name, dir)
	case errors.Is(err, fs.ErrNotExist):
		r.errs.Add(pos, "media file %q is missing from %s/%s", name, dir, diag.DidYouMean(name, bundleNames(r.fsys, dir)))
	default:
		r.errs.Add(pos, "media file %q in %s/: %v", name, dir, err)
	}
	return "", false
}

func (r *reader) video(f file, fs *frontmatter.Fields, check bool) *Video {
	raw := strings.TrimSpace(fs.String("video", true))
	pos := fs.Pos("video")
	if raw == "" {
		return nil
	}
	if !strings.Contains(raw, "://") {
		if !isVideoName(raw) {
			r.errs.Add(pos, "video file %q must be an .mp4 or .webm file", raw)
			return nil
		}
		src, ok := r.bundleFile(f, raw, pos, check)
		if !ok {
			return nil
		}
		return &Video{Provider: "file", Src: src, URL: raw, Pos: pos}
	}
	provider, id := ParseVideoURL(raw)
	if provider == "" {
		r.errs.Add(pos, "video URL %q is not from an allowed provider: use a YouTube (youtube.com/watch?v=…, youtu.be/…) or Vimeo (vimeo.com/…) address, or a file in the story's folder", raw)
		return nil
	}
	return &Video{Provider: provider, ID: id, URL: raw, Pos: pos}
}

var (
	youtubeID = regexp.MustCompile(`^[A-Za-z0-9_-]{11}$`)
	vimeoID   = regexp.MustCompile(`^[0-9]{1,12}$`)
)

// ParseVideoURL recognises the video providers Postcard embeds. It returns
// the provider and the video id, or empty strings.
func ParseVideoURL(raw string) (provider, id string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return "", ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	host = strings.TrimPrefix(host, "m.")
	switch host {
	case "youtube.com", "youtube-nocookie.com":
		switch {
		case u.Path == "/watch":
			id = u.Query().Get("v")
		case strings.HasPrefix(u.Path, "/embed/"), strings.HasPrefix(u.Path, "/shorts/"), strings.HasPrefix(u.Path, "/live/"):
			id = u.Path[strings.LastIndexByte(u.Path, '/')+1:]
		}
		if youtubeID.MatchString(id) {
			return "youtube", id
		}
	case "youtu.be":
		id = strings.TrimPrefix(u.Path, "/")
		if youtubeID.MatchString(id) {
			return "youtube", id
		}
	case "vimeo.com", "player.vimeo.com":
		id = u.Path[strings.LastIndexByte(u.Path, '/')+1:]
		if vimeoID.MatchString(id) {
			return "vimeo", id
		}
	}
	return "", ""
}

// bodyMedia checks the body's images and links to bundle files.
func (r *reader) bodyMedia(f file, d *doc, s *Story) {
	s.BodyImages = map[string]*Media{}
	for _, ref := range d.body.Images {
		pos := d.bodyPos(ref.Line, ref.Col)
		if ref.Kind == markdown.URLRefused {
			continue // checkBody reports it
		}
		if isRemote(ref.Dest) {
			r.errs.Add(pos, "image %q is not a file of the story's folder: download it into the folder (remote images leak visitors' addresses to other sites and may vanish)", ref.Dest)
			continue
		}
		name, _ := url.PathUnescape(ref.Dest)
		src, ok := r.bundleFile(f, name, pos, true)
		if !ok {
			continue
		}
		s.BodyImages[ref.Dest] = &Media{Src: src, Name: name, Pos: pos}
	}
	for _, ref := range d.body.Links {
		dest := ref.Dest
		if ref.Kind != markdown.URLLocal || isRemote(dest) || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, "mailto:") || strings.Contains(dest, ":") || strings.HasSuffix(dest, "/") || dest == "" {
			continue
		}
		name, _ := url.PathUnescape(strings.SplitN(dest, "#", 2)[0])
		if strings.HasPrefix(name, "../") {
			continue // a link to a sibling page, such as ../other-story/
		}
		pos := d.bodyPos(ref.Line, ref.Col)
		switch {
		case isImageName(name):
			r.errs.Add(pos, "link to image %q would publish the original file with its metadata: show it as an image (![alt](%s)) instead", name, name)
			continue
		case !isVideoName(name):
			r.errs.Add(pos, "link to %q: Postcard publishes only a story's images and its .mp4 or .webm videos, never other files of its folder (a page or script there would run on the site's own address)", name)
			continue
		}
		if src, ok := r.bundleFile(f, name, pos, true); ok {
			s.Files = append(s.Files, &File{Src: src, Name: name, Pos: pos})
		}
	}
}

func isRemote(dest string) bool {
	l := strings.ToLower(dest)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "//")
}

func isImageName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif", ".avif", ".tif", ".tiff":
		return true
	}
	return false
}

func isVideoName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".mp4", ".webm":
		return true
	}
	return false
}

func (s *Story) String() string { return fmt.Sprintf("story %s", s.Slug) }

// SameButText reports whether o is s with another body text: the same
// front matter, read from the same lines, and a body that shows the same
// bundle images and links the same files, wherever it names them. What
// the site is made of (its lists, terms, contests, images) is then the
// same; only the readers of the story's text see the edit.
func (s *Story) SameButText(o *Story) bool {
	a, b := *s, *o
	a.Body, b.Body = nil, nil
	a.BodyImages, b.BodyImages = nil, nil
	a.Files, b.Files = nil, nil
	if !reflect.DeepEqual(a, b) || len(s.BodyImages) != len(o.BodyImages) || len(s.Files) != len(o.Files) {
		return false
	}
	for dest, m := range s.BodyImages {
		n, ok := o.BodyImages[dest]
		if !ok || m.Src != n.Src || m.Name != n.Name || m.Alt != n.Alt || m.Caption != n.Caption || m.Focus != n.Focus {
			return false
		}
	}
	for i, f := range s.Files {
		if g := o.Files[i]; f.Src != g.Src || f.Name != g.Name {
			return false
		}
	}
	return true
}
