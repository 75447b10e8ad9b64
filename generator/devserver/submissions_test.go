package devserver

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/sqlite"
	"github.com/postcard-ssg/postcard/functions/vote/storepath"
)

// TestServeAcceptsSubmissions: postcard serve takes a plain form post into
// its preview store and sends the browser to the preview's thank-you page.
func TestServeAcceptsSubmissions(t *testing.T) {
	site := t.TempDir()
	writeFile(t, site, "site.toml", "title = \"Preview\"\nbase_url = \"https://preview.example/\"\n[submissions]\nenabled = true\n[submissions.consent]\nversion = \"1\"\nen = \"I agree.\"\n")
	writeFile(t, site, "content/ambassadors/anna.md", "+++\nname = \"Anna\"\n+++\n")
	state := t.TempDir()
	base, _ := startServer(t, Options{Source: site}, state)

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, kv := range [][2]string{{"kind", "story"}, {"title", "A letter"}, {"body", "Dear lake."}, {"name", "Anna"}, {"license", "CC-BY-4.0"}, {"consent", "1"}} {
		mw.WriteField(kv[0], kv[1])
	}
	mw.Close()
	req, _ := http.NewRequest("POST", base+"api/submissions", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", strings.TrimSuffix(base, "/"))
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), base+"submit/thanks/?receipt=") {
		t.Fatalf("answer %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	preview := filepath.Join(state, "postcard", storepath.SiteID(site), "preview.db")
	store, err := sqlite.Open(context.Background(), preview)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	list, err := store.Submissions(context.Background(), vote.SubmissionNew)
	if err != nil || len(list) != 1 || list[0].Title != "A letter" {
		t.Errorf("preview store: %+v %v", list, err)
	}
}
