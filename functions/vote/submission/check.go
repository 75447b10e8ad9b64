package submission

import (
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/images"
	"github.com/postcard-ssg/postcard/generator/markdown"
)

// The lengths of the text fields, in runes (body: bytes).
const (
	maxTitle   = 120
	maxName    = 80
	maxPlace   = 80
	maxAlt     = 300
	maxCaption = 300
	maxEmail   = 254
)

// accepted are the photo formats a submission may carry.
var accepted = []string{"jpeg", "png", "webp", "heic"}

// check applies the rules `postcard check` applies to a story to a post,
// and returns the submission or every field's problem.
func (h *Handler) check(p *post, now time.Time) (vote.Submission, []FieldError) {
	var errs []FieldError
	add := func(field, code string, args ...any) {
		errs = append(errs, FieldError{Field: field, Code: code, Message: h.message(p.lang, code, args...)})
	}
	for _, name := range p.unknown {
		add(name, "unknown_field")
	}
	for _, name := range p.twice {
		add(name, "twice")
	}
	v := p.values
	text := func(name string, required bool, maxRunes int) string {
		s := strings.TrimSpace(v[name])
		switch {
		case p.tooLong[name] || utf8.RuneCountInString(s) > maxRunes:
			add(name, "too_long", maxRunes)
		case !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl):
			add(name, "invalid")
		case required && s == "":
			add(name, "required")
		default:
			return s
		}
		return ""
	}
	sub := vote.Submission{Lang: p.lang, Status: vote.SubmissionNew}
	if v["lang"] != "" && v["lang"] != p.lang {
		add("lang", "invalid")
	}
	sub.Kind = text("kind", true, 16)
	kind, kindOK := content.KindOf(sub.Kind)
	if sub.Kind != "" && (!kindOK || !slices.Contains(h.sub.Kinds, sub.Kind)) {
		add("kind", "unknown")
	}
	sub.Title = text("title", true, maxTitle)
	sub.Body = h.body(p, kind, add)
	sub.Place = text("place", false, maxPlace)
	sub.Name = text("name", true, maxName)

	sub.Contest = text("contest", false, 128)
	sub.Category = text("category", false, 128)
	if sub.Contest != "" {
		if c := h.sub.Contest(sub.Contest); c == nil {
			add("contest", "unknown")
		} else if sub.Category == "" {
			add("category", "required")
		} else if !slices.Contains(c.Categories, sub.Category) {
			add("category", "category")
		}
	} else if sub.Category != "" {
		add("category", "no_contest")
	}

	sub.Video = text("video", kindOK && kind.Video, 2000)
	if sub.Video != "" {
		if provider, _ := content.ParseVideoURL(sub.Video); provider == "" || !slices.Contains(h.sub.VideoProviders, provider) {
			add("video", "video_provider")
		} else if kindOK && !kind.Video {
			add("video", "video_kind")
		}
	}

	if e := text("email", false, maxEmail); e != "" {
		a, err := mail.ParseAddress(e)
		if err != nil || a.Address != e || a.Name != "" {
			add("email", "email")
		} else {
			sub.Email = e
		}
	}

	sub.License = text("license", true, 128)
	if sub.License != "" && (!slices.Contains(h.sub.Licences, sub.License) || !content.LicenceKnown(sub.License, h.sub.OwnLicences)) {
		add("license", "licence")
	}

	consent := strings.TrimSpace(v["consent"])
	switch {
	case consent == "":
		add("consent", "consent")
	case consent != h.sub.ConsentVersion:
		add("consent", "consent_old")
	default:
		sub.Consent = consent
	}

	sub.Media = h.photos(p, add)
	if kindOK && kind.NeedsPicture && len(sub.Media) == 0 && len(p.tooBig) == 0 && !hasPhotoError(errs) {
		add("photo_1", "photo_required")
	}
	sort.SliceStable(errs, func(i, j int) bool { return fieldOrder(errs[i].Field) < fieldOrder(errs[j].Field) })
	return sub, errs
}

