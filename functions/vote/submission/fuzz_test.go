package submission_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/sqlite"
	"github.com/postcard-ssg/postcard/functions/vote/submission"
)

// FuzzPost sends arbitrary multipart bodies: the handler answers every one
// with a status and never panics.
func FuzzPost(f *testing.F) {
	f.Add("--b\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nphoto\r\n--b--\r\n", true)
	f.Add("--b\r\nContent-Disposition: form-data; name=\"photo_1\"; filename=\"a.jpg\"\r\n\r\n\xff\xd8\xff\r\n--b--\r\n", false)
	f.Add("--b\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n<script>x</script>[a](javascript:x)\r\n--b--\r\n", true)
	store, err := sqlite.Open(context.Background(), filepath.Join(f.TempDir(), "v.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	m, _ := vote.NewManifest(site, nil)
	m.Submissions = &vote.Submissions{Enabled: true, MaxPhotos: 2, MaxPixels: 1 << 20, MaxBytes: 1 << 16, MaxRequestBytes: 1 << 18,
		Kinds: []string{"photo", "story"}, Licences: []string{"CC0-1.0"}, ConsentVersion: "1", Languages: []string{"en"},
		Contests:  []vote.SubmissionContest{{Slug: "c", Categories: []string{"x"}, Opens: now.Add(-time.Hour), Closes: now.Add(time.Hour)}},
		FormPages: map[string]string{"en": formPage}}
	h, err := submission.NewHandler(submission.Config{Manifest: m, Store: store, Secret: bytes.Repeat([]byte("s"), 32), Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string, script bool) {
		r := httptest.NewRequest("POST", vote.SubmissionsPath, strings.NewReader(body))
		r.Header.Set("Content-Type", "multipart/form-data; boundary=b")
		if script {
			r.Header.Set("Accept", "application/json")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code < 200 || w.Code >= 600 {
			t.Fatalf("status %d", w.Code)
		}
	})
}

// FuzzFill fills arbitrary pages with arbitrary values and messages: the
// result never holds a value or a message as markup.
func FuzzFill(f *testing.F) {
	f.Add(formPage, "<script>", "</p><b>")
	f.Add("<input name=title><p id=error-title>", `"><img src=x>`, "<i>")
	f.Fuzz(func(t *testing.T, page, value, msg string) {
		out, err := submission.Fill(page, map[string]string{"title": value, "body": value},
			[]submission.FieldError{{Field: "title", Code: "x", Message: msg}}, "")
		if err != nil {
			return
		}
		if strings.Contains(value, "<script") && !strings.Contains(page, "<script") && strings.Contains(strings.ToLower(string(out)), "<script") {
			t.Fatalf("a value became markup: %s", out)
		}
	})
}
