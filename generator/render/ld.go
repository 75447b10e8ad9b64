package render

import (
	"html"
	"time"

	"github.com/postcard-ssg/postcard/generator/images"
	"github.com/postcard-ssg/postcard/generator/markdown"
	"github.com/postcard-ssg/postcard/generator/site"
)

// Structured data (schema.org, as JSON-LD) for search engines: WebSite on
// the home page, the story's own type (Article, Photograph, VideoObject,
// CreativeWork) on story pages, ProfilePage around the ambassador's Person,
// Event for contests, CollectionPage and WebPage elsewhere, BreadcrumbList
// where a page has a parent. The properties follow what search engines'
// rich-result documentation requires and recommends; the build package's
// tests hold that list and check every page against it. Every date carries
// its time zone and every URL is absolute.

type ld map[string]any

// ldTime is a date as structured data wants it: ISO 8601 with its zone.
func ldTime(t time.Time) string { return t.Format(time.RFC3339) }

// ldText is a description as plain text: the one written, or the
// beginning of the body, its character references (&amp;, &#8217;)
// decoded as the page shows them.
func ldText(description string, body *markdown.Doc) string {
	if description != "" || body == nil {
		return description
	}
	return html.UnescapeString(body.Text(160))
}

// ldImage is an image with its size, or nil.
func (r *renderer) ldImage(v *images.Variant) ld {
	if v == nil {
		return nil
	}
	return ld{"@type": "ImageObject", "url": r.abs(v.URL), "width": v.Width, "height": v.Height}
}

// publisher is the destination the site belongs to.
func (r *renderer) publisher() ld {
	c := r.Site.Config
	v := ld{"@type": "Organization", "name": c.Title, "url": c.BaseURL.String()}
	if c.Brand.Logo != "" {
		v["logo"] = r.abs("/" + c.Brand.Logo)
	}
	return v
}

// websiteRef names the site a page belongs to.
func (r *renderer) websiteRef() ld {
	return ld{"@type": "WebSite", "name": r.Site.Config.Title, "url": r.abs(r.rel(r.lang(), "/"))}
}

func (r *renderer) websiteLD() any {
	c := r.Site.Config
	return ld{
		"@context":    "https://schema.org",
		"@type":       "WebSite",
		"name":        c.Title,
		"description": c.Description,
		"url":         r.abs(r.rel(r.lang(), "/")),
		"inLanguage":  r.lang(),
		"publisher":   r.publisher(),
	}
}

// pageLD describes a page that is not a story, person or contest: a
// WebPage, or a CollectionPage for the galleries and indexes.
func (r *renderer) pageLD(typ string, p *Page) any {
	v := ld{
		"@context":   "https://schema.org",
		"@type":      typ,
		"name":       p.Title,
		"url":        p.Canonical,
		"inLanguage": r.lang(),
		"isPartOf":   r.websiteRef(),
	}
	if p.Description != "" {
		v["description"] = p.Description
	}
	return v
}

// storyLD describes a story. image is the page's picture (its social
// card); original is the absolute URL of the story it translates, or empty
// when it is no translation.
func (r *renderer) storyLD(st *site.Story, image *images.Variant, original string) any {
	typ := st.Source.Kind.SchemaType
	v := ld{
		"@context":      "https://schema.org",
		"@type":         typ,
		"@id":           r.abs(st.URL) + "#story",
		"name":          st.Source.Title,
		"headline":      st.Source.Title,
		"url":           r.abs(st.URL),
		"datePublished": ldTime(st.Source.Date),
		"inLanguage":    r.lang(),
		"publisher":     r.publisher(),
		"isPartOf":      r.websiteRef(),
	}
	if d := ldText(st.Source.Description, st.Source.Body); d != "" {
		v["description"] = d
	}
	if st.Source.Rights.Credit != "" {
		v["creditText"] = st.Source.Rights.Credit
	}
	if original != "" {
		v["translationOfWork"] = ld{"@type": typ, "url": original}
	}
	if st.Ambassador != nil {
		v["author"] = r.personRef(st.Ambassador)
		if typ == "Photograph" {
			// Image metadata names the photographer as creator.
			v["creator"] = r.personRef(st.Ambassador)
		}
	}
	var contributors []ld
	for _, a := range st.Contributors {
		contributors = append(contributors, r.personRef(a))
	}
	if len(contributors) > 0 {
		v["contributor"] = contributors
	}
	if u := licenceURL(st.Source.Rights.License); u != "" {
		v["license"] = u
	}
	if image != nil {
		v["image"] = r.ldImage(image)
		if typ == "VideoObject" {
			v["thumbnailUrl"] = r.abs(image.URL)
		}
	}
	if typ == "Photograph" {
		// The photograph itself, at its largest published size.
		if m := coverOf(st); len(m) > 0 {
			if full := r.Images[m[0].Src]; full != nil {
				if vs := full.Fallback().Variants; len(vs) > 0 {
					v["contentUrl"] = r.abs(vs[len(vs)-1].URL)
				}
			}
		}
	}
	if st.Place != nil {
		v["contentLocation"] = ld{"@type": "Place", "name": st.Place.Name}
	}
	if typ == "VideoObject" {
		v["uploadDate"] = ldTime(st.Source.Date)
		if e := videoEmbed(st); e != nil && e.Embed != "" {
			v["embedUrl"] = e.Embed
		}
	}
	return v
}

