package render

import (
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/postcard-ssg/postcard/generator/assets"
	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/images"
	"github.com/postcard-ssg/postcard/generator/site"
)

// funcs are the layouts' functions for one language: T and the date and
// number functions speak it.
func (r *renderer) funcs(lang string) template.FuncMap {
	tr := r.tr[lang]
	return template.FuncMap{
		// T translates a key of the theme's i18n files: {{T "key"}},
		// {{T "key" 3}} (plural by count), {{T "key" (dict "name" .X)}}.
		"T": tr.T,
		// lang is the language of the page being rendered, for the lang
		// attribute of text shown in another.
		"lang":    func() string { return lang },
		"number":  tr.Number,
		"ordinal": tr.Ordinal,
		// rel puts a site path in the page's language: "/stories/" is
		// "/fi/stories/" on a Finnish page when Finnish has a prefix.
		"rel":      func(p string) string { return r.rel(lang, p) },
		"kindName": func(k content.Kind) string { return r.t(lang, "kind_"+k.Slug, k.Name) },
		"taxTitle": func(tx *site.Taxonomy) string { return r.t(lang, tx.Name, tx.Title) },
		"termName": func(t *site.Term) string {
			if t.Taxonomy == "kinds" {
				return r.t(lang, "kinds_"+t.Slug, t.Name)
			}
			return t.Name
		},
		// fieldLang is the language of a field a translation took from
		// its default file, for its own lang attribute; "" otherwise.
		"fieldLang": fieldLang,
		// voteStrings is the same on every page of the language: made once.
		"voteStrings": sync.OnceValues(func() (string, error) { return voteStrings(tr) }),
		"jsStrings":   func(keys ...string) (string, error) { return jsStrings(tr, keys...) },
		"abs":         r.abs,
		// picture renders a bundle image as a responsive <picture>.
		"picture": func(m *content.Media, sizes string, eager bool) template.HTML {
			if m == nil {
				return ""
			}
			return r.Images[m.Src].Picture(m.Alt, images.PictureOptions{Sizes: sizes, Eager: eager})
		},
		// image returns the processed image of a bundle file, for custom markup.
		"image": func(m *content.Media) *images.Image {
			if m == nil {
				return nil
			}
			return r.Images[m.Src]
		},
		"cover": func(st *site.Story) *content.Media {
			if c := coverOf(st); len(c) > 0 {
				return c[0]
			}
			return nil
		},
		"date":     tr.Date,
		"isodate":  func(t time.Time) string { return t.Format("2006-01-02") },
		"datetime": func(t time.Time) string { return t.Format(time.RFC3339) },
		"year":     func(t time.Time) int { return t.Year() },
		// plural picks an English word by count; kept for sites' own
		// layouts written before T, which handles every language.
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return one
			}
			return many
		},
		"add": func(a, b int) int { return a + b },
		// kindTitle names a kind for people: "Photo" (layouts may also write .Kind.Name).
		"kindTitle": func(k content.Kind) string { return k.Name },
		"phase":     func(c *site.Contest) string { return c.Phase(r.Site.Now) },
		"jsonld": func(v any) (template.HTML, error) {
			b, err := json.Marshal(v)
			if err != nil {
				return "", err
			}
			// json.Marshal escapes <, > and &, so this cannot close the script element.
			return template.HTML(`<script type="application/ld+json">` + string(b) + `</script>`), nil
		},
		"shareLinks":    r.shareLinks,
		"licenceURL":    licenceURL,
		"videoEmbed":    videoEmbed,
		"votesEndpoint": func() string { return r.Site.Config.Votes.Endpoint },
		"enterURL":      func(c *site.Contest) string { return r.enterURL(lang, c) },
		"asset":         func(name string) assets.Asset { return r.Assets[name] },
		"brandCSS":      r.brandCSS,
		"lower":         strings.ToLower,
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"first": func(n int, s []*site.Story) []*site.Story { return s[:min(n, len(s))] },
		"list":  func(s ...string) []string { return s },
		// script loads a published script, deferred, with its integrity;
		// nothing when the theme has no such script.
		"script": func(name string) template.HTML {
			a, ok := r.Assets[name]
			if !ok {
				return ""
			}
			return template.HTML(`<script src="` + template.HTMLEscapeString(a.URL) + `" integrity="` + template.HTMLEscapeString(a.Integrity) + `" defer></script>`)
		},
		// largest is the URL of an image's largest fallback file, for links
		// to the full-size photo and video posters.
		"largest": func(img *images.Image) string {
			if img == nil {
				return ""
			}
			vs := img.Fallback().Variants
			if len(vs) == 0 {
				return ""
			}
			return vs[len(vs)-1].URL
		},
		"excerpt": func(st *site.Story, n int) string {
			if st.Source.Body == nil {
				return ""
			}
			return html.UnescapeString(st.Source.Body.Text(n))
		},
		"phaseTitle": func(p string) string { return r.t(lang, "phase_"+p, p) },
		// searchIndex is the URL of the search index's manifest.
		"searchIndex": func() string { return r.searchManifest[lang] },
		"initial": func(name string) string {
			for _, r := range name {
				return strings.ToUpper(string(r))
			}
			return ""
		},
		"linkLabel": linkLabel,
		// partialCached shows a partial made once per data, or per
		// variants, in this language (partial.go).
		"partialCached": func(name string, data any, variants ...any) (template.HTML, error) {
			return r.partials.execute(lang, name, data, variants)
		},
		// moreBy lists up to n other stories by the story's ambassador.
		"moreBy": func(st *site.Story, n int) []*site.Story {
			if st.Ambassador == nil {
				return nil
			}
			var out []*site.Story
			for _, o := range st.Ambassador.Stories {
				if o != st && len(out) < n {
					out = append(out, o)
				}
			}
			return out
		},
	}
}

