package build

import (
	"bytes"
	"fmt"
	"slices"
	"sync"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/site"
)

// The submission form's pages, under the site's base URL.
const (
	submitPage = "submit/"
	thanksPage = "submit/thanks/"
)

// submissionLicences are the SPDX licences the form offers besides the
// site's own.
var submissionLicences = []string{"CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC0-1.0"}

// addSubmissions gives the manifest its submissions section when the site
// takes submissions: the limits of site.toml's [submissions], the kinds,
// licences and video providers a story may have, the contests with their
// submission windows, the consent, and the form's pages (the rendered form
// page, when the theme has one, for the function to fill in after a failed
// plain post).
func addSubmissions(m *vote.Manifest, s *site.Site, files *keptPages) error {
	cfg := s.Config
	sc := cfg.Submissions
	if !sc.Enabled {
		return nil
	}
	langs := []string{cfg.Language}
	sub := &vote.Submissions{
		Enabled:         true,
		MaxPhotos:       sc.MaxPhotos,
		MaxSide:         sc.MaxSide,
		MaxRequestBytes: sc.MaxRequestBytes,
		MaxPixels:       cfg.Images.MaxPixels,
		MaxBytes:        cfg.Images.MaxBytes,
		NetworkQuota:    sc.NetworkQuota,
		FormQuota:       sc.FormQuota,
		Challenge:       vote.DefaultChallenge,
		Kinds:           content.KindSlugs(),
		Licences:        slices.Concat(cfg.Licenses, submissionLicences),
		OwnLicences:     slices.Clone(cfg.Licenses),
		VideoProviders:  []string{"youtube", "vimeo"},
		Contests:        []vote.SubmissionContest{},
		ConsentVersion:  sc.ConsentVersion,
		Consent:         map[string]string{},
		Languages:       langs,
		FormURLs:        map[string]string{},
		ThanksURLs:      map[string]string{},
		FormPages:       map[string]string{},
	}
	for _, l := range langs {
		sub.Consent[l] = sc.Consent[l]
		sub.FormURLs[l] = cfg.BaseURL.JoinPath(submitPage).String()
		sub.ThanksURLs[l] = cfg.BaseURL.JoinPath(thanksPage).String()
		if page, ok := files.Get(submitPage + "index.html"); ok {
			sub.FormPages[l] = string(page)
		}
	}
	for _, c := range s.Contests {
		opens := c.Source.Opens
		sub.Contests = append(sub.Contests, vote.SubmissionContest{
			Slug:       c.Source.Slug,
			Title:      c.Source.Title,
			Categories: c.Source.Categories,
			Opens:      opens,
			Closes:     c.SubmissionEnd(),
			Challenge:  c.Source.Challenge,
		})
	}
	if err := m.SetSubmissions(sub); err != nil {
		return fmt.Errorf("the submissions section of the voting function's manifest: %w", err)
	}
	return nil
}

// keptPages passes files on to the build's sink and keeps a copy of the
// few it is asked for: the rendered form pages, which the manifest carries
// for the function to fill in, while every other page streams to disk.
type keptPages struct {
	sink
	mu   sync.Mutex
	want map[string]bool
	kept map[string][]byte
}

func keepPages(to sink, names ...string) *keptPages {
	k := &keptPages{sink: to, want: map[string]bool{}, kept: map[string][]byte{}}
	for _, n := range names {
		k.want[n] = true
	}
	return k
}

func (k *keptPages) WriteFile(name string, data []byte) error {
	if k.want[name] {
		k.mu.Lock()
		k.kept[name] = bytes.Clone(data)
		k.mu.Unlock()
	}
	return k.sink.WriteFile(name, data)
}

// Get returns a kept page.
func (k *keptPages) Get(name string) ([]byte, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	b, ok := k.kept[name]
	return b, ok
}
