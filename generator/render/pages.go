package render

import (
	"cmp"
	"fmt"
	"html/template"
	"strings"

	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/images"
	"github.com/postcard-ssg/postcard/generator/markdown"
	"github.com/postcard-ssg/postcard/generator/site"
)

func (r *renderer) pages() error {
	s := r.Site
	cfg := s.Config
	lang := r.lang()

	home := r.newPage("home", cfg.Title, cfg.Description, r.rel(lang, "/"))
	if len(s.Featured) > 0 {
		home.Image, home.ImageAlt = r.card(s.Featured[0])
	}
	for _, p := range s.Pages {
		if p.Source.URL == "/" && r.own(p.Source.Lang) {
			home.Page = p
		}
	}
	if err := r.execute("home.html", home, "", func(p *Page) {
		p.JSONLD = append(p.JSONLD, r.websiteLD())
		if p.Page != nil {
			p.Body = r.body(p.Page.Source.Body, p.Page.Source.BodyImages, false, nil)
		}
	}); err != nil {
		return err
	}

	for _, st := range s.Stories {
		if !r.own(st.Source.Lang) {
			continue
		}
		p := r.pageAt("story", st.URL)
		p.Story = st
		p.NoIndex = st.Draft
		if err := r.execute("story.html", p, "", func(p *Page) {
			r.describe(p, st.Source.Title, cmpDesc(st.Source.Description, st.Source.Body))
			p.Image, p.ImageAlt = r.card(st)
			p.Body = r.body(st.Source.Body, st.Source.BodyImages, st.Source.Kind.LineBreaks, nil)
			original := ""
			if st.URL != st.BundleURL {
				original = r.abs(st.BundleURL)
			}
			p.JSONLD = append(p.JSONLD, r.storyLD(st, r.sharedImage(p), original), r.breadcrumbLD([][2]string{{r.t(lang, "breadcrumb_stories", "Stories"), r.rel(lang, "/stories/")}, {st.Source.Title, st.URL}}))
		}); err != nil {
			return err
		}
	}

	for _, pg := range site.Paginate(s.Stories, cfg.Pagination, r.rel(lang, "/stories/")) {
		p := r.pageAt("gallery", pg.URL)
		p.Pager = pg
		if err := r.execute("gallery.html", p, "", func(p *Page) {
			title := r.t(lang, "all_stories", "All stories")
			if pg.Number > 1 {
				title = r.t(lang, "all_stories_page", title, map[string]any{"number": pg.Number, "total": pg.Total})
			}
			r.describe(p, title, "")
			p.JSONLD = append(p.JSONLD, r.pageLD("CollectionPage", p), r.breadcrumbLD([][2]string{{r.t(lang, "breadcrumb_stories", "Stories"), r.rel(lang, "/stories/")}}))
		}); err != nil {
			return err
		}
	}

	p := r.newPage("ambassadors", r.t(lang, "ambassadors", "Ambassadors"), r.t(lang, "ambassadors_description", "", map[string]any{"site": cfg.Title}), r.rel(lang, "/ambassadors/"))
	if err := r.execute("ambassadors.html", p, "", r.collectionLD); err != nil {
		return err
	}
	for _, a := range s.Ambassadors {
		if !r.own(a.Source.Lang) {
			continue
		}
		p := r.pageAt("ambassador", a.URL)
		p.Ambassador = a
		if err := r.execute("ambassador.html", p, "", func(p *Page) {
			r.describe(p, a.Source.Name, a.Source.Bio)
			p.Feeds = []Feed{
				{"application/rss+xml", a.Source.Name + " (RSS)", a.URL + "feed.xml"},
				{"application/atom+xml", a.Source.Name + " (Atom)", a.URL + "atom.xml"},
				{"application/feed+json", a.Source.Name + " (JSON Feed)", a.URL + "feed.json"},
			}
			if a.Source.Avatar != nil {
				if img := r.Images[a.Source.Avatar.Src]; img != nil && img.Card != nil {
					p.Image, p.ImageAlt = img.Card, a.Source.Name
				}
			}
			p.Body = r.body(a.Source.Body, nil, false, nil)
			p.JSONLD = append(p.JSONLD, r.profileLD(a, r.sharedImage(p)), r.breadcrumbLD([][2]string{{r.t(lang, "ambassadors", "Ambassadors"), r.rel(lang, "/ambassadors/")}, {a.Source.Name, a.URL}}))
		}); err != nil {
			return err
		}
	}

	p = r.newPage("contests", r.t(lang, "contests", "Contests"), r.t(lang, "contests_description", ""), r.rel(lang, "/contests/"))
	if err := r.execute("contests.html", p, "", r.collectionLD); err != nil {
		return err
	}
	for _, c := range s.Contests {
		if !r.own(c.Source.Lang) {
			continue
		}
		p := r.pageAt("contest", c.URL)
		p.Contest = c
		if err := r.execute("contest.html", p, "", func(p *Page) {
			r.describe(p, c.Source.Title, c.Source.Description)
			if c.Source.Cover != nil {
				if img := r.Images[c.Source.Cover.Src]; img != nil && img.Card != nil {
					p.Image, p.ImageAlt = img.Card, c.Source.Cover.Alt
				}
			} else if len(c.Entries) > 0 {
				p.Image, p.ImageAlt = r.card(c.Entries[0])
			}
			p.Body = r.body(c.Source.Body, nil, false, nil)
			p.JSONLD = append(p.JSONLD, r.contestLD(c, cmp.Or(ldText(c.Source.Description, c.Source.Body), p.Description), r.sharedImage(p)),
				r.breadcrumbLD([][2]string{{r.t(lang, "contests", "Contests"), r.rel(lang, "/contests/")}, {c.Source.Title, c.URL}}))
		}); err != nil {
			return err
		}
	}

	for _, tx := range s.Taxonomies {
		p := r.newPage("taxonomy", r.t(lang, tx.Name, tx.Title), "", tx.URL)
		p.Taxonomy = tx
		if err := r.execute("taxonomy.html", p, "", r.collectionLD); err != nil {
			return err
		}
		for _, t := range tx.Terms {
			name := t.Name
			if tx.Name == "kinds" {
				name = r.t(lang, "kinds_"+t.Slug, t.Name)
			}
			for _, pg := range site.Paginate(t.Stories, cfg.Pagination, t.URL) {
				p := r.pageAt("term", pg.URL)
				p.Taxonomy, p.Term, p.Pager = tx, t, pg
				if err := r.execute("term.html", p, "", func(p *Page) {
					title := name
					if pg.Number > 1 {
						title = fmt.Sprintf("%s, %s", name, strings.ToLower(r.t(lang, "pager_page", "", map[string]any{"number": pg.Number, "total": pg.Total})))
					}
					r.describe(p, title, r.t(lang, "term_description", "", map[string]any{"term": name, "count": len(t.Stories)}))
					p.JSONLD = append(p.JSONLD, r.pageLD("CollectionPage", p), r.breadcrumbLD([][2]string{{r.t(lang, tx.Name, tx.Title), tx.URL}, {name, pg.URL}}))
				}); err != nil {
					return err
				}
			}
		}
	}

	for _, pg := range s.Pages {
		if pg.Source.URL == "/" || !r.own(pg.Source.Lang) {
			continue
		}
		p := r.newPage("page", pg.Source.Title, cmpDesc(pg.Source.Description, pg.Source.Body), pg.URL)
		p.Page = pg
		if err := r.execute("page.html", p, "", func(p *Page) {
			p.Body = r.body(pg.Source.Body, pg.Source.BodyImages, false, nil)
			p.JSONLD = append(p.JSONLD, r.pageLD("WebPage", p), r.breadcrumbLD([][2]string{{pg.Source.Title, pg.URL}}))
		}); err != nil {
			return err
		}
	}

	nf := r.newPage("404", r.t(lang, "not_found_title", "Page not found"), "", r.rel(lang, "/404.html"))
	nf.NoIndex = true
	return r.execute("404.html", nf, strings.TrimPrefix(nf.URL, "/"), nil)
}

