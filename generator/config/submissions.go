package config

// The [submissions] table turns on the site's submission form and sets
// what the voting function accepts from it:
//
//	[submissions]
//	enabled = true
//	max_photos = 4            # photos per submission
//	max_side = 2048           # longest side the form's script resizes to
//	max_request_bytes = 0     # 0: the deployment's cap (4 MB serverless, 25 MB serve)
//	network_quota = 20        # script posts per network per UTC day
//	form_quota = 5            # plain form posts per network per UTC day
//
//	[submissions.consent]
//	version = "2026-06"       # required when enabled
//	en = "I agree that …"     # one text per site language

import (
	"sort"
	"strings"

	"github.com/postcard-ssg/postcard/generator/frontmatter"
)

// Submissions configures the submission form.
type Submissions struct {
	Enabled         bool
	MaxPhotos       int
	MaxSide         int
	MaxRequestBytes int64 // 0: the deployment's default
	NetworkQuota    int
	FormQuota       int
	ConsentVersion  string
	// Consent holds the consent text per language code.
	Consent map[string]string
}

// defaultSubmissions are the settings of a site without [submissions].
func defaultSubmissions() Submissions {
	return Submissions{MaxPhotos: 4, MaxSide: 2048, NetworkQuota: 20, FormQuota: 5, Consent: map[string]string{}}
}

// maxConsent bounds one consent text.
const maxConsent = 4000

// parseSubmissions reads the [submissions] table into c.Submissions.
func parseSubmissions(f *frontmatter.Fields, c *Config) {
	c.Submissions = defaultSubmissions()
	s := f.Table("submissions", false)
	if s == nil {
		return
	}
	sub := &c.Submissions
	sub.Enabled = s.Bool("enabled", false)
	sub.MaxPhotos = int(s.Int("max_photos", int64(sub.MaxPhotos), 1, 20))
	sub.MaxSide = int(s.Int("max_side", int64(sub.MaxSide), 320, 8192))
	sub.MaxRequestBytes = s.Int("max_request_bytes", 0, 0, 1<<30)
	sub.NetworkQuota = int(s.Int("network_quota", int64(sub.NetworkQuota), 0, 1_000_000))
	sub.FormQuota = int(s.Int("form_quota", int64(sub.FormQuota), 0, 1_000_000))
	if cs := s.Table("consent", sub.Enabled); cs != nil {
		sub.ConsentVersion = strings.TrimSpace(cs.String("version", sub.Enabled))
		if cs.Has("version") && sub.ConsentVersion == "" {
			cs.Errorf("version", "submissions.consent.version is empty: name the version of the consent text, such as \"2026-06\"")
		}
		var langs []string
		for _, k := range cs.Keys() {
			if k == "version" {
				continue
			}
			if !langRe.MatchString(k) {
				continue // Done reports it as unknown
			}
			text := strings.TrimSpace(cs.String(k, true))
			if text == "" {
				cs.Errorf(k, "submissions.consent.%s is empty: write the consent text the contributor agrees to", k)
			} else if len(text) > maxConsent {
				cs.Errorf(k, "submissions.consent.%s is longer than %d bytes", k, maxConsent)
			}
			sub.Consent[k] = text
			langs = append(langs, k)
		}
		sort.Strings(langs)
		if sub.Enabled && sub.Consent[c.Language] == "" && !cs.Has(c.Language) {
			cs.Errorf("version", "submissions.consent has no text in the site's language: add %s = \"…\" (the consent text contributors agree to)", c.Language)
		}
		cs.Done()
	}
	s.Misplaced(topLevelKeys())
	s.Done()
}
