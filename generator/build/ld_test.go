package build

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// This file checks the structured data (schema.org JSON-LD) of every page
// of a build against what search engines document for those types. The
// documentation cannot be fetched by tests, so the properties are written
// down below, each type with the page it was read from and the date it was
// written down. A node of a type not listed fails, a property not listed
// fails (a typo is caught), a required property missing fails, and a
// recommended one missing fails unless `unless` says why Postcard leaves
// it out. Values are checked too: URLs absolute, dates ISO 8601 with a
// time zone, images with their size, no empty strings, no HTML in text.

// ldRule is what one type requires, recommends and allows.
type ldRule struct {
	required    []string
	recommended []string
	// unless: recommended properties a node may lack, and why.
	unless   map[string]string
	optional []string
	// nested: rules for a property's value that differ from its type's
	// own rule, such as a ProfilePage's main entity.
	nested map[string]string
}

// Rules, written down on 2026-11-30.
var ldRules = map[string]ldRule{
	// Google Search Central, "Article (Article, NewsArticle, BlogPosting)
	// structured data": https://developers.google.com/search/docs/appearance/structured-data/article
	// No required properties; recommended: author (with name and url),
	// dateModified, datePublished, headline, image.
	// Stories of kind "story" are Articles; poems are CreativeWork, the
	// supertype, and are held to the same list.
	"Article":      storyRule(nil, nil),
	"CreativeWork": storyRule(nil, nil),
	// Google Search Central, "Image metadata in Google Images":
	// https://developers.google.com/search/docs/appearance/structured-data/image-license-metadata
	// Required: contentUrl, and one of creator, creditText, copyrightNotice,
	// license. Recommended: acquireLicensePage, copyrightNotice, creator,
	// creditText, license. Photographs also follow the Article list.
	"Photograph": storyRule([]string{"contentUrl", "creator"}, map[string]string{
		"acquireLicensePage": "the stories are not for sale; the licence, when there is one, is linked",
		"copyrightNotice":    "the credit line (creditText) is the notice the contributor gave",
		"creditText":         "only when the contributor gave no credit line",
		"license":            "only when the story names no licence URL Postcard knows",
	}),
	// Google Search Central, "Video (VideoObject, Clip, BroadcastEvent)
	// structured data": https://developers.google.com/search/docs/appearance/structured-data/video
	// Required: name, thumbnailUrl, uploadDate. Recommended: contentUrl,
	// description, duration, embedUrl, expires, hasPart,
	// interactionStatistic, publication, regionsAllowed, ineligibleRegion.
	"VideoObject": storyRule([]string{"name", "thumbnailUrl", "uploadDate", "description", "contentUrl", "duration", "embedUrl", "expires", "hasPart", "interactionStatistic", "publication", "regionsAllowed", "ineligibleRegion"}, map[string]string{
		"contentUrl":           "a hosted video's file is the provider's; the page gives embedUrl",
		"duration":             "Postcard does not read the length of a video",
		"embedUrl":             "only for hosted videos; an uploaded one is played on the page",
		"expires":              "stories do not expire",
		"hasPart":              "no key moments are marked in a story",
		"interactionStatistic": "Postcard counts no views",
		"publication":          "no video is a live stream",
		"regionsAllowed":       "stories are shown everywhere",
		"ineligibleRegion":     "stories are shown everywhere",
	}),
	// schema.org, https://schema.org/WebSite, and Google Search Central,
	// "Provide a site name to Google Search":
	// https://developers.google.com/search/docs/appearance/site-names
	// Required: name, url. Recommended: alternateName.
	"WebSite": {
		required:    []string{"name", "url", "inLanguage"},
		recommended: []string{"alternateName"},
		unless:      map[string]string{"alternateName": "a site has one name in site.toml"},
		optional:    []string{"description", "publisher"},
	},
	// Google Search Central, "Profile page (ProfilePage) structured data":
	// https://developers.google.com/search/docs/appearance/structured-data/profile-page
	// Required: mainEntity (a Person or Organization), mainEntity.name.
	// Recommended: dateCreated, dateModified, mainEntity.alternateName,
	// mainEntity.description, mainEntity.identifier, mainEntity.image,
	// mainEntity.interactionStatistic, mainEntity.agentInteractionStatistic,
	// mainEntity.sameAs.
	"ProfilePage": {
		required:    []string{"mainEntity", "url", "inLanguage"},
		recommended: []string{"dateCreated", "dateModified"},
		unless: map[string]string{
			"dateCreated":  "an ambassador's file carries no date; Postcard invents none",
			"dateModified": "an ambassador's file carries no date; Postcard invents none",
		},
		optional: []string{"name", "isPartOf", "hasPart"},
		nested:   map[string]string{"mainEntity": "ProfilePage.mainEntity", "hasPart": "ProfilePage.hasPart", "isPartOf": "WebSite.ref"},
	},
	"ProfilePage.mainEntity": {
		required:    []string{"@type", "name", "url"},
		recommended: []string{"alternateName", "description", "identifier", "image", "interactionStatistic", "agentInteractionStatistic", "sameAs"},
		unless: map[string]string{
			"alternateName":        "an ambassador has one name",
			"description":          "only when the ambassador wrote no bio",
			"image":                "only when the ambassador has no avatar",
			"interactionStatistic": "Postcard counts no followers",
			"sameAs":               "only when the ambassador lists no links",
		},
		optional: []string{"@id"},
	},
	// The stories listed on a profile, in brief.
	"ProfilePage.hasPart": {
		required: []string{"@type", "headline", "url", "datePublished", "author"},
	},
	// Google Search Central, "Event (Event) structured data":
	// https://developers.google.com/search/docs/appearance/structured-data/event
	// Required: location (for an online event a VirtualLocation with url),
	// name, startDate. Recommended: description, endDate,
	// eventAttendanceMode, eventStatus, image, offers, organizer (name,
	// url), performer, previousStartDate.
	"Event": {
		required:    []string{"location", "name", "startDate"},
		recommended: []string{"description", "endDate", "eventAttendanceMode", "eventStatus", "image", "offers", "organizer", "performer", "previousStartDate"},
		unless: map[string]string{
			"image":             "only when the contest has no cover and no entry with a picture",
			"offers":            "entering and voting need no ticket; Postcard knows no price and invents none",
			"performer":         "a contest has entrants, not performers",
			"previousStartDate": "only for a rescheduled event; a contest's dates are its own",
		},
		optional: []string{"url", "inLanguage", "subEvent"},
		nested:   map[string]string{"subEvent": "Event.subEvent"},
	},
	// A contest's submission and voting windows.
	"Event.subEvent": {
		required: []string{"@type", "name", "startDate", "endDate", "location", "eventStatus", "eventAttendanceMode"},
	},
	// Google Search Central, "Breadcrumb (BreadcrumbList) structured data":
	// https://developers.google.com/search/docs/appearance/structured-data/breadcrumb
	// Required: itemListElement (at least two ListItems), and per ListItem
	// item (a URL; may be left out on the last), name, position.
	"BreadcrumbList": {required: []string{"itemListElement"}},
	"ListItem":       {required: []string{"item", "name", "position"}},
	// schema.org, https://schema.org/WebPage (CollectionPage and
	// SearchResultsPage are its subtypes). No rich result; Postcard gives
	// the page's name, URL, language and site.
	"WebPage":           pageRule(),
	"CollectionPage":    pageRule(),
	"SearchResultsPage": pageRule(),
	// The values of properties above, from the same documents.
	// A story in another language: schema.org, https://schema.org/translationOfWork
	// and https://schema.org/workTranslation.
	"Story.ref": {required: []string{"@type", "url"}, optional: []string{"name", "inLanguage"}},
	// The site a page belongs to.
	"WebSite.ref":        {required: []string{"@type", "name", "url"}},
	"Person":             {required: []string{"name"}, optional: []string{"url", "@id"}},
	"Organization":       {required: []string{"name", "url"}, optional: []string{"logo"}},
	"ImageObject":        {required: []string{"url", "width", "height"}},
	"Place":              {required: []string{"name"}},
	"VirtualLocation":    {required: []string{"url"}},
	"InteractionCounter": {required: []string{"interactionType", "userInteractionCount"}},
}

