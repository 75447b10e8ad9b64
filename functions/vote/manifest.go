package vote

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// ManifestVersion is the manifest format builds write. ParseManifest also
// reads version 1, written before contests had network_quota and
// challenge: its contests get DefaultNetworkQuota and no challenge (the
// vote script of such a build does not solve one).
const ManifestVersion = 2

// DefaultNetworkQuota is a contest's network_quota when its front matter
// sets none: votes per network, per contest and per UTC day.
const DefaultNetworkQuota = 100

// DefaultChallenge is a contest's challenge when its front matter sets
// none: the proof-of-work difficulty in bits. 2^16 hashes on average take
// the theme's script a fraction of a second even on a slow phone (and a
// script in Go a few milliseconds: the quota, not the challenge, is what
// bounds a network; the challenge prices every new voter identity).
const DefaultChallenge = 16

// DistDir is the folder, in a site's own folder (never beside the static
// output, wherever --destination puts that), where the build writes the
// voting function: the manifest, the compiled binaries and the Netlify
// configuration. Every command that reads the manifest looks for it there.
const DistDir = "functions-dist"

// ManifestPath is where the build writes the manifest of the site in
// siteDir, and where `postcard votes serve`, `votes export` and the
// voting function's other readers find it.
func ManifestPath(siteDir string) string {
	return filepath.Join(siteDir, DistDir, "manifest.json")
}

// Manifest is the list of contests and published entries the build writes to
// ManifestPath (see docs/ARCHITECTURE.md). The function refuses every vote
// that is not for one of them without asking its store.
//
// A Manifest is built with NewManifest or read with ParseManifest, both of
// which validate it; it travels between the build's stages as this value,
// and is encoded (Encode) only where it leaves the process.
type Manifest struct {
	Version  int       `json:"version"`
	Site     string    `json:"site"` // the origin votes must come from
	Contests []Contest `json:"contests"`

	// Submissions describes the submission form; nil when the site takes
	// no submissions.
	Submissions *Submissions `json:"submissions,omitempty"`

	contests map[string]*Contest
}

// Contest is one contest as the voting function needs it.
type Contest struct {
	Slug       string   `json:"slug"`
	Title      string   `json:"title"`
	Categories []string `json:"categories"`

	// VotingOpens is the first instant votes are accepted; VotingCloses the
	// first instant they are not any more (exclusive).
	VotingOpens  time.Time `json:"voting_opens"`
	VotingCloses time.Time `json:"voting_closes"`

	VotesPerVoter int  `json:"votes_per_voter"` // per voter, per contest
	ShowCounts    bool `json:"show_counts"`     // live counts are public

	// NetworkQuota is how many votes one network (an IPv4 /24 or an IPv6
	// /56) may give the contest in one UTC day; 0 means no quota.
	NetworkQuota int `json:"network_quota"`

	// Challenge is the proof-of-work difficulty, in bits, a new voter's
	// vote must bring (see ProofHeader); 0 means none.
	Challenge int `json:"challenge"`

	Entries []Entry `json:"entries"`

	entries map[string]*Entry
}

// Entry is one published story taking part in a contest.
type Entry struct {
	Slug     string `json:"slug"`
	Title    string `json:"title"`
	Category string `json:"category"`
}

// NewManifest returns a manifest in the current version for the site's
// origin and contests, validated as ParseManifest validates one it reads,
// so that a build finds out now, not at deploy, that its function would
// refuse it. The manifest keeps contests; the caller must not change them
// afterwards.
func NewManifest(site string, contests []Contest) (*Manifest, error) {
	if contests == nil {
		contests = []Contest{}
	}
	for i := range contests {
		if contests[i].Entries == nil {
			contests[i].Entries = []Entry{}
		}
	}
	m := &Manifest{Version: ManifestVersion, Site: site, Contests: contests}
	if err := m.validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// Encode returns the manifest as the JSON file the build writes and the
// function reads back with ParseManifest: indented, ending in a newline.
func (m *Manifest) Encode() ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	return append(b, '\n'), nil
}

