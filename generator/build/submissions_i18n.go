package build

import (
	"cmp"
	"strings"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/generator/config"
	"github.com/postcard-ssg/postcard/generator/i18n"
)

// langFolder is the output folder of language l, "" or "fi/".
func langFolder(cfg *config.Config, l string) string {
	if lang, ok := cfg.LanguageOf(l); ok && strings.Trim(lang.Prefix, "/") != "" {
		return strings.Trim(lang.Prefix, "/") + "/"
	}
	return ""
}

// formPages are the output names of every language's rendered form page.
func formPages(cfg *config.Config) []string {
	var names []string
	for _, l := range cfg.LanguageCodes() {
		names = append(names, langFolder(cfg, l)+submitPage+"index.html")
	}
	return names
}

// submissionCodes are the submission function's error codes whose
// messages the theme translates, as submit_error_<code> keys.
var submissionCodes = []string{
	"required", "too_long", "invalid", "unknown_field", "twice", "not_allowed", "no_images",
	"unknown", "closed", "category", "no_contest", "video_provider", "video_kind", "email",
	"licence", "consent", "consent_old", "photo_required", "not_image", "too_big",
	"too_many_photos", "no_photo", "request_too_large", "quota", "challenge", "expired", "internal",
}

// submissionLanguages gives the manifest's submissions section every
// language of the site: the form and thank-you pages under the language's
// prefix, the rendered form page (for the function to fill in after a
// failed plain post), the consent text (the default language's when a
// language has none, as its form shows), and the error messages from the
// translation strings (the theme's, reworded by the site's own i18n
// files), so that a contributor reads the function's refusals in the
// form's language. A code no file translates keeps the function's English.
func submissionLanguages(m *vote.Manifest, cfg *config.Config, words *i18n.Catalog, files *keptPages) error {
	sub := m.Submissions
	if sub == nil || !sub.Enabled {
		return nil
	}
	langs := cfg.LanguageCodes()
	sub.Languages = langs
	for _, l := range langs {
		prefix := langFolder(cfg, l)
		sub.Consent[l] = cmp.Or(cfg.Submissions.Consent[l], cfg.Submissions.Consent[cfg.Language])
		sub.FormURLs[l] = cfg.BaseURL.JoinPath(prefix + submitPage).String()
		sub.ThanksURLs[l] = cfg.BaseURL.JoinPath(prefix + thanksPage).String()
		if page, ok := files.Get(prefix + submitPage + "index.html"); ok {
			sub.FormPages[l] = string(page)
		}
	}
	if words != nil {
		msgs := map[string]map[string]string{}
		for _, lang := range langs {
			tr := words.Translator(lang)
			for _, code := range submissionCodes {
				s, err := tr.T("submit_error_" + code)
				if !tr.Has("submit_error_"+code) || err != nil || s == "" {
					continue
				}
				if msgs[lang] == nil {
					msgs[lang] = map[string]string{}
				}
				msgs[lang][code] = s
			}
		}
		if len(msgs) > 0 {
			sub.Messages = msgs
		}
	}
	return m.SetSubmissions(sub)
}