// storyRule is the Article list (see above) for a story's type, with the
// type's own required properties and reasons.
func storyRule(more []string, unless map[string]string) ldRule {
	r := ldRule{
		required:    []string{"@id", "name", "url", "inLanguage"},
		recommended: []string{"author", "dateModified", "datePublished", "headline", "image"},
		unless: map[string]string{
			"dateModified": "a story carries one date, when it was published; Postcard invents no other",
			"image":        "only when the story has no picture (a poem or a text story)",
		},
		optional: []string{"description", "creditText", "license", "publisher", "isPartOf", "contentLocation", "contributor", "translationOfWork", "workTranslation"},
		nested: map[string]string{"author": "Person", "creator": "Person", "contributor": "Person", "isPartOf": "WebSite.ref",
			"translationOfWork": "Story.ref", "workTranslation": "Story.ref"},
	}
	for _, p := range more {
		if _, ok := unless[p]; ok {
			r.recommended = append(r.recommended, p)
		} else {
			r.required = append(r.required, p)
		}
	}
	for p, why := range unless {
		r.unless[p] = why
		if !slices.Contains(r.recommended, p) && !slices.Contains(r.required, p) {
			r.recommended = append(r.recommended, p)
		}
	}
	return r
}

func pageRule() ldRule {
	return ldRule{
		required: []string{"name", "url", "inLanguage", "isPartOf"},
		optional: []string{"description"},
		nested:   map[string]string{"isPartOf": "WebSite.ref"},
	}
}