// ParseManifest decodes and validates a manifest. Decoding is strict: unknown
// fields and trailing data are errors. Validation reports every problem it
// finds, joined, not only the first.
func ParseManifest(data []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("manifest: trailing data after the JSON object")
	}
	if m.Version == 2 {
		if err := requireFields(data, "network_quota", "challenge"); err != nil {
			return nil, err
		}
	}
	if m.Version == 1 {
		for i := range m.Contests {
			m.Contests[i].NetworkQuota = DefaultNetworkQuota
			m.Contests[i].Challenge = 0
		}
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// requireFields checks that every contest of a manifest states the fields:
// in version 2 a missing network_quota must not quietly mean "no quota".
func requireFields(data []byte, names ...string) error {
	var raw struct {
		Contests []map[string]json.RawMessage `json:"contests"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	var errs []error
	for i, c := range raw.Contests {
		for _, n := range names {
			if _, ok := c[n]; !ok {
				errs = append(errs, fmt.Errorf("manifest: contests[%d]: %s is required in version 2", i, n))
			}
		}
	}
	return errors.Join(errs...)
}

func (m *Manifest) validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("manifest: "+format, args...))
	}
	if m.Version != 1 && m.Version != ManifestVersion {
		bad("version %d, want 1 or %d", m.Version, ManifestVersion)
	}
	if _, err := Origin(m.Site); err != nil {
		bad("site: %v", err)
	}
	if m.Submissions != nil {
		m.Submissions.validate(bad)
	}
	m.contests = make(map[string]*Contest, len(m.Contests))
	for i := range m.Contests {
		c := &m.Contests[i]
		where := fmt.Sprintf("contests[%d]", i)
		if !validSlug(c.Slug) {
			bad("%s: slug %q is not a slug (a-z, 0-9, -)", where, c.Slug)
		} else if _, dup := m.contests[c.Slug]; dup {
			bad("%s: contest %q listed twice", where, c.Slug)
		} else {
			m.contests[c.Slug] = c
			where = fmt.Sprintf("contest %q", c.Slug)
		}
		if c.VotingOpens.IsZero() || c.VotingCloses.IsZero() {
			bad("%s: voting_opens and voting_closes are required", where)
		} else if !c.VotingOpens.Before(c.VotingCloses) {
			bad("%s: voting_opens %s is not before voting_closes %s", where,
				c.VotingOpens.Format(time.RFC3339), c.VotingCloses.Format(time.RFC3339))
		}
		if c.VotesPerVoter < 1 {
			bad("%s: votes_per_voter is %d, want at least 1", where, c.VotesPerVoter)
		}
		if c.NetworkQuota < 0 {
			bad("%s: network_quota is %d, want 0 (no quota) or more", where, c.NetworkQuota)
		}
		if c.Challenge < 0 || c.Challenge > MaxChallenge {
			bad("%s: challenge is %d, want 0 (none) to %d bits", where, c.Challenge, MaxChallenge)
		}
		cats := make(map[string]bool, len(c.Categories))
		for _, cat := range c.Categories {
			if cat == "" || cats[cat] {
				bad("%s: category %q is empty or listed twice", where, cat)
			}
			cats[cat] = true
		}
		c.entries = make(map[string]*Entry, len(c.Entries))
		for j := range c.Entries {
			e := &c.Entries[j]
			switch {
			case !validSlug(e.Slug):
				bad("%s: entries[%d]: slug %q is not a slug (a-z, 0-9, -)", where, j, e.Slug)
			case c.entries[e.Slug] != nil:
				bad("%s: entry %q listed twice", where, e.Slug)
			default:
				c.entries[e.Slug] = e
			}
			if len(cats) > 0 && !cats[e.Category] {
				bad("%s: entry %q: category %q is not one of the contest's", where, e.Slug, e.Category)
			}
		}
	}
	return errors.Join(errs...)
}

// Contest returns the contest with the slug, or nil.
func (m *Manifest) Contest(slug string) *Contest { return m.contests[slug] }

// Entry returns the entry with the slug, or nil.
func (c *Contest) Entry(slug string) *Entry { return c.entries[slug] }

// Open reports whether voting is open at t: VotingOpens <= t < VotingCloses.
func (c *Contest) Open(t time.Time) bool {
	return !t.Before(c.VotingOpens) && t.Before(c.VotingCloses)
}

// Origin checks that s is a bare origin (scheme, host and optional port, no
// path, query or user) and returns it in the form browsers send in Origin.
func Origin(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", err
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("%q: scheme must be http or https", s)
	case u.Host == "" || u.User != nil || u.Opaque != "":
		return "", fmt.Errorf("%q: not an origin", s)
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "":
		return "", fmt.Errorf("%q: an origin has no path, query or fragment", s)
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), nil
}

// validSlug reports whether s is a slug as content/ names folders: lower-case
// ASCII letters, digits and inner hyphens, at most 128 bytes.
func validSlug(s string) bool {
	if s == "" || len(s) > 128 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
