package main

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/sqlite"
	"github.com/postcard-ssg/postcard/functions/vote/submission"
)

const submissionsSiteTOML = `title = "Lake stories"
base_url = "https://stories.example.org/"

[submissions]
enabled = true

[submissions.consent]
version = "2026-06"
en = "I agree that the showcase publishes my story with my name."
`

const summerContest = `+++
title = "Summer 2026"
categories = ["landscape", "people"]
opens = 2026-11-01
closes = 2026-12-31
voting_opens = 2027-01-01
voting_closes = 2027-01-31
+++
Send your summer.
`

const knownAmbassador = `+++
name = "Aino Kettunen"
+++
Runs the café.
`

// submitted posts one submission with the fixture photo that carries GPS
// through the endpoint into the site's default store, and returns its
// receipt.
func submitted(t *testing.T, ctx context.Context, db string, name string) string {
	t.Helper()
	photo, err := os.ReadFile("/work/shared/fixtures/exif-rotated-gps.jpg")
	if err != nil {
		t.Skipf("fixture: %v", err)
	}
	store, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	m, _ := vote.NewManifest("https://stories.example.org", nil)
	if err := m.SetSubmissions(&vote.Submissions{
		Enabled: true, MaxPhotos: 4, MaxPixels: 60_000_000, MaxBytes: 50 << 20, Kinds: []string{"photo", "story"},
		Licences: []string{"CC-BY-4.0"}, ConsentVersion: "2026-06", Consent: map[string]string{"en": "I agree."}, Languages: []string{"en"},
		Contests:   []vote.SubmissionContest{{Slug: "summer", Categories: []string{"landscape", "people"}, Opens: fixedNow().Add(-time.Hour), Closes: fixedNow().Add(time.Hour)}},
		FormURLs:   map[string]string{"en": "https://stories.example.org/submit/"},
		ThanksURLs: map[string]string{"en": "https://stories.example.org/submit/thanks/"},
	}); err != nil {
		t.Fatal(err)
	}
	h, err := submission.NewHandler(submission.Config{Manifest: m, Store: store, Secret: bytes.Repeat([]byte("k"), 32), Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, kv := range [][2]string{{"lang", "en"}, {"kind", "photo"}, {"title", "Pier at five"}, {"body", "The lake was *flat*."},
		{"place", "Old Harbour"}, {"contest", "summer"}, {"category", "landscape"}, {"alt_1", "A wooden pier in fog"}, {"caption_1", "Five o'clock"},
		{"name", name}, {"email", "secret.contact@example.org"}, {"license", "CC-BY-4.0"}, {"consent", "2026-06"}} {
		mw.WriteField(kv[0], kv[1])
	}
	fw, _ := mw.CreateFormFile("photo_1", "IMG_0001.jpg")
	fw.Write(photo)
	mw.Close()
	r := httptest.NewRequest("POST", vote.SubmissionsPath, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Accept", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusCreated {
		t.Fatalf("submit: %d %s", w.Code, w.Body)
	}
	var rb struct{ Receipt string }
	json.Unmarshal(w.Body.Bytes(), &rb)
	return rb.Receipt
}

func TestSubmissionsPull(t *testing.T) {
	dir, a, stdout, stderr := votesSite(t)
	ctx := context.Background()
	write := func(name, data string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("site.toml", submissionsSiteTOML)
	write("content/contests/summer.md", summerContest)
	write("content/ambassadors/aino-kettunen.md", knownAmbassador)
	db := defaultStore(t, a, dir)
	os.MkdirAll(filepath.Dir(db), 0o700)
	receipt := submitted(t, ctx, db, "Aino K.")

	if code := runSubmissions(ctx, a, []string{"list"}); code != exitOK || !strings.Contains(stdout.String(), receipt) || !strings.Contains(stdout.String(), "Pier at five") {
		t.Fatalf("list: %d %s %s", code, stdout, stderr)
	}
	if code := runSubmissions(ctx, a, []string{"pull"}); code != exitOK {
		t.Fatalf("pull: %d %s", code, stderr)
	}
	out := stdout.String()
	if !strings.Contains(out, "content/stories/pier-at-five/index.md") || !strings.Contains(out, "hint: content/ambassadors/aino-kettunen.md") {
		t.Errorf("pull said:\n%s", out)
	}
	story, err := os.ReadFile(filepath.Join(dir, "content/stories/pier-at-five/index.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`status = "submitted"`, `ambassador = "aino-k"`, `contest = "summer"`, `category = "landscape"`,
		"[cover]", `src = "photo-1.jpg"`, `alt = "A wooden pier in fog"`, "[rights]", `license = "CC-BY-4.0"`, "consent = 2026-11-23",
		`credit = "Aino K."`, `consent_version = "2026-06"`, `receipt = "` + receipt + `"`} {
		if !strings.Contains(string(story), want) {
			t.Errorf("story lacks %s:\n%s", want, story)
		}
	}
	// The contact never goes into content/.
	filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
		if b, _ := os.ReadFile(p); bytes.Contains(b, []byte("secret.contact")) {
			t.Errorf("%s holds the contact e-mail", p)
		}
		return nil
	})
	photo := filepath.Join(dir, "content/stories/pier-at-five/photo-1.jpg")
	data, err := os.ReadFile(photo)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("Exif\x00")) || bytes.Contains(data, []byte("GPS")) || bytes.Contains(data, []byte("http://ns.adobe.com/xap")) {
		t.Error("the pulled photo still carries metadata")
	}
	if exiftool, err := exec.LookPath("exiftool"); err == nil {
		meta, err := exec.Command(exiftool, "-a", "-G1", "-s", photo).Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"GPS", "Artist", "Make", "Model", "DateTimeOriginal", "Orientation"} {
			if bytes.Contains(meta, []byte(bad)) {
				t.Errorf("exiftool finds %s in the pulled photo:\n%s", bad, meta)
			}
		}
		// Upright: the fixture is 1600x1000 stored with orientation 6.
		if !bytes.Contains(meta, []byte("ImageSize                       : 1000x1600")) && !bytes.Contains(meta, []byte("1000x1600")) {
			t.Errorf("the pulled photo is not upright:\n%s", meta)
		}
	}

	// check --drafts accepts the bundle.
	stdout.b.Reset()
	if code := a.main(ctx, []string{"check", "--drafts"}); code != exitOK {
		t.Fatalf("check --drafts: %d\n%s\n%s", code, stdout, stderr)
	}

	// Pulling again writes nothing.
	stdout.b.Reset()
	if code := runSubmissions(ctx, a, []string{"pull"}); code != exitOK || !strings.Contains(stdout.String(), "no new submissions") {
		t.Fatalf("second pull: %d %s %s", code, stdout, stderr)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "content/stories")); len(entries) != 1 {
		t.Errorf("second pull wrote again: %v", entries)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "content/ambassadors")); len(entries) != 2 {
		t.Errorf("ambassadors: %v", entries)
	}

	// A second submission with the same title gets a folder of its own.
	receipt2 := submitted(t, ctx, db, "Eino")
	stdout.b.Reset()
	if code := runSubmissions(ctx, a, []string{"pull"}); code != exitOK || !strings.Contains(stdout.String(), "content/stories/pier-at-five-2/index.md") {
		t.Fatalf("third pull: %s %s", stdout, stderr)
	}

	// contacts shows the e-mail to the editor; reject and list --status.
	stdout.b.Reset()
	if code := runSubmissions(ctx, a, []string{"contacts", receipt}); code != exitOK || !strings.Contains(stdout.String(), "secret.contact@example.org") {
		t.Fatalf("contacts: %s %s", stdout, stderr)
	}
	if code := runSubmissions(ctx, a, []string{"reject", receipt2, "--reason", "duplicate"}); code != exitOK {
		t.Fatalf("reject: %s", stderr)
	}
	stdout.b.Reset()
	if code := runSubmissions(ctx, a, []string{"list", "--status", "rejected"}); code != exitOK || !strings.Contains(stdout.String(), receipt2) || strings.Contains(stdout.String(), receipt+" ") {
		t.Fatalf("list rejected: %s %s", stdout, stderr)
	}

	// forget deletes the records and lists what content/ still holds.
	stdout.b.Reset()
	if code := runSubmissions(ctx, a, []string{"forget", "--receipt", receipt}); code != exitOK {
		t.Fatalf("forget: %s", stderr)
	}
	out = stdout.String()
	for _, want := range []string{"deleted 1 submissions", "content/stories/pier-at-five/index.md", "content/stories/pier-at-five/photo-1.jpg", "contest entry summer/pier-at-five"} {
		if !strings.Contains(out, want) {
			t.Errorf("forget lacks %q:\n%s", want, out)
		}
	}
	store, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.Submission(ctx, receipt); vote.ErrorCode(err) != vote.NotFound {
		t.Errorf("after forget: %v", err)
	}

	// purge deletes the contacts older than the age.
	stdout.b.Reset()
	a.now = func() time.Time { return fixedNow().Add(100 * 24 * time.Hour) }
	if code := runSubmissions(ctx, a, []string{"purge", "--older-than", "90d"}); code != exitOK || !strings.Contains(stdout.String(), "deleted 1 contacts, 1 photos") {
		t.Fatalf("purge: %s %s", stdout, stderr)
	}
}
