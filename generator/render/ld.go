package render

import (
	"github.com/postcard-ssg/postcard/generator/site"
)

// Structured data (schema.org, as JSON-LD) for search engines.

type ld map[string]any

func (r *renderer) websiteLD() any {
	c := r.Site.Config
	return ld{"@context": "https://schema.org", "@type": "WebSite", "name": c.Title, "description": c.Description, "url": c.BaseURL.String(), "inLanguage": c.Language}
}

func (r *renderer) storyLD(st *site.Story) any {
	typ := st.Source.Kind.SchemaType
	v := ld{
		"@context":      "https://schema.org",
		"@type":         typ,
		"name":          st.Source.Title,
		"headline":      st.Source.Title,
		"url":           r.abs(st.URL),
		"datePublished": st.Source.Date.Format("2006-01-02"),
		"inLanguage":    r.Site.Config.Language,
		"creditText":    st.Source.Rights.Credit,
	}
	if st.Ambassador != nil {
		v["author"] = ld{"@type": "Person", "name": st.Ambassador.Source.Name, "url": r.abs(st.Ambassador.URL)}
	}
	if u := licenceURL(st.Source.Rights.License); u != "" {
		v["license"] = u
	}
	if img, _ := r.card(st); img != nil {
		v["image"] = r.abs(img.URL)
		if typ == "VideoObject" {
			v["thumbnailUrl"] = r.abs(img.URL)
		}
	}
	if st.Place != nil {
		v["contentLocation"] = ld{"@type": "Place", "name": st.Place.Name}
	}
	if typ == "VideoObject" {
		v["uploadDate"] = st.Source.Date.Format("2006-01-02")
		v["description"] = cmpDesc(st.Source.Description, st.Source.Body)
		if e := videoEmbed(st); e != nil && e.Embed != "" {
			v["embedUrl"] = e.Embed
		}
	}
	return v
}

func (r *renderer) personLD(a *site.Ambassador) any {
	v := ld{"@context": "https://schema.org", "@type": "Person", "name": a.Source.Name, "url": r.abs(a.URL), "description": a.Source.Bio}
	if len(a.Source.Links) > 0 {
		v["sameAs"] = a.Source.Links
	}
	return v
}

func (r *renderer) breadcrumbLD(items [][2]string) any {
	list := []ld{{"@type": "ListItem", "position": 1, "name": r.t(r.lang(), "home", "Home"), "item": r.abs(r.rel(r.lang(), "/"))}}
	for i, it := range items {
		list = append(list, ld{"@type": "ListItem", "position": i + 2, "name": it[0], "item": r.abs(it[1])})
	}
	return ld{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": list}
}