// ldURLs are the properties whose values are URLs; ldDates hold dates.
var (
	ldURLs = map[string]bool{
		"@id": true, "url": true, "item": true, "sameAs": true, "image": true, "logo": true,
		"contentUrl": true, "thumbnailUrl": true, "embedUrl": true, "license": true,
		"interactionType": true, "eventStatus": true, "eventAttendanceMode": true,
	}
	ldDates = map[string]bool{
		"datePublished": true, "dateModified": true, "dateCreated": true, "uploadDate": true,
		"startDate": true, "endDate": true,
	}
	// ldHTML is markup or an HTML entity in what should be plain text.
	ldHTML = regexp.MustCompile(`<[a-zA-Z/!]|&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);`)
)

// ldNodes extracts and parses every JSON-LD block of an HTML page, with
// the page's lang attribute.
func ldNodes(page []byte) (nodes []map[string]any, lang, canonical string, problems []string) {
	z := html.NewTokenizer(bytes.NewReader(page))
	inLD := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nodes, lang, canonical, problems
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch {
			case tok.Data == "html":
				lang = attr(tok, "lang")
			case tok.Data == "link" && attr(tok, "rel") == "canonical":
				canonical = attr(tok, "href")
			}
			inLD = tok.Data == "script" && attr(tok, "type") == "application/ld+json"
		case html.TextToken:
			if !inLD {
				continue
			}
			var v map[string]any
			if err := json.Unmarshal(z.Text(), &v); err != nil {
				problems = append(problems, "JSON-LD does not parse: "+err.Error())
				continue
			}
			nodes = append(nodes, v)
		case html.EndTagToken:
			inLD = false
		}
	}
}

// checkLD checks every page of a build and fails t for each problem.
// ldTypes counts the top-level types it saw.
func checkLD(t *testing.T, res *Result) map[string]int {
	t.Helper()
	types := map[string]int{}
	pages := 0
	for _, name := range res.Files.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		data, _ := res.Files.Get(name)
		nodes, lang, canonical, problems := ldNodes(data)
		for _, p := range problems {
			t.Errorf("%s: %s", name, p)
		}
		if path.Base(name) == "404.html" {
			// The not-found pages are noindex and describe nothing.
			continue
		}
		pages++
		main := 0
		for _, n := range nodes {
			typ, _ := n["@type"].(string)
			types[typ]++
			if n["@context"] != "https://schema.org" {
				t.Errorf("%s: %s: @context %v, want https://schema.org", name, typ, n["@context"])
			}
			for _, p := range ldCheck(n, "", typ) {
				t.Errorf("%s: %s", name, p)
			}
			if typ == "BreadcrumbList" {
				continue
			}
			main++
			if got := n["inLanguage"]; got != lang {
				t.Errorf("%s: %s: inLanguage %v, but the page is lang=%q", name, typ, got, lang)
			}
			if got := n["url"]; got != canonical {
				t.Errorf("%s: %s: url %v, but the page's canonical URL is %q", name, typ, got, canonical)
			}
			if _, ok := n["image"]; !ok && bytes.Contains(data, []byte(`<meta property="og:image"`)) && slices.Contains(ldRules[typ].recommended, "image") {
				t.Errorf("%s: %s: no image, though the page has a picture (og:image)", name, typ)
			}
		}
		if main == 0 {
			t.Errorf("%s: no structured data but breadcrumbs", name)
		}
	}
	if pages == 0 {
		t.Error("no pages")
	}
	return types
}