// personRef names an ambassador in another node.
func (r *renderer) personRef(a *site.Ambassador) ld {
	return ld{"@type": "Person", "name": a.Source.Name, "url": r.abs(a.URL)}
}

// profileLD is an ambassador's page: a ProfilePage whose main entity is
// the Person, with the stories they told as its parts.
func (r *renderer) profileLD(a *site.Ambassador, avatar *images.Variant) any {
	person := ld{
		"@type":      "Person",
		"@id":        r.abs(a.URL) + "#person",
		"name":       a.Source.Name,
		"url":        r.abs(a.URL),
		"identifier": a.Source.Slug,
		"agentInteractionStatistic": ld{
			"@type":                "InteractionCounter",
			"interactionType":      "https://schema.org/WriteAction",
			"userInteractionCount": len(a.Stories),
		},
	}
	if a.Source.Bio != "" {
		person["description"] = a.Source.Bio
	}
	if img := r.ldImage(avatar); img != nil {
		person["image"] = img
	}
	if len(a.Source.Links) > 0 {
		person["sameAs"] = a.Source.Links
	}
	v := ld{
		"@context":   "https://schema.org",
		"@type":      "ProfilePage",
		"name":       a.Source.Name,
		"url":        r.abs(a.URL),
		"inLanguage": r.lang(),
		"isPartOf":   r.websiteRef(),
		"mainEntity": person,
	}
	var parts []ld
	for _, st := range r.published(a.Stories) {
		parts = append(parts, ld{
			"@type":         st.Source.Kind.SchemaType,
			"headline":      st.Source.Title,
			"url":           r.abs(st.URL),
			"datePublished": ldTime(st.Source.Date),
			"author":        ld{"@id": r.abs(a.URL) + "#person"},
		})
	}
	if len(parts) > 0 {
		v["hasPart"] = parts
	}
	return v
}

// contestLD is a contest as an Event online: from the day submissions open
// to the end of the last voting day, at the contest's page, organised by
// the destination, with the submission and voting windows as sub-events.
// Event's required properties are met honestly: a contest has a name, a
// start (the first submission day, at midnight in the site's time zone)
// and a place people take part in (its page, a VirtualLocation). What it
// does not have is not invented: no offers (no ticket, no price), no
// performer.
func (r *renderer) contestLD(c *site.Contest, description string, image *images.Variant) any {
	event := func(name string, start, end time.Time) ld {
		return ld{
			"@type":               "Event",
			"name":                name,
			"startDate":           ldTime(start),
			"endDate":             ldTime(end),
			"eventStatus":         "https://schema.org/EventScheduled",
			"eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
			"location":            ld{"@type": "VirtualLocation", "url": r.abs(c.URL)},
		}
	}
	opens := startOfDay(c.Source.Opens)
	v := event(c.Source.Title, opens, c.VotingEnd())
	v["@context"] = "https://schema.org"
	v["url"] = r.abs(c.URL)
	v["description"] = description
	v["inLanguage"] = r.lang()
	v["organizer"] = r.publisher()
	if img := r.ldImage(image); img != nil {
		v["image"] = img
	}
	v["subEvent"] = []ld{
		event(c.Source.Title+": submissions", opens, c.SubmissionEnd()),
		event(c.Source.Title+": voting", c.VotingStart(), c.VotingEnd()),
	}
	return v
}

func startOfDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// breadcrumbLD is the trail from the home page to a page: items are the
// name and path of each step after Home.
func (r *renderer) breadcrumbLD(items [][2]string) any {
	list := []ld{{"@type": "ListItem", "position": 1, "name": r.t(r.lang(), "home", "Home"), "item": r.abs(r.rel(r.lang(), "/"))}}
	for i, it := range items {
		list = append(list, ld{"@type": "ListItem", "position": i + 2, "name": it[0], "item": r.abs(it[1])})
	}
	return ld{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": list}
}
