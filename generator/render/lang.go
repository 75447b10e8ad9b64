package render

import (
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strings"

	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/i18n"
)

// voteKeys are the vote widget's words, handed to its script in the
// widget's data-strings.
var voteKeys = []string{
	"vote", "voted", "vote_sending", "vote_already", "vote_all_used", "vote_origin",
	"vote_unchecked", "vote_closed", "vote_not_entry", "vote_unreadable", "vote_too_large",
	"vote_network_today", "vote_network_minute", "vote_unavailable", "vote_unreachable", "vote_for_title",
}

// voteStrings is the JSON the vote script reads its words from: each key's
// text in the page's language, and vote_count's plural forms by CLDR name
// for the script to choose with Intl.PluralRules.
func voteStrings(tr *i18n.Translator) (string, error) {
	m := map[string]any{}
	for _, k := range voteKeys {
		s, err := tr.T(k, map[string]any{"title": "{title}"})
		if err != nil {
			return "", err
		}
		m[k] = s
	}
	m["vote_count"] = tr.Forms("vote_count")
	m["vote_all_used_n"] = tr.Forms("vote_all_used_n")
	b, err := json.Marshal(m)
	return string(b), err
}

// languages loads the translation strings, unless given, and parses the
// layouts once per language, with that language's functions.
func (r *renderer) languages() error {
	cfg := r.Site.Config
	langs := cfg.LanguageCodes()
	r.prefix = map[string]string{}
	for _, l := range cfg.Languages {
		r.prefix[l.Code] = l.Prefix
	}
	if r.I18n == nil {
		c, err := i18n.Load(r.Theme, langs, cfg.Language)
		if err != nil {
			return err
		}
		r.I18n = c
	}
	r.tr = map[string]*i18n.Translator{}
	r.tpls = map[string]map[string]*template.Template{}
	for _, l := range langs {
		r.tr[l] = r.I18n.Translator(l)
	}
	r.partials = newPartials()
	for i, l := range langs {
		tpls, base, err := templates(r.Theme, r.funcs(l))
		if err != nil {
			return err
		}
		r.tpls[l] = tpls
		r.partials.base[l] = base
		if i == 0 {
			// Every language has the same files: one is enough to tell
			// which layer each comes from.
			r.partials.trust(r.Theme, append(slices.Collect(maps.Values(tpls)), base)...)
		}
	}
	return nil
}

// t translates key for lang, or says fallback when no file has the key.
func (r *renderer) t(lang, key, fallback string, args ...any) string {
	s, err := r.tr[lang].T(key, args...)
	if err != nil {
		return fallback
	}
	return s
}

// rel is a site path in lang: under the language's prefix.
func (r *renderer) rel(lang, p string) string {
	return r.prefix[lang] + p
}

// lang is the language of the site being rendered.
func (r *renderer) lang() string {
	return cmp.Or(r.Site.Lang, r.Site.Config.Language)
}

// own reports whether a text in lang has its page in the language being
// rendered. A text without a translation is shown in lists of the other
// languages, linking to its page in its own language.
func (r *renderer) own(lang string) bool {
	return lang == "" || lang == r.lang()
}

// MenuItem is a link of the main menu.
type MenuItem struct {
	Name, URL string
	// Lang is the language of Name when it is not the page's: a page
	// without a translation keeps its own title.
	Lang string
}

func (r *renderer) menuItems() []MenuItem {
	if l, ok := r.Site.Config.LanguageOf(r.lang()); ok && len(l.Menu) > 0 {
		out := make([]MenuItem, len(l.Menu))
		for i, m := range l.Menu {
			out[i] = MenuItem{Name: m.Name, URL: m.URL}
		}
		return out
	}
	var out []MenuItem
	for _, p := range r.Site.Menu {
		it := MenuItem{Name: p.Source.Title, URL: p.URL}
		if !r.own(p.Source.Lang) {
			it.Lang = p.Source.Lang
		}
		out = append(out, it)
	}
	return out
}

// Alternate is a page in one language.
type Alternate struct {
	Lang string
	URL  string
	// Name is the language's name in the language itself: "Suomi".
	Name string
	// Current marks the page's own language.
	Current bool
	// Home is true when the page has no translation into Lang and URL is
	// that language's home.
	Home bool
}

// alternates indexes every queued page by its path without the language
// prefix: the same path in two languages is the same page translated.
func (r *renderer) alternates() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, q := range r.queue {
		key := strings.TrimPrefix(q.page.URL, r.prefix[q.page.Lang])
		if out[key] == nil {
			out[key] = map[string]string{}
		}
		out[key][q.page.Lang] = q.page.URL
	}
	return out
}

// translations sets p's links to its other languages.
func (r *renderer) translations(p *Page, alts map[string]map[string]string) {
	if len(r.Sites) < 2 {
		return
	}
	found := alts[strings.TrimPrefix(p.URL, r.prefix[p.Lang])]
	for _, s := range r.Sites {
		l := s.Lang
		a := Alternate{Lang: l, Name: r.t(l, "language_name", l), Current: l == p.Lang}
		if u, ok := found[l]; ok {
			a.URL = u
			p.Translations = append(p.Translations, a)
			if l == r.Sites[0].Lang {
				p.XDefault = u
			}
		} else {
			a.URL, a.Home = r.rel(l, "/"), true
		}
		p.Languages = append(p.Languages, a)
	}
}

// jsStrings is the JSON a script reads its words from: each key's text in
// the page's language, or its plural forms by CLDR name for the script to
// choose with Intl.PluralRules.
func jsStrings(tr *i18n.Translator, keys ...string) (string, error) {
	m := map[string]any{}
	for _, k := range keys {
		forms := tr.Forms(k)
		if forms == nil {
			return "", fmt.Errorf("jsStrings: no translation string %q", k)
		}
		if len(forms) == 1 {
			m[k] = forms["other"]
		} else {
			m[k] = forms
		}
	}
	b, err := json.Marshal(m)
	return string(b), err
}

// fieldLang is the language a field of a translated text is written in,
// when the translation left it to the default file; "" when it is in the
// text's own language.
func fieldLang(v any, field string) string {
	var inherited map[string]bool
	var lang string
	switch x := v.(type) {
	case *content.Story:
		inherited, lang = x.Inherited, x.DefaultLang
	case *content.Ambassador:
		inherited, lang = x.Inherited, x.DefaultLang
	case *content.Contest:
		inherited, lang = x.Inherited, x.DefaultLang
	case *content.Page:
		inherited, lang = x.Inherited, x.DefaultLang
	}
	if inherited[field] {
		return lang
	}
	return ""
}