// ldCheck checks one node against the rule for key (its type, or the
// nested rule its parent names) and returns the problems, each with the
// node's path.
func ldCheck(n map[string]any, at, key string) []string {
	typ, _ := n["@type"].(string)
	if len(n) == 1 && n["@id"] != nil {
		return ldValue("@id", n["@id"], at+"@id") // a reference to a node elsewhere
	}
	rule, ok := ldRules[key]
	if !ok {
		return []string{fmt.Sprintf("%s: unknown @type %q", at+"@type", typ)}
	}
	var out []string
	where := typ
	if at != "" {
		where = at + typ
	}
	for _, p := range rule.required {
		if _, ok := n[p]; !ok {
			out = append(out, fmt.Sprintf("%s: no %s, which is required", where, p))
		}
	}
	for _, p := range rule.recommended {
		if _, ok := n[p]; !ok && rule.unless[p] == "" {
			out = append(out, fmt.Sprintf("%s: no %s, which is recommended", where, p))
		}
	}
	known := map[string]bool{"@context": true, "@type": true}
	for _, list := range [][]string{rule.required, rule.recommended, rule.optional} {
		for _, p := range list {
			known[p] = true
		}
	}
	props := make([]string, 0, len(n))
	for p := range n {
		props = append(props, p)
	}
	sort.Strings(props)
	for _, p := range props {
		if !known[p] {
			out = append(out, fmt.Sprintf("%s: property %s is not in the list for %s", where, p, key))
			continue
		}
		if p == "@context" || p == "@type" {
			continue
		}
		vals, isList := n[p].([]any)
		if !isList {
			vals = []any{n[p]}
		} else if len(vals) == 0 {
			out = append(out, fmt.Sprintf("%s.%s: empty list", where, p))
		}
		for i, v := range vals {
			path := where + "." + p
			if isList {
				path = fmt.Sprintf("%s[%d]", path, i)
			}
			child, ok := v.(map[string]any)
			if !ok {
				out = append(out, ldValue(p, v, path)...)
				continue
			}
			ct, _ := child["@type"].(string)
			ck := ct
			if nk, ok := rule.nested[p]; ok {
				ck = nk
			}
			out = append(out, ldCheck(child, path+":", ck)...)
		}
	}
	if typ == "BreadcrumbList" {
		items, _ := n["itemListElement"].([]any)
		if len(items) < 2 {
			out = append(out, fmt.Sprintf("%s: %d items, want at least two", where, len(items)))
		}
		for i, it := range items {
			m, _ := it.(map[string]any)
			if pos, _ := m["position"].(float64); int(pos) != i+1 {
				out = append(out, fmt.Sprintf("%s: item %d has position %v", where, i+1, m["position"]))
			}
		}
	}
	return out
}

// ldValue checks a value that is not a node.
func ldValue(prop string, v any, path string) []string {
	switch v := v.(type) {
	case string:
		switch {
		case v == "" || strings.TrimSpace(v) != v:
			return []string{fmt.Sprintf("%s: empty or padded string %q", path, v)}
		case ldURLs[prop]:
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return []string{fmt.Sprintf("%s: %q is not an absolute URL", path, v)}
			}
		case ldDates[prop]:
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				return []string{fmt.Sprintf("%s: %q is not an ISO 8601 date and time with its zone", path, v)}
			}
		case ldHTML.MatchString(v):
			return []string{fmt.Sprintf("%s: %q has HTML in text", path, v)}
		}
	case float64:
		if (prop == "width" || prop == "height" || prop == "position") && (v < 1 || v != float64(int(v))) {
			return []string{fmt.Sprintf("%s: %v is not a positive whole number", path, v)}
		}
		if v < 0 {
			return []string{fmt.Sprintf("%s: %v is negative", path, v)}
		}
	case bool:
	default:
		return []string{fmt.Sprintf("%s: unexpected value %v", path, v)}
	}
	return nil
}

