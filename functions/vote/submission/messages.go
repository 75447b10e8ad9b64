package submission

import (
	"fmt"
	"strings"
)

// English holds the function's own messages, by code; the manifest's
// Messages give other languages (and may reword English), code by code.
var english = map[string]string{
	"required":          "This field is required.",
	"too_long":          "This is too long: at most %d.",
	"invalid":           "This value is not valid.",
	"unknown_field":     "The form sent a field the site does not know.",
	"twice":             "This field was sent twice.",
	"not_allowed":       "Remove the raw HTML or the link whose address is not allowed (use http, https or mailto).",
	"no_images":         "Add photos with the photo fields, not inside the text.",
	"unknown":           "There is no such choice.",
	"closed":            "This contest does not take entries now.",
	"category":          "Choose one of the contest's categories.",
	"no_contest":        "A category needs a contest.",
	"video_provider":    "Use a YouTube or Vimeo address.",
	"video_kind":        "A video address is only for a video story.",
	"email":             "This is not an e-mail address.",
	"licence":           "Choose one of the licences offered.",
	"consent":           "Please agree to the terms to send your story.",
	"consent_old":       "The terms have changed since the page was loaded: reload the page and agree again.",
	"photo_required":    "A photo story needs at least one photo.",
	"not_image":         "This file is not a photo the site accepts (JPEG, PNG, WebP or HEIC).",
	"too_big":           "This photo is too large.",
	"too_many_photos":   "Too many photos.",
	"no_photo":          "There is no photo for this text.",
	"request_too_large": "The photos are too large together; send smaller or fewer photos.",
	"quota":             "Too many stories from your network today; try again tomorrow.",
	"challenge":         "The anti-robot check failed; try again.",
	"expired":           "The form has expired; fill it in again.",
	"internal":          "Something went wrong on our side; try again later.",
}

// message returns the message of code in lang, falling back on English.
func (h *Handler) message(lang, code string, args ...any) string {
	msg := ""
	if m := h.sub.Messages[lang]; m != nil {
		msg = m[code]
	}
	if msg == "" {
		if m := h.sub.Messages["en"]; m != nil {
			msg = m[code]
		}
	}
	if msg == "" {
		msg = english[code]
	}
	if msg == "" {
		msg = english["invalid"]
	}
	if len(args) > 0 && strings.Contains(msg, "%") {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}
