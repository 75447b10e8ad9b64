package render

// The submission form's pages: /submit/, where a contributor sends a story
// to the voting function's submission endpoint, and /submit/thanks/, where
// the function sends them after it has stored it. Both exist only when
// site.toml's [submissions] is enabled, once per language. The form works
// as a plain multipart post; its script (js/submit.js) adds checks as the
// contributor types, previews, and resizes photos before upload.

import (
	"net/url"
	"path"
	"strings"

	"github.com/postcard-ssg/postcard/generator/site"
)

// SubmitForm is what the form's layout needs to know of the site's rules.
type SubmitForm struct {
	// Action is the URL of POST /api/submissions; Challenge the URL of the
	// proof-of-work challenge its script solves first.
	Action    string
	Challenge string
	// Form and Thanks are the paths of the form and the thank-you page in
	// the page's language.
	Form, Thanks string
	Kinds        []string
	// Photos numbers the photo fields, 1 to max_photos.
	Photos  []int
	MaxSide int
	// MaxBytes is one photo's byte budget, MaxRequest the request's cap the
	// script keeps uploads under.
	MaxBytes   int64
	MaxRequest int64
	Licences   []SubmitLicence
	// Contests are the contests whose submission window is open.
	Contests       []*site.Contest
	ConsentVersion string
	ConsentText    string
}

// SubmitLicence is a licence the form offers: its id, a link to its text
// and its short explanation in the page's language ("" when none).
type SubmitLicence struct {
	ID, URL, Note string
}

// submissionLicences are the SPDX licences the form offers after the
// site's own (the manifest's list, which the function checks against).
var submissionLicences = []string{"CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC0-1.0"}

// serverlessMaxRequest is the request cap the form keeps to when site.toml
// names none: what Lambda and Netlify accept, the smallest deployment's.
const serverlessMaxRequest = 4 << 20

// submitPages renders the form and thank-you pages of the language being
// rendered.
func (r *renderer) submitPages() error {
	cfg := r.Site.Config
	if !cfg.Submissions.Enabled {
		return nil
	}
	lang := r.lang()
	form := r.submitForm(lang)
	p := r.newPage("submit", r.t(lang, "submit_title", "Send a story"), r.t(lang, "submit_description", "", map[string]any{"site": cfg.Title}), form.Form)
	p.Submit = form
	if err := r.execute("submit.html", p, "", r.webPageLD); err != nil {
		return err
	}
	// The thank-you page is not one to find by search (nor in the sitemap).
	p = r.newPage("thanks", r.t(lang, "thanks_title", "Thank you"), "", form.Thanks)
	p.Submit, p.NoIndex = form, true
	return r.execute("thanks.html", p, "", r.webPageLD)
}

func (r *renderer) webPageLD(p *Page) {
	p.JSONLD = append(p.JSONLD, r.pageLD("WebPage", p))
}

func (r *renderer) submitForm(lang string) *SubmitForm {
	cfg := r.Site.Config
	sc := cfg.Submissions
	f := &SubmitForm{
		Action:         submissionsURL(cfg.Votes.Endpoint),
		Challenge:      strings.TrimSuffix(cfg.Votes.Endpoint, "/") + "/challenge",
		Form:           r.rel(lang, "/submit/"),
		Thanks:         r.rel(lang, "/submit/thanks/"),
		Kinds:          []string{"photo", "video", "story", "poem"},
		MaxSide:        sc.MaxSide,
		MaxBytes:       cfg.Images.MaxBytes,
		MaxRequest:     sc.MaxRequestBytes,
		ConsentVersion: sc.ConsentVersion,
		ConsentText:    sc.Consent[lang],
	}
	if f.MaxRequest == 0 {
		f.MaxRequest = serverlessMaxRequest
	}
	if f.ConsentText == "" {
		f.ConsentText = sc.Consent[r.Sites[0].Config.Language]
	}
	for i := 1; i <= sc.MaxPhotos; i++ {
		f.Photos = append(f.Photos, i)
	}
	for _, id := range cfg.Licenses {
		f.Licences = append(f.Licences, SubmitLicence{ID: id, URL: licenceURL(id), Note: r.t(lang, licenceNote(id), "")})
	}
	for _, id := range submissionLicences {
		f.Licences = append(f.Licences, SubmitLicence{ID: id, URL: licenceURL(id), Note: r.t(lang, licenceNote(id), "")})
	}
	for _, c := range r.Site.Contests {
		if takesEntries(c, r.Site) {
			f.Contests = append(f.Contests, c)
		}
	}
	return f
}

// takesEntries reports whether the contest's submission window is open at
// the build's time: the window the function checks, from opens to the end
// of closes.
func takesEntries(c *site.Contest, s *site.Site) bool {
	return !s.Now.Before(c.Source.Opens) && s.Now.Before(c.SubmissionEnd())
}

// enterURL is the form's address with the contest chosen, for the contest's
// "Enter this contest" link; "" when the site takes no submissions or the
// contest no entries.
func (r *renderer) enterURL(lang string, c *site.Contest) string {
	if c == nil || !r.Site.Config.Submissions.Enabled || !takesEntries(c, r.Site) {
		return ""
	}
	return r.rel(lang, "/submit/") + "?contest=" + url.QueryEscape(c.Source.Slug)
}

// licenceNote is the translation key explaining a licence in a sentence:
// "licence_cc_by_4_0" for CC-BY-4.0.
func licenceNote(id string) string {
	return "licence_" + strings.NewReplacer("-", "_", ".", "_", " ", "_").Replace(strings.ToLower(id))
}

// submissionsURL is the submission endpoint beside the vote endpoint:
// "/api/votes" gives "/api/submissions", and an absolute endpoint an
// absolute URL on the same host.
func submissionsURL(votes string) string {
	u, err := url.Parse(votes)
	if err != nil {
		return "/api/submissions"
	}
	u.Path = path.Join(path.Dir(strings.TrimSuffix(u.Path, "/")), "submissions")
	return u.String()
}
