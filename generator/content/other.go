package content

import (
	"net/url"
	"strings"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/markdown"
)

// Ambassador is a contributor with a profile page.
type Ambassador struct {
	File   string
	Bundle string
	Slug   string
	Name   string
	Bio    string
	Home   string
	Avatar *Media
	Links  []string
	Body   *markdown.Doc
	// Lang is the language the profile is written in; Translations are
	// its other languages' versions.
	Lang         string
	Translations []*Ambassador
	// Inherited are the fields a translation left to its default file,
	// written in the default language (DefaultLang).
	Inherited   map[string]bool
	DefaultLang string
}

func (r *reader) ambassador(f file, d *doc) *Ambassador {
	fs := d.fields
	a := &Ambassador{File: f.path, Bundle: f.bundle, Slug: f.slug, Body: d.body}
	r.checkBody(d)
	a.Name = fs.String("name", true)
	a.Bio = fs.String("bio", false)
	a.Home = fs.String("home", false)
	if fs.Has("avatar") {
		name := fs.String("avatar", true)
		if src, ok := r.bundleFile(f, name, fs.Pos("avatar"), true); ok {
			a.Avatar = &Media{Src: src, Name: name, Alt: a.Name, Pos: fs.Pos("avatar")}
		}
	}
	v := fs.Value("links")
	for i, l := range fs.Strings("links", false) {
		pos := fs.Pos("links")
		if v != nil && i < len(v.List) {
			pos = v.List[i].Pos
		}
		u, err := url.Parse(l)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || markdown.ClassifyURL(l) != markdown.URLExternal {
			r.errs.Add(pos, "link %q must be an http or https URL", l)
			continue
		}
		a.Links = append(a.Links, l)
	}
	fs.Done()
	return a
}

// Contest is a contest stories enter and visitors vote in.
type Contest struct {
	File          string
	Bundle        string
	Slug          string
	Title         string
	Description   string
	Categories    []string
	Opens, Closes time.Time // submission window, whole days
	VotingOpens   time.Time
	VotingCloses  time.Time // the last voting day
	VotesPerVoter int
	ShowCounts    bool
	NetworkQuota  int // votes per network (IPv4 /24, IPv6 /56), per UTC day; 0: none
	Challenge     int // proof-of-work difficulty in bits for a new voter; 0: none
	Winners       []Winner
	Cover         *Media
	Body          *markdown.Doc
	// Lang is the language the contest is written in; Translations are
	// its other languages' versions, with this contest's dates, categories
	// and votes.
	Lang         string
	Translations []*Contest
	// Inherited are the fields a translation left to its default file,
	// written in the default language (DefaultLang).
	Inherited   map[string]bool
	DefaultLang string
}

// Winner is a placed entry of a contest.
type Winner struct {
	Entry    Ref
	Category string
	Place    int
	Pos      diag.Pos
}

func (r *reader) contest(f file, d *doc) *Contest {
	fs := d.fields
	c := &Contest{File: f.path, Bundle: f.bundle, Slug: f.slug, Body: d.body}
	r.checkBody(d)
	c.Title = fs.String("title", true)
	c.Description = fs.String("description", false)
	c.Categories = fs.Strings("categories", true)
	seen := map[string]bool{}
	for _, cat := range c.Categories {
		if !slugRe.MatchString(cat) {
			fs.Errorf("categories", "category %q must be a slug (lower-case letters, digits, hyphens)", cat)
		}
		if seen[cat] {
			fs.Errorf("categories", "category %q is listed twice", cat)
		}
		seen[cat] = true
	}
	var ok [4]bool
	c.Opens, ok[0] = r.date(fs, "opens", true)
	c.Closes, ok[1] = r.date(fs, "closes", true)
	c.VotingOpens, ok[2] = r.date(fs, "voting_opens", true)
	c.VotingCloses, ok[3] = r.date(fs, "voting_closes", true)
	if ok[0] && ok[1] && c.Closes.Before(c.Opens) {
		fs.Errorf("closes", "closes (%s) is before opens (%s)", day(c.Closes), day(c.Opens))
	}
	if ok[2] && ok[3] && c.VotingCloses.Before(c.VotingOpens) {
		fs.Errorf("voting_closes", "voting_closes (%s) is before voting_opens (%s)", day(c.VotingCloses), day(c.VotingOpens))
	}
	if ok[0] && ok[2] && c.VotingOpens.Before(c.Opens) {
		fs.Errorf("voting_opens", "voting_opens (%s) is before the contest opens (%s)", day(c.VotingOpens), day(c.Opens))
	}
	c.VotesPerVoter = int(fs.Int("votes_per_voter", 1, 1, 100))
	c.ShowCounts = fs.Bool("show_counts", true)
	c.NetworkQuota = int(fs.Int("network_quota", vote.DefaultNetworkQuota, 0, 1_000_000))
	c.Challenge = int(fs.Int("challenge", vote.DefaultChallenge, 0, vote.MaxChallenge))
	if cv := fs.Table("cover", false); cv != nil {
		c.Cover = r.media(f, cv, true)
	}
	for _, w := range fs.Tables("winners") {
		win := Winner{Pos: w.TablePos()}
		win.Entry = Ref{Slug: w.String("entry", true), Pos: w.Pos("entry")}
		win.Category = w.String("category", false)
		if win.Category != "" && !seen[win.Category] {
			w.Errorf("category", "winner category %q is not one of the contest's categories (%s)", win.Category, strings.Join(c.Categories, ", "))
		}
		win.Place = int(w.Int("place", 1, 1, 100))
		w.Done()
		c.Winners = append(c.Winners, win)
	}
	fs.Done()
	return c
}

func day(t time.Time) string { return t.Format("2006-01-02") }

// Page is a plain page such as "about".
type Page struct {
	File        string
	Bundle      string
	Slug        string
	URL         string // "/about/"
	Title       string
	Description string
	Menu        int // position in the main menu; 0 keeps it out
	Body        *markdown.Doc
	BodyImages  map[string]*Media
	// Lang is the language the page is written in; Translations are its
	// other languages' versions.
	Lang         string
	Translations []*Page
	// BodyLang is the language of Body when it is not Lang.
	BodyLang string
	// Inherited are the fields a translation left to its default file,
	// written in the default language (DefaultLang).
	Inherited   map[string]bool
	DefaultLang string
}

func (r *reader) page(f file, d *doc) *Page {
	fs := d.fields
	p := &Page{File: f.path, Bundle: f.bundle, Slug: f.slug, URL: pageURL(f), Body: d.body}
	p.Title = fs.String("title", true)
	p.Description = fs.String("description", false)
	p.Menu = int(fs.Int("menu", 0, 0, 1000))
	fs.Done()
	p.BodyImages = map[string]*Media{}
	r.checkBody(d)
	for _, ref := range d.body.Images {
		pos := d.bodyPos(ref.Line, ref.Col)
		if ref.Kind == markdown.URLRefused {
			continue // checkBody reports it
		}
		if isRemote(ref.Dest) {
			r.errs.Add(pos, "image %q is not a file of the page's folder", ref.Dest)
			continue
		}
		name, _ := url.PathUnescape(ref.Dest)
		if src, ok := r.bundleFile(f, name, pos, true); ok {
			p.BodyImages[ref.Dest] = &Media{Src: src, Name: name, Pos: pos}
		}
	}
	return p
}
