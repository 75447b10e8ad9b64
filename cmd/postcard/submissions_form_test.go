package main

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/sqlite"
	"github.com/postcard-ssg/postcard/functions/vote/submission"
)

// The editor's whole loop from the form's point of view: the site is
// built, its own manifest and rendered form page drive the function, a
// plain form post (no JavaScript) of a photo with GPS metadata is answered
// with the thank-you page, pull writes a bundle check --drafts accepts,
// and the editor's approval publishes the story with no GPS in any file.
func TestSubmittedFormApprovedAndPublished(t *testing.T) {
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
	if code := a.main(ctx, []string{"build", "--quiet"}); code != exitOK {
		t.Fatalf("build: %d\n%s\n%s", code, stdout, stderr)
	}
	data, err := os.ReadFile(vote.ManifestPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	m, err := vote.ParseManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	if m.Submissions == nil || !strings.Contains(m.Submissions.FormPages["en"], `id="submit-form"`) {
		t.Fatal("the built manifest has no form page")
	}
	db := defaultStore(t, a, dir)
	os.MkdirAll(filepath.Dir(db), 0o700)
	store, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	h, err := submission.NewHandler(submission.Config{Manifest: m, Store: store, Secret: bytes.Repeat([]byte("k"), 32), Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	photo, err := os.ReadFile("../../generator/images/testdata/exif-rotated-gps.jpg")
	if err != nil {
		t.Fatal(err)
	}
	post := func(fields [][2]string) *httptest.ResponseRecorder {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for _, kv := range fields {
			mw.WriteField(kv[0], kv[1])
		}
		fw, _ := mw.CreateFormFile("photo_1", "IMG_0042.JPG")
		fw.Write(photo)
		mw.Close()
		r := httptest.NewRequest("POST", vote.SubmissionsPath, &body)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		r.Header.Set("Origin", "https://stories.example.org")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	fields := [][2]string{{"lang", "en"}, {"kind", "photo"}, {"title", "Jetty in the rain"}, {"body", "Rain on the *lake*."},
		{"place", ""}, {"video", ""}, {"contest", "summer"}, {"category", "people"}, {"alt_1", "A jetty in the rain"}, {"caption_1", ""},
		{"alt_2", ""}, {"caption_2", ""}, {"alt_3", ""}, {"caption_3", ""}, {"alt_4", ""}, {"caption_4", ""},
		{"name", "Eero Esimerkki"}, {"email", ""}, {"license", "CC-BY-4.0"}, {"consent", "2026-06"}}
	// What a browser sends for the form as the theme renders it, every field
	// present, the empty ones empty.
	w := post(fields)
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "https://stories.example.org/submit/thanks/?receipt=") {
		t.Fatalf("plain post: %d %s %s", w.Code, w.Header().Get("Location"), w.Body)
	}
	// Without the alt text it goes back to the form, filled in.
	fields[8][1] = ""
	if w := post(fields); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), vote.FormPath+"?t=") {
		t.Fatalf("refused plain post: %d %s", w.Code, w.Header().Get("Location"))
	}
	store.Close()

	if code := runSubmissions(ctx, a, []string{"pull"}); code != exitOK || !strings.Contains(stdout.String(), "content/stories/jetty-in-the-rain/index.md") {
		t.Fatalf("pull: %d %s %s", code, stdout, stderr)
	}
	index := filepath.Join(dir, "content/stories/jetty-in-the-rain/index.md")
	story, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`status = "submitted"`, "[rights]", `consent_version = "2026-06"`, `credit = "Eero Esimerkki"`} {
		if !bytes.Contains(story, []byte(want)) {
			t.Errorf("story lacks %s:\n%s", want, story)
		}
	}
	if code := a.main(ctx, []string{"check", "--drafts"}); code != exitOK {
		t.Fatalf("check --drafts: %d\n%s\n%s", code, stdout, stderr)
	}
	// Not published while submitted.
	if code := a.main(ctx, []string{"build", "--quiet"}); code != exitOK {
		t.Fatalf("build: %s", stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "public/stories/jetty-in-the-rain/index.html")); err == nil {
		t.Fatal("a submitted story is published before approval")
	}
	// The editor approves it.
	if err := os.WriteFile(index, bytes.Replace(story, []byte(`status = "submitted"`), []byte(`status = "approved"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := a.main(ctx, []string{"build", "--quiet"}); code != exitOK {
		t.Fatalf("build after approval: %d\n%s\n%s", code, stdout, stderr)
	}
	page, err := os.ReadFile(filepath.Join(dir, "public/stories/jetty-in-the-rain/index.html"))
	if err != nil {
		t.Fatal("the approved story is not published")
	}
	for _, want := range []string{"<h1>Jetty in the rain</h1>", "Eero Esimerkki", `alt="A jetty in the rain"`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the published story lacks %s", want)
		}
	}
	// No published file of the story carries GPS.
	exiftool, _ := exec.LookPath("exiftool")
	filepath.WalkDir(filepath.Join(dir, "public/stories/jetty-in-the-rain"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		if bytes.Contains(b, []byte("GPS")) {
			t.Errorf("%s carries GPS", p)
		}
		if exiftool != "" && !strings.HasSuffix(p, ".html") {
			if out, _ := exec.Command(exiftool, "-gps:all", "-s", p).Output(); len(bytes.TrimSpace(out)) > 0 {
				t.Errorf("exiftool finds GPS in %s:\n%s", p, out)
			}
		}
		return nil
	})
}