// linkLabel shows a profile link without its scheme: "example.social/@risto".
func linkLabel(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.TrimSuffix(strings.TrimPrefix(u.Host, "www.")+u.Path, "/")
}

// ShareLink is a plain link to share a page on a network: no scripts, no tracking.
type ShareLink struct {
	Name, URL string
}

func (r *renderer) shareLinks(p *Page) []ShareLink {
	u := url.QueryEscape(p.Canonical)
	t := url.QueryEscape(p.Title)
	return []ShareLink{
		{"Facebook", "https://www.facebook.com/sharer/sharer.php?u=" + u},
		{"X", "https://x.com/intent/post?url=" + u + "&text=" + t},
		{"Bluesky", "https://bsky.app/intent/compose?text=" + url.QueryEscape(p.Title+" "+p.Canonical)},
		{"WhatsApp", "https://wa.me/?text=" + url.QueryEscape(p.Title+" "+p.Canonical)},
		{"Pinterest", "https://pinterest.com/pin/create/button/?url=" + u + "&description=" + t},
		{r.t(p.Lang, "share_email", "Email"), "mailto:?subject=" + url.PathEscape(p.Title) + "&body=" + url.PathEscape(p.Canonical)},
	}
}

var licenceURLs = map[string]string{
	"CC-BY-4.0":       "https://creativecommons.org/licenses/by/4.0/",
	"CC-BY-SA-4.0":    "https://creativecommons.org/licenses/by-sa/4.0/",
	"CC-BY-NC-4.0":    "https://creativecommons.org/licenses/by-nc/4.0/",
	"CC-BY-NC-SA-4.0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
	"CC-BY-ND-4.0":    "https://creativecommons.org/licenses/by-nd/4.0/",
	"CC-BY-NC-ND-4.0": "https://creativecommons.org/licenses/by-nc-nd/4.0/",
	"CC0-1.0":         "https://creativecommons.org/publicdomain/zero/1.0/",
	"LGPL-3.0":        "https://www.gnu.org/licenses/lgpl-3.0.html",
	"GPL-3.0":         "https://www.gnu.org/licenses/gpl-3.0.html",
}

func licenceURL(l string) string { return licenceURLs[l] }

// VideoEmbed describes how a story's video plays: the provider's player,
// loaded only when the visitor asks for it, or a local file.
type VideoEmbed struct {
	Provider string
	Embed    string // player URL (privacy-enhanced where the provider has one)
	Watch    string // the provider's page, the no-JS fallback
	File     string // a local file's URL
}

func videoEmbed(st *site.Story) *VideoEmbed {
	v := st.Source.Video
	if v == nil {
		return nil
	}
	switch v.Provider {
	case "youtube":
		return &VideoEmbed{Provider: "YouTube", Embed: "https://www.youtube-nocookie.com/embed/" + v.ID + "?autoplay=1", Watch: "https://www.youtube.com/watch?v=" + v.ID}
	case "vimeo":
		return &VideoEmbed{Provider: "Vimeo", Embed: "https://player.vimeo.com/video/" + v.ID + "?dnt=1&autoplay=1", Watch: "https://vimeo.com/" + v.ID}
	case "file":
		return &VideoEmbed{Provider: "file", File: st.BundleURL + strings.TrimPrefix(v.Src, st.Source.Bundle+"/")}
	}
	return nil
}

// brandCSS is the destination's brand as CSS custom properties.
func (r *renderer) brandCSS() template.CSS {
	b := r.Site.Config.Brand
	// Colours are validated as #rgb/#rrggbb and fonts as font-family lists in config.
	return template.CSS(fmt.Sprintf(":root{--brand-primary:%s;--brand-accent:%s;--brand-bg:%s;--brand-text:%s;--font-body:%s;--font-heading:%s}",
		b.Primary, b.Accent, b.Background, b.Text, b.FontBody, b.FontHeading))
}
