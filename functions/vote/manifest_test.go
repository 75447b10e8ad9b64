package vote_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
)

func TestParseManifest(t *testing.T) {
	m, err := vote.ParseManifest([]byte(testManifest))
	if err != nil {
		t.Fatal(err)
	}
	c := m.Contest("autumn-light-2026")
	if c == nil || c.Entry("fog") == nil || c.Entry("thaw") != nil || m.Contest("nope") != nil {
		t.Fatal("lookups")
	}
	opens := time.Date(2026, 10, 31, 22, 0, 0, 0, time.UTC)
	if !c.Open(opens) || c.Open(opens.Add(-time.Nanosecond)) || c.Open(c.VotingCloses) {
		t.Fatal("window")
	}
}

// TestManifestVersions: version 1, written before the network quota and
// the challenge, is still read, with the default quota and no challenge
// (its vote script solves none); version 2 states both.
func TestManifestVersions(t *testing.T) {
	c := `"slug": "c", "title": "C", "categories": [], "voting_opens": "2026-11-01T00:00:00Z", "voting_closes": "2026-12-01T00:00:00Z", "votes_per_voter": 1, "show_counts": true, "entries": []`
	m, err := vote.ParseManifest([]byte(`{"version": 1, "site": "https://a.example", "contests": [{` + c + `}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Contest("c"); got.NetworkQuota != vote.DefaultNetworkQuota || got.Challenge != 0 {
		t.Errorf("version 1: quota %d, challenge %d", got.NetworkQuota, got.Challenge)
	}
	m, err = vote.ParseManifest([]byte(`{"version": 2, "site": "https://a.example", "contests": [{` + c + `, "network_quota": 0, "challenge": 20}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Contest("c"); got.NetworkQuota != 0 || got.Challenge != 20 {
		t.Errorf("version 2: quota %d, challenge %d", got.NetworkQuota, got.Challenge)
	}
}

func TestParseManifestErrors(t *testing.T) {
	good := `"slug": "c", "title": "C", "categories": ["x"], "voting_opens": "2026-11-01T00:00:00Z", "voting_closes": "2026-12-01T00:00:00Z", "votes_per_voter": 1, "show_counts": true`
	for name, tt := range map[string]struct{ json, want string }{
		"unknown field":   {`{"version": 1, "site": "https://a.example", "contests": [], "extra": 1}`, "unknown field"},
		"trailing":        {`{"version": 1, "site": "https://a.example", "contests": []} {}`, "trailing"},
		"version":         {`{"version": 3, "site": "https://a.example", "contests": []}`, "version 3"},
		"no quota":        {`{"version": 2, "site": "https://a.example", "contests": [{` + good + `, "challenge": 0, "entries": []}]}`, "network_quota is required"},
		"no challenge":    {`{"version": 2, "site": "https://a.example", "contests": [{` + good + `, "network_quota": 0, "entries": []}]}`, "challenge is required"},
		"negative quota":  {`{"version": 2, "site": "https://a.example", "contests": [{` + good + `, "network_quota": -1, "challenge": 0, "entries": []}]}`, "network_quota is -1"},
		"hard challenge":  {`{"version": 2, "site": "https://a.example", "contests": [{` + good + `, "network_quota": 0, "challenge": 29, "entries": []}]}`, "challenge is 29"},
		"site path":       {`{"version": 1, "site": "https://a.example/x", "contests": []}`, "site"},
		"site scheme":     {`{"version": 1, "site": "ftp://a.example", "contests": []}`, "site"},
		"window":          {`{"version": 1, "site": "https://a.example", "contests": [{"slug": "c", "title": "", "categories": [], "voting_opens": "2026-12-01T00:00:00Z", "voting_closes": "2026-11-01T00:00:00Z", "votes_per_voter": 1, "show_counts": true, "entries": []}]}`, "not before"},
		"votes per voter": {`{"version": 1, "site": "https://a.example", "contests": [{"slug": "c", "title": "", "categories": [], "voting_opens": "2026-11-01T00:00:00Z", "voting_closes": "2026-12-01T00:00:00Z", "votes_per_voter": 0, "show_counts": true, "entries": []}]}`, "votes_per_voter"},
		"duplicate entry": {`{"version": 1, "site": "https://a.example", "contests": [{` + good + `, "entries": [{"slug": "e", "title": "", "category": "x"}, {"slug": "e", "title": "", "category": "x"}]}]}`, "listed twice"},
		"category":        {`{"version": 1, "site": "https://a.example", "contests": [{` + good + `, "entries": [{"slug": "e", "title": "", "category": "y"}]}]}`, "category \"y\""},
		"bad slug":        {`{"version": 1, "site": "https://a.example", "contests": [{` + good + `, "entries": [{"slug": "E e", "title": "", "category": "x"}]}]}`, "not a slug"},
		"entry field":     {`{"version": 1, "site": "https://a.example", "contests": [{` + good + `, "entries": [{"slug": "e", "title": "", "category": "x", "votes": 9}]}]}`, "unknown field"},
	} {
		_, err := vote.ParseManifest([]byte(tt.json))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to mention %q", name, err, tt.want)
		}
	}
	// Every problem is reported, not only the first.
	_, err := vote.ParseManifest([]byte(`{"version": 3, "site": "nope", "contests": []}`))
	if err == nil || !strings.Contains(err.Error(), "version") || !strings.Contains(err.Error(), "site") {
		t.Errorf("want both problems, got %v", err)
	}
}

// TestNewManifestEncodes: a manifest built in Go is validated like one
// read from a file, and what Encode writes ParseManifest reads back the same.
func TestNewManifestEncodes(t *testing.T) {
	opens := time.Date(2026, 11, 1, 0, 0, 0, 0, time.FixedZone("EET", 2*3600))
	m, err := vote.NewManifest("https://a.example", []vote.Contest{{
		Slug: "c", Title: "C", Categories: []string{"x"},
		VotingOpens: opens, VotingCloses: opens.AddDate(0, 1, 0),
		VotesPerVoter: 2, ShowCounts: true, NetworkQuota: 5, Challenge: 12,
		Entries: []vote.Entry{{Slug: "e", Title: "E", Category: "x"}},
	}, {
		Slug: "empty", Title: "No entries yet",
		VotingOpens: opens, VotingCloses: opens.AddDate(0, 1, 0), VotesPerVoter: 1,
	}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != vote.ManifestVersion || m.Contest("c").Entry("e") == nil {
		t.Fatalf("version %d, or lookups not indexed", m.Version)
	}
	b, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := vote.ParseManifest(b)
	if err != nil {
		t.Fatalf("reading back what Encode wrote: %v\n%s", err, b)
	}
	c := back.Contest("c")
	if c == nil || !c.VotingOpens.Equal(opens) || c.NetworkQuota != 5 || c.Challenge != 12 || c.Entry("e") == nil {
		t.Errorf("round trip lost fields: %+v", c)
	}
	if e := back.Contest("empty"); e == nil || e.Entries == nil {
		t.Errorf("a contest without entries must encode an empty list: %s", b)
	}

	if _, err := vote.NewManifest("https://a.example/path", nil); err == nil || !strings.Contains(err.Error(), "site") {
		t.Errorf("NewManifest accepted a site with a path: %v", err)
	}
}

func TestManifestPath(t *testing.T) {
	got := vote.ManifestPath(filepath.Join("a", "site"))
	if want := filepath.Join("a", "site", vote.DistDir, "manifest.json"); got != want {
		t.Errorf("ManifestPath = %q, want %q", got, want)
	}
}

func TestManifestSubmissionsRoundTrip(t *testing.T) {
	m, err := vote.NewManifest("https://stories.example.org", nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	sub := &vote.Submissions{Enabled: true, MaxPhotos: 4, MaxSide: 2048, MaxPixels: 1000, MaxBytes: 1000, NetworkQuota: 20, FormQuota: 5,
		Kinds: []string{"photo"}, Licences: []string{"CC0-1.0"}, ConsentVersion: "1", Consent: map[string]string{"en": "OK"}, Languages: []string{"en"},
		Contests:   []vote.SubmissionContest{{Slug: "c", Categories: []string{"x"}, Opens: at, Closes: at.Add(time.Hour)}},
		FormURLs:   map[string]string{"en": "https://stories.example.org/submit/"},
		ThanksURLs: map[string]string{"en": "https://stories.example.org/submit/thanks/"},
		Messages:   map[string]map[string]string{"fi": {"required": "Pakollinen."}}}
	if err := m.SetSubmissions(sub); err != nil {
		t.Fatal(err)
	}
	b, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := vote.ParseManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	if back.Submissions == nil || back.Submissions.Contest("c") == nil || back.Submissions.Messages["fi"]["required"] != "Pakollinen." {
		t.Errorf("round trip: %+v", back.Submissions)
	}
	bad := *sub
	bad.ConsentVersion, bad.MaxPhotos = "", 0
	if err := m.SetSubmissions(&bad); err == nil || !strings.Contains(err.Error(), "consent_version") || !strings.Contains(err.Error(), "max_photos") {
		t.Errorf("invalid section: %v", err)
	}
}
