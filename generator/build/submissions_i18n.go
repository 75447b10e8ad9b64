package build

import (
	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/generator/i18n"
)

// submissionCodes are the submission function's error codes whose
// messages the theme translates, as submit_error_<code> keys.
var submissionCodes = []string{
	"required", "too_long", "invalid", "unknown_field", "twice", "not_allowed", "no_images",
	"unknown", "closed", "category", "no_contest", "video_provider", "video_kind", "email",
	"licence", "consent", "consent_old", "photo_required", "not_image", "too_big",
	"too_many_photos", "no_photo", "request_too_large", "quota", "challenge", "expired", "internal",
}

// submissionMessages gives the manifest's submissions section the error
// messages of every site language from the translation strings (the
// theme's, reworded by the site's own i18n files), so that a contributor
// reads the function's refusals in the form's language. A code no file
// translates keeps the function's English.
func submissionMessages(m *vote.Manifest, words *i18n.Catalog, langs []string) {
	if m.Submissions == nil || words == nil {
		return
	}
	msgs := map[string]map[string]string{}
	for _, lang := range langs {
		tr := words.Translator(lang)
		for _, code := range submissionCodes {
			key := "submit_error_" + code
			if !tr.Has(key) {
				continue
			}
			s, err := tr.T(key)
			if err != nil || s == "" {
				continue
			}
			if msgs[lang] == nil {
				msgs[lang] = map[string]string{}
			}
			msgs[lang][code] = s
		}
	}
	if len(msgs) > 0 {
		m.Submissions.Messages = msgs
	}
}