func TestStructuredDataOfEveryPage(t *testing.T) {
	res := mustBuild(t, "basic", Options{})
	types := checkLD(t, res)
	for _, want := range []string{"WebSite", "Article", "Photograph", "VideoObject", "CreativeWork", "ProfilePage", "Event", "BreadcrumbList", "CollectionPage", "WebPage", "SearchResultsPage"} {
		if types[want] == 0 {
			t.Errorf("no page has a %s; have %v", want, types)
		}
	}
	// What the rules check, shown on nodes a broken render could write.
	page := func(ld string) []byte {
		return []byte(`<!doctype html><html lang="en"><script type="application/ld+json">` + ld + `</script>`)
	}
	for _, c := range []struct{ ld, want string }{
		{`{"@context":"https://schema.org","@type":"Recipe","name":"x"}`, `unknown @type "Recipe"`},
		{`{"@context":"https://schema.org","@type":"Event","name":"x","location":{"@type":"VirtualLocation","url":"https://a.example/"}}`, "no startDate, which is required"},
		{`{"@context":"https://schema.org","@type":"Event","name":"x","startDate":"2026-11-30","location":{"@type":"VirtualLocation","url":"https://a.example/"}}`, "is not an ISO 8601 date and time with its zone"},
		{`{"@context":"https://schema.org","@type":"WebPage","name":"x","url":"/about/","inLanguage":"en","isPartOf":{"@type":"WebSite","name":"x","url":"https://a.example/"}}`, "is not an absolute URL"},
		{`{"@context":"https://schema.org","@type":"WebPage","name":"Tom &amp; Jerry","url":"https://a.example/","inLanguage":"en","isPartOf":{"@type":"WebSite","name":"x","url":"https://a.example/"}}`, "has HTML in text"},
		{`{"@context":"https://schema.org","@type":"WebPage","name":"<b>x</b>","url":"https://a.example/","inLanguage":"en","isPartOf":{"@type":"WebSite","name":"x","url":"https://a.example/"}}`, "has HTML in text"},
		{`{"@context":"https://schema.org","@type":"WebPage","name":"","url":"https://a.example/","inLanguage":"en","isPartOf":{"@type":"WebSite","name":"x","url":"https://a.example/"}}`, "empty or padded string"},
		{`{"@context":"https://schema.org","@type":"WebPage","name":"x","url":"https://a.example/","inLanguage":"en","isPartOf":{"@type":"WebSite","name":"x","url":"https://a.example/"},"headlne":"x"}`, "property headlne is not in the list"},
		{`{"@context":"https://schema.org","@type":"Article","@id":"https://a.example/#s","name":"x","headline":"x","url":"https://a.example/","inLanguage":"en","datePublished":"2026-11-30T00:00:00Z","author":{"@type":"Person","name":"A"},"image":{"@type":"ImageObject","url":"https://a.example/i.jpg","width":0,"height":10}}`, "is not a positive whole number"},
		{`{"@context":"https://schema.org","@type":"Article","@id":"https://a.example/#s","name":"x","headline":"x","url":"https://a.example/","inLanguage":"en","datePublished":"2026-11-30T00:00:00Z"}`, "no author, which is recommended"},
		{`{"@context":"https://schema.org","@type":"ProfilePage","url":"https://a.example/","inLanguage":"en","mainEntity":{"@type":"Person","url":"https://a.example/"}}`, "mainEntity:Person: no name, which is required"},
		{`{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[{"@type":"ListItem","position":1,"name":"Home","item":"https://a.example/"}]}`, "1 items, want at least two"},
		{`{"@context":"https://schema.org","@type":"Article","@id":"https://a.example/fi/#s","name":"x","headline":"x","url":"https://a.example/fi/","inLanguage":"fi","datePublished":"2026-11-30T00:00:00Z","author":{"@type":"Person","name":"A"},"translationOfWork":{"@type":"Article","url":"/"}}`, "translationOfWork:Article.url: \"/\" is not an absolute URL"},
	} {
		nodes, _, _, problems := ldNodes(page(c.ld))
		for _, n := range nodes {
			problems = append(problems, ldCheck(n, "", fmt.Sprint(n["@type"]))...)
		}
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, c.want) }) {
			t.Errorf("%s: problems %q, want one with %q", c.ld, problems, c.want)
		}
	}
	// A translation names its original, ready for stories in more languages.
	nodes, _, _, _ := ldNodes(page(`{"@context":"https://schema.org","@type":"Article","@id":"https://a.example/fi/#s","name":"x","headline":"x","url":"https://a.example/fi/","inLanguage":"fi","datePublished":"2026-11-30T00:00:00Z","author":{"@type":"Person","name":"A"},"translationOfWork":{"@type":"Article","url":"https://a.example/"}}`))
	if p := ldCheck(nodes[0], "", "Article"); len(p) > 0 {
		t.Errorf("a translation's data: %q", p)
	}
}