func hasPhotoError(errs []FieldError) bool {
	for _, e := range errs {
		// A photo refused for its file or for its alt text or caption was
		// sent: its own message says what to fix, not "add a photo".
		if strings.HasPrefix(e.Field, "photo_") || strings.HasPrefix(e.Field, "alt_") || strings.HasPrefix(e.Field, "caption_") {
			return true
		}
	}
	return false
}

// order is the form's order of fields, for the list of errors.
var order = []string{"lang", "kind", "title", "body", "photo", "alt", "caption", "video", "place", "contest", "category", "name", "email", "license", "consent"}

func fieldOrder(field string) int {
	base, num, _ := strings.Cut(field, "_")
	i := slices.Index(order, base)
	if i < 0 {
		i = len(order)
	}
	n := 0
	fmt.Sscan(num, &n)
	if base == "photo" || base == "alt" || base == "caption" {
		return slices.Index(order, "photo")*1000 + n*10 + slices.Index(order, base)
	}
	return i * 1000
}

// body checks the Markdown text: its size, no raw HTML, no image (photos
// come as uploads), no link outside Markdown's URL allowlist, nesting
// within bounds.
func (h *Handler) body(p *post, kind content.Kind, add func(string, string, ...any)) string {
	s := strings.TrimSpace(strings.ReplaceAll(p.values["body"], "\r\n", "\n"))
	switch {
	case p.tooLong["body"] || len(s) > maxBody:
		add("body", "too_long", maxBody)
		return ""
	case !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }):
		add("body", "invalid")
		return ""
	case s == "" && (kind.Slug == "story" || kind.Slug == "poem"):
		add("body", "required")
		return ""
	case s == "":
		return ""
	}
	doc := markdown.New().Parse([]byte(s))
	bad := len(doc.Problems) > 0
	for _, l := range doc.Links {
		if l.Kind == markdown.URLRefused {
			bad = true
		}
	}
	if bad || doc.RawHTML {
		add("body", "not_allowed")
		return ""
	}
	if len(doc.Images) > 0 {
		add("body", "no_images")
		return ""
	}
	return s
}

// photos checks each photo: its format told from its bytes, its pixel
// size from its header (a pixel bomb is refused without decoding), its
// alt text required, its caption optional.
func (h *Handler) photos(p *post, add func(string, string, ...any)) []vote.Media {
	var out []vote.Media
	for i := 1; i <= h.sub.MaxPhotos; i++ {
		field := fmt.Sprintf("photo_%d", i)
		alt := strings.TrimSpace(p.values[fmt.Sprintf("alt_%d", i)])
		caption := strings.TrimSpace(p.values[fmt.Sprintf("caption_%d", i)])
		data, has := p.photos[i]
		if p.tooBig[i] {
			add(field, "too_big")
			continue
		}
		if !has {
			if alt != "" || caption != "" {
				add(field, "no_photo")
			}
			continue
		}
		ok := true
		info, err := images.Probe(data, h.sub.MaxPixels)
		switch {
		case errors.Is(err, images.ErrPixelBudget):
			add(field, "too_big")
			ok = false
		case err != nil || !slices.Contains(accepted, info.Format):
			add(field, "not_image")
			ok = false
		}
		check := func(name, value string, max int, required bool) {
			switch {
			case p.tooLong[name] || utf8.RuneCountInString(value) > max:
				add(name, "too_long", max)
				ok = false
			case strings.ContainsFunc(value, unicode.IsControl) || !utf8.ValidString(value):
				add(name, "invalid")
				ok = false
			case required && value == "":
				add(name, "required")
				ok = false
			}
		}
		check(fmt.Sprintf("alt_%d", i), alt, maxAlt, true)
		check(fmt.Sprintf("caption_%d", i), caption, maxCaption, false)
		if ok {
			out = append(out, vote.Media{Index: i, Format: info.Format, Alt: alt, Caption: caption, Data: data})
		}
	}
	return out
}
