package vote

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// SubmissionsPath is where the function takes submissions: beside Path,
// under the same prefix.
const SubmissionsPath = "/api/submissions"

// FormPath answers a plain form post that failed: the site's form page,
// filled with what was typed and every message (see the submission package).
const FormPath = SubmissionsPath + "/form"

// The upload caps of the deployments, used when max_request_bytes is 0.
const (
	// ServerlessMaxRequest is what Lambda and Netlify accept in one request
	// (about 6 MB base64-encoded, so a little over 4 MB of body).
	ServerlessMaxRequest = 4 << 20
	// ServerMaxRequest is the cap of `votes serve` and `postcard serve`.
	ServerMaxRequest = 25 << 20
)

// Submissions is the manifest's description of the submission form: what
// the function accepts, for which contests, with which consent. A site
// without [submissions] enabled has none, and the function refuses every
// submission.
type Submissions struct {
	Enabled bool `json:"enabled"`

	MaxPhotos int `json:"max_photos"`
	// MaxSide is the longest side, in pixels, the form's script resizes
	// photos to before upload.
	MaxSide int `json:"max_side"`
	// MaxRequestBytes caps a request body; 0 is the deployment's default
	// (ServerlessMaxRequest or ServerMaxRequest).
	MaxRequestBytes int64 `json:"max_request_bytes"`
	// MaxPixels and MaxBytes are the site's image budgets (images.max_pixels
	// and images.max_bytes): a photo over either is refused before a pixel
	// of it is decoded.
	MaxPixels int64 `json:"max_pixels"`
	MaxBytes  int64 `json:"max_bytes"`
	// NetworkQuota is how many script posts one network (IPv4 /24, IPv6
	// /56) may send in one UTC day; FormQuota the same for plain form
	// posts, which bring no proof of work. 0 means no quota.
	NetworkQuota int `json:"network_quota"`
	FormQuota    int `json:"form_quota"`
	// Challenge is the proof-of-work difficulty, in bits, of a script post
	// that enters no contest (a contest's own challenge applies to its
	// entries); 0 means none.
	Challenge int `json:"challenge"`

	Kinds []string `json:"kinds"`
	// Licences are the licences a contributor may choose: SPDX ids and the
	// site's own licence names.
	Licences []string `json:"licences"`
	// OwnLicences are the site's own licence names (site.toml's licenses).
	OwnLicences []string `json:"own_licences"`
	// VideoProviders are the providers a video story's URL may name.
	VideoProviders []string `json:"video_providers"`

	Contests []SubmissionContest `json:"contests"`

	// ConsentVersion is the version of the consent text; a post must carry
	// exactly it. Consent holds the text in each of the site's languages.
	ConsentVersion string            `json:"consent_version"`
	Consent        map[string]string `json:"consent"`

	Languages []string `json:"languages"`
	// FormURLs and ThanksURLs are, per language, the absolute URLs of the
	// form page and the thank-you page.
	FormURLs   map[string]string `json:"form_urls"`
	ThanksURLs map[string]string `json:"thanks_urls"`
	// FormPages holds, per language, the rendered HTML of the form page,
	// which the function fills in to answer a failed plain form post.
	FormPages map[string]string `json:"form_pages,omitempty"`

	// Messages are the error messages per language and code, over the
	// function's English ones (see the submission package).
	Messages map[string]map[string]string `json:"messages,omitempty"`
}

// SubmissionContest is a contest as the submission endpoint needs it.
type SubmissionContest struct {
	Slug       string   `json:"slug"`
	Title      string   `json:"title"`
	Categories []string `json:"categories"`
	// Opens is the first instant entries are accepted, Closes the first
	// instant they are not any more.
	Opens     time.Time `json:"opens"`
	Closes    time.Time `json:"closes"`
	Challenge int       `json:"challenge"`
}

// Open reports whether the contest takes entries at t.
func (c *SubmissionContest) Open(t time.Time) bool {
	return !t.Before(c.Opens) && t.Before(c.Closes)
}

// Contest returns the contest with the slug, or nil.
func (s *Submissions) Contest(slug string) *SubmissionContest {
	for i := range s.Contests {
		if s.Contests[i].Slug == slug {
			return &s.Contests[i]
		}
	}
	return nil
}

// validate reports the section's problems.
func (s *Submissions) validate(bad func(format string, args ...any)) {
	if !s.Enabled {
		return
	}
	if s.MaxPhotos < 1 || s.MaxPhotos > 20 {
		bad("submissions: max_photos is %d, want 1 to 20", s.MaxPhotos)
	}
	if s.MaxRequestBytes < 0 {
		bad("submissions: max_request_bytes is negative")
	}
	if s.MaxPixels < 1 || s.MaxBytes < 1 {
		bad("submissions: max_pixels and max_bytes are required")
	}
	if s.NetworkQuota < 0 || s.FormQuota < 0 {
		bad("submissions: quotas must not be negative")
	}
	if s.Challenge < 0 || s.Challenge > MaxChallenge {
		bad("submissions: challenge is %d, want 0 to %d", s.Challenge, MaxChallenge)
	}
	if s.ConsentVersion == "" {
		bad("submissions: consent_version is required")
	}
	if len(s.Languages) == 0 {
		bad("submissions: languages is empty")
	}
	for _, l := range s.Languages {
		if strings.TrimSpace(s.Consent[l]) == "" {
			bad("submissions: no consent text in %q", l)
		}
		for what, urls := range map[string]map[string]string{"form_urls": s.FormURLs, "thanks_urls": s.ThanksURLs} {
			u, err := url.Parse(urls[l])
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				bad("submissions: %s[%q] %q is not an absolute URL", what, l, urls[l])
			}
		}
	}
	seen := map[string]bool{}
	for i, c := range s.Contests {
		where := fmt.Sprintf("submissions: contests[%d]", i)
		if !validSlug(c.Slug) || seen[c.Slug] {
			bad("%s: slug %q is not a slug or is listed twice", where, c.Slug)
		}
		seen[c.Slug] = true
		if c.Opens.IsZero() || !c.Opens.Before(c.Closes) {
			bad("%s: opens must be before closes", where)
		}
		if c.Challenge < 0 || c.Challenge > MaxChallenge {
			bad("%s: challenge is %d, want 0 to %d", where, c.Challenge, MaxChallenge)
		}
	}
}

// SetSubmissions validates s and makes it the manifest's submissions
// section.
func (m *Manifest) SetSubmissions(s *Submissions) error {
	var errs []error
	s.validate(func(format string, args ...any) { errs = append(errs, fmt.Errorf("manifest: "+format, args...)) })
	if err := errors.Join(errs...); err != nil {
		return err
	}
	m.Submissions = s
	return nil
}
