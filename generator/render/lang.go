package render

import (
	"encoding/json"
	"fmt"
	"html/template"

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
	b, err := json.Marshal(m)
	return string(b), err
}

// languages loads the translation strings, unless given, and parses the
// layouts once per language, with that language's functions.
func (r *renderer) languages() error {
	cfg := r.Site.Config
	langs := cfg.LanguageCodes()
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
	for _, l := range langs {
		tpls, err := templates(r.Theme, r.funcs(l))
		if err != nil {
			return err
		}
		r.tpls[l] = tpls
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
	_ = lang
	return p
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
