package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
)

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	XHTML   string       `xml:"xmlns:xhtml,attr,omitempty"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string         `xml:"loc"`
	LastMod string         `xml:"lastmod,omitempty"`
	Links   []sitemapXLink `xml:"xhtml:link"`
}

// sitemapXLink names a page's translation, as search engines read them
// in a sitemap.
type sitemapXLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// sitemap lists every HTML page but the 404 page and drafts. A site of
// several languages has one sitemap per language, /sitemap-LANG.xml, each
// page with its translations as xhtml:link alternates, joined by a
// sitemap index at /sitemap.xml.
func (r *renderer) sitemap() error {
	if len(r.Sites) > 1 {
		return r.sitemaps()
	}
	lastmod := map[string]string{}
	drafts := map[string]bool{}
	for _, st := range r.Site.Stories {
		lastmod[st.URL] = st.Source.Date.Format("2006-01-02")
		drafts[st.URL] = st.Draft
	}
	var pages []string
	for _, name := range r.pagesWritten() {
		u := "/" + strings.TrimSuffix(name, "index.html")
		if drafts[u] {
			continue
		}
		pages = append(pages, u)
	}
	slices.Sort(pages)
	if r.sitemapKept([]string{"sitemap.xml"}, pages, lastmod) {
		return nil
	}
	doc := urlset{}
	for _, p := range pages {
		doc.URLs = append(doc.URLs, sitemapURL{Loc: r.abs(p), LastMod: lastmod[p]})
	}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return r.sink.WriteFile("sitemap.xml", []byte(xml.Header+string(b)+"\n"))
}

// sitemapKept reports whether the sitemap files (names) are left out as
// unchanged pages are (Options.Since, Stats.Kept): when they list the
// same pages, in the same languages, with the same dates as the last
// render's. It records what they list in Stats.Shown.
func (r *renderer) sitemapKept(names, pages []string, lastmod map[string]string) bool {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", r.Site.Config.BaseURL)
	for _, s := range r.Sites {
		fmt.Fprintf(h, "%s=%s\x00", s.Lang, r.prefix[s.Lang])
	}
	for _, p := range pages {
		h.Write([]byte(p + "\x00" + r.langOf[p] + "\x00" + lastmod[p] + "\x00"))
	}
	sig := string(h.Sum(nil)[:16])
	r.stats.Shown[names[0]] = sig
	if r.Since == nil || r.Since.Shown[names[0]] != sig {
		return false
	}
	r.stats.Kept = append(r.stats.Kept, names...)
	return true
}

func (r *renderer) robots() error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "User-agent: *\nDisallow: /api/\n\nSitemap: %s\n", r.abs("/sitemap.xml"))
	return r.sink.WriteFile("robots.txt", b.Bytes())
}

func (r *renderer) sitemaps() error {
	lastmod := map[string]string{}
	drafts := map[string]bool{}
	for _, s := range r.Sites {
		for _, st := range s.Stories {
			lastmod[st.URL] = st.Source.Date.Format("2006-01-02")
			drafts[st.URL] = st.Draft
		}
	}
	// The same path without its language's prefix is the same page.
	byKey := map[string][]string{}
	keyOf := func(u string) string { return strings.TrimPrefix(u, r.prefix[r.langOf[u]]) }
	var pages []string
	for _, name := range r.pagesWritten() {
		u := "/" + strings.TrimSuffix(name, "index.html")
		if drafts[u] {
			continue
		}
		pages = append(pages, u)
		byKey[keyOf(u)] = append(byKey[keyOf(u)], u)
	}
	slices.Sort(pages)
	names := []string{"sitemap.xml"}
	for _, s := range r.Sites {
		names = append(names, "sitemap-"+s.Lang+".xml")
	}
	if r.sitemapKept(names, pages, lastmod) {
		return nil
	}
	index := sitemapIndex{}
	for _, s := range r.Sites {
		doc := urlset{XHTML: "http://www.w3.org/1999/xhtml"}
		var newest string
		for _, p := range pages {
			if r.langOf[p] != s.Lang {
				continue
			}
			u := sitemapURL{Loc: r.abs(p), LastMod: lastmod[p]}
			newest = max(newest, lastmod[p])
			if alts := byKey[keyOf(p)]; len(alts) > 1 {
				for _, other := range r.Sites {
					for _, a := range alts {
						if r.langOf[a] == other.Lang {
							u.Links = append(u.Links, sitemapXLink{Rel: "alternate", Hreflang: other.Lang, Href: r.abs(a)})
						}
					}
				}
				for _, a := range alts {
					if r.langOf[a] == r.Sites[0].Lang {
						u.Links = append(u.Links, sitemapXLink{Rel: "alternate", Hreflang: "x-default", Href: r.abs(a)})
					}
				}
			}
			doc.URLs = append(doc.URLs, u)
		}
		b, err := xml.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		name := "sitemap-" + s.Lang + ".xml"
		if err := r.sink.WriteFile(name, []byte(xml.Header+string(b)+"\n")); err != nil {
			return err
		}
		index.Sitemaps = append(index.Sitemaps, sitemapURL{Loc: r.abs("/" + name), LastMod: newest})
	}
	b, err := xml.MarshalIndent(index, "", "  ")
	if err != nil {
		return err
	}
	return r.sink.WriteFile("sitemap.xml", []byte(xml.Header+string(b)+"\n"))
}
