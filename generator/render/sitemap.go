package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
)

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemap lists every HTML page but the 404 page and drafts.
func (r *renderer) sitemap() error {
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

func (r *renderer) robots() error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "User-agent: *\nDisallow: /api/\n\nSitemap: %s\n", r.abs("/sitemap.xml"))
	return r.sink.WriteFile("robots.txt", b.Bytes())
}
