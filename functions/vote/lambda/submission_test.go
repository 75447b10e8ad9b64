package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/sqlite"
	"github.com/postcard-ssg/postcard/functions/vote/submission"
)

// TestSubmissionThroughNetlify posts a multipart submission as Netlify and
// API Gateway pass it, base64-encoded, and checks the serverless cap.
func TestSubmissionThroughNetlify(t *testing.T) {
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	m, _ := vote.NewManifest("https://stories.example.org", nil)
	err = m.SetSubmissions(&vote.Submissions{
		Enabled: true, MaxPhotos: 2, MaxPixels: 1 << 24, MaxBytes: 8 << 20, Kinds: []string{"photo"},
		Licences: []string{"CC-BY-4.0"}, ConsentVersion: "1", Consent: map[string]string{"en": "OK"}, Languages: []string{"en"},
		FormURLs: map[string]string{"en": "https://stories.example.org/submit/"}, ThanksURLs: map[string]string{"en": "https://stories.example.org/submit/thanks/"},
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := submission.Mount(vote.Config{Manifest: m, Store: store, Secret: bytes.Repeat([]byte("s"), 32), ClientAddr: vote.ContextAddr{},
		Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }}, vote.ServerlessMaxRequest)
	if err != nil {
		t.Fatal(err)
	}
	a := &adapter{h: h}
	post := func(padding int) map[string]any {
		var img bytes.Buffer
		png.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8)))
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for _, kv := range [][2]string{{"kind", "photo"}, {"title", "T"}, {"name", "N"}, {"license", "CC-BY-4.0"}, {"consent", "1"}, {"alt_1", "grey"}} {
			mw.WriteField(kv[0], kv[1])
		}
		fw, _ := mw.CreateFormFile("photo_1", "a.png")
		fw.Write(img.Bytes())
		if padding > 0 {
			fw, _ = mw.CreateFormFile("photo_2", "b.png")
			fw.Write(append(img.Bytes(), make([]byte, padding)...))
			mw.WriteField("alt_2", "x")
		}
		mw.Close()
		ev, _ := json.Marshal(map[string]any{
			"httpMethod": "POST", "path": "/.netlify/functions/vote/submissions",
			"headers":         map[string]string{"content-type": mw.FormDataContentType(), "accept": "application/json", "origin": "https://stories.example.org"},
			"body":            base64.StdEncoding.EncodeToString(body.Bytes()),
			"isBase64Encoded": true,
			"requestContext":  map[string]any{"identity": map[string]any{"sourceIp": "203.0.113.9"}},
		})
		return invoke(t, a, string(ev))
	}
	got := post(0)
	if code := got["_response"].(map[string]any)["statusCode"]; fmt.Sprint(code) != "201" || got["receipt"] == nil {
		t.Fatalf("answer %v", got)
	}
	list, _ := store.Submissions(context.Background(), "")
	if len(list) != 1 || list[0].MediaCount != 1 {
		t.Errorf("stored %+v", list)
	}
	got = post(5 << 20)
	if code := got["_response"].(map[string]any)["statusCode"]; fmt.Sprint(code) != "413" || !strings.Contains(fmt.Sprint(got["code"]), "too_large") {
		t.Errorf("over the serverless cap: %v", got)
	}
}