// collectionLD is the structured data of an index page, a child of the
// home page: the ambassadors, the contests, a taxonomy.
func (r *renderer) collectionLD(p *Page) {
	p.JSONLD = append(p.JSONLD, r.pageLD("CollectionPage", p), r.breadcrumbLD([][2]string{{p.Title, p.URL}}))
}

func cmpDesc(d string, body *markdown.Doc) string {
	if d != "" {
		return d
	}
	return body.Text(160)
}

// card is the social card of a story: its cover's, or its first gallery image's.
func (r *renderer) card(st *site.Story) (*images.Variant, string) {
	for _, m := range coverOf(st) {
		if img := r.Images[m.Src]; img != nil && img.Card != nil {
			return img.Card, m.Alt
		}
	}
	return nil, ""
}

// coverOf is the story's cover, or its first gallery image when it has no cover.
func coverOf(st *site.Story) []*content.Media {
	if st.Source.Cover != nil {
		return []*content.Media{st.Source.Cover}
	}
	if len(st.Source.Gallery) > 0 {
		return []*content.Media{st.Source.Gallery[0]}
	}
	return nil
}

// body renders a Markdown body. Bundle images become responsive pictures;
// link, when set, rewrites destinations (feeds make them absolute).
func (r *renderer) body(doc *markdown.Doc, media map[string]*content.Media, poem bool, link func(string) string) template.HTML {
	if doc == nil {
		return ""
	}
	o := markdown.RenderOptions{HardWraps: poem, Link: link}
	o.Image = func(ref markdown.ImageRef) (template.HTML, bool) {
		m := media[ref.Dest]
		if m == nil {
			return "", false
		}
		img := r.Images[m.Src]
		if img == nil {
			return "", false
		}
		var pic template.HTML
		if link != nil {
			pic = feedImage(img, ref.Alt, link)
		} else {
			pic = img.Picture(ref.Alt, images.PictureOptions{Sizes: "(min-width: 48rem) 44rem, 100vw"})
		}
		if !ref.Figure || ref.Title == "" {
			return pic, true
		}
		return template.HTML("<figure>" + string(pic) + "<figcaption>" + template.HTMLEscapeString(ref.Title) + "</figcaption></figure>"), true
	}
	out, err := r.Markdown.Render(doc, o)
	if err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(err.Error()) + "</p>")
	}
	return out
}

// feedImage is a plain <img> for feed readers, which ignore <picture>.
func feedImage(img *images.Image, alt string, link func(string) string) template.HTML {
	fb := img.Fallback()
	v := fb.Variants[0]
	for _, x := range fb.Variants {
		if x.Width <= 1200 {
			v = x
		}
	}
	return template.HTML(fmt.Sprintf(`<img src="%s" width="%d" height="%d" alt="%s">`,
		template.HTMLEscapeString(link(v.URL)), v.Width, v.Height, template.HTMLEscapeString(alt)))
}
