package submission_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/sqlite"
	"github.com/postcard-ssg/postcard/functions/vote/submission"
)

var now = time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)

const site = "https://stories.example.org"

const formPage = `<!doctype html><html lang="en"><head><title>Send a story</title></head><body>
<div id="form-errors" hidden></div>
<form method="post" action="/api/submissions" enctype="multipart/form-data">
<input type="hidden" name="lang" value="en">
<select name="kind"><option value="photo">Photo</option><option value="story">Story</option></select>
<input name="title" id="title"><p id="error-title" hidden></p>
<textarea name="body"></textarea><p id="error-body" hidden></p>
<input type="file" name="photo_1"><p id="error-photo_1" hidden></p>
<input name="alt_1"><p id="error-alt_1" hidden></p>
<input name="contest"><p id="error-contest" hidden></p>
<input name="category"><p id="error-category" hidden></p>
<input name="name"><input name="email" type="email"><input name="license">
<input type="checkbox" name="consent" value="v2"><p id="error-consent" hidden></p>
</form></body></html>`

func manifest(t *testing.T) *vote.Manifest {
	t.Helper()
	m, err := vote.NewManifest(site, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.Submissions = &vote.Submissions{
		Enabled: true, MaxPhotos: 4, MaxSide: 2048, MaxPixels: 60_000_000, MaxBytes: 2 << 20,
		NetworkQuota: 20, FormQuota: 5, Challenge: 0,
		Kinds: []string{"photo", "video", "story", "poem"}, Licences: []string{"CC-BY-4.0", "granted-to-destination"},
		OwnLicences: []string{"granted-to-destination"}, VideoProviders: []string{"youtube", "vimeo"},
		Contests: []vote.SubmissionContest{
			{Slug: "summer", Title: "Summer", Categories: []string{"nature", "people"}, Opens: now.Add(-24 * time.Hour), Closes: now.Add(24 * time.Hour)},
			{Slug: "winter", Title: "Winter", Categories: []string{"snow"}, Opens: now.Add(-90 * 24 * time.Hour), Closes: now.Add(-60 * 24 * time.Hour)},
			{Slug: "hard", Title: "Hard", Categories: []string{"x"}, Opens: now.Add(-time.Hour), Closes: now.Add(time.Hour), Challenge: 8},
		},
		ConsentVersion: "v2", Consent: map[string]string{"en": "I agree."}, Languages: []string{"en"},
		FormURLs: map[string]string{"en": site + "/submit/"}, ThanksURLs: map[string]string{"en": site + "/submit/thanks/"},
		FormPages: map[string]string{"en": formPage},
	}
	return m
}

type fixture struct {
	h     http.Handler
	store *sqlite.Store
}

func newFixture(t *testing.T, edit func(*vote.Manifest, *submission.Config)) *fixture {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "votes.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	m := manifest(t)
	c := submission.Config{Manifest: m, Store: store, Secret: bytes.Repeat([]byte("s"), 32), Now: func() time.Time { return now }}
	if edit != nil {
		edit(m, &c)
	}
	h, err := submission.NewHandler(c)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{h: h, store: store}
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "fixtures", name))
	if err != nil {
		b, err = os.ReadFile(filepath.Join("/work/shared/fixtures", name))
	}
	if err != nil {
		t.Skipf("fixture %s: %v", name, err)
	}
	return b
}

// form is a post: fields in order, files by field name.
type form struct {
	fields [][2]string
	files  map[string][]byte
}

func good(t *testing.T) form {
	return form{
		fields: [][2]string{{"lang", "en"}, {"kind", "photo"}, {"title", "Harbour at dawn"}, {"body", "The *first* boat out. See [the map](https://example.org/map)."},
			{"place", "Old harbour"}, {"contest", "summer"}, {"category", "nature"}, {"alt_1", "Boats in fog"}, {"caption_1", "Early"},
			{"name", "Aino K."}, {"email", "aino@example.org"}, {"license", "CC-BY-4.0"}, {"consent", "v2"}},
		files: map[string][]byte{"photo_1": readFixture(t, "exif-rotated-gps.jpg")},
	}
}

func (f form) set(name, value string) form {
	out := form{files: f.files}
	found := false
	for _, kv := range f.fields {
		if kv[0] == name {
			found = true
			if value == "\x00" {
				continue
			}
			kv[1] = value
		}
		out.fields = append(out.fields, kv)
	}
	if !found && value != "\x00" {
		out.fields = append(out.fields, [2]string{name, value})
	}
	return out
}

func (f form) file(name string, data []byte) form {
	files := map[string][]byte{}
	for k, v := range f.files {
		files[k] = v
	}
	if data == nil {
		delete(files, name)
	} else {
		files[name] = data
	}
	return form{fields: f.fields, files: files}
}

func (f form) encode(t *testing.T) (*bytes.Buffer, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, kv := range f.fields {
		mw.WriteField(kv[0], kv[1])
	}
	for name, data := range f.files {
		w, _ := mw.CreateFormFile(name, "photo.jpg")
		w.Write(data)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func (fx *fixture) post(t *testing.T, f form, script bool, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	body, ct := f.encode(t)
	r := httptest.NewRequest("POST", vote.SubmissionsPath, body)
	r.RemoteAddr = "203.0.113.7:5000"
	r.Header.Set("Content-Type", ct)
	r.Header.Set("Origin", site)
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	if script {
		r.Header.Set("Accept", "application/json")
	} else {
		r.Header.Set("Accept", "text/html")
	}
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	fx.h.ServeHTTP(w, r)
	return w
}

func fieldErrors(t *testing.T, w *httptest.ResponseRecorder) map[string]string {
	t.Helper()
	if w.Code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400: %s", w.Code, w.Body)
	}
	var b struct {
		Errors []submission.FieldError `json:"errors"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range b.Errors {
		if e.Message == "" {
			t.Errorf("error %+v has no message", e)
		}
		out[e.Field] = e.Code
	}
	return out
}

// followForm follows a plain post's redirect back to the form and returns
// the page.
func (fx *fixture) followForm(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status %d, want 303: %s", w.Code, w.Body)
	}
	loc, err := url.Parse(w.Header().Get("Location"))
	if err != nil || loc.Path != vote.FormPath {
		t.Fatalf("redirect to %q, want %s?t=…", w.Header().Get("Location"), vote.FormPath)
	}
	r := httptest.NewRequest("GET", loc.String(), nil)
	r.Host = "stories.example.org"
	rec := httptest.NewRecorder()
	fx.h.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK {
		t.Fatalf("form: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

func TestAccepted(t *testing.T) {
	fx := newFixture(t, nil)
	w := fx.post(t, good(t), true, nil)
	if w.Code != http.StatusCreated {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var b struct{ Receipt string }
	json.Unmarshal(w.Body.Bytes(), &b)
	sub, err := fx.store.Submission(context.Background(), b.Receipt)
	if err != nil {
		t.Fatal(err)
	}
	if sub.Title != "Harbour at dawn" || sub.Consent != "v2" || sub.Email != "aino@example.org" || len(sub.Media) != 1 ||
		sub.Media[0].Alt != "Boats in fog" || sub.Media[0].Format != "jpeg" || !bytes.Equal(sub.Media[0].Data, good(t).files["photo_1"]) {
		t.Errorf("stored %+v", sub)
	}

	// A plain form post: 303 to the thank-you page with the receipt.
	w = fx.post(t, good(t), false, nil)
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), site+"/submit/thanks/?receipt=") {
		t.Fatalf("plain post: %d %q", w.Code, w.Header().Get("Location"))
	}

	// A HEIC phone photo is accepted like a JPEG.
	w = fx.post(t, good(t).file("photo_1", readFixture(t, "phone-photo.heic")), true, nil)
	if w.Code != http.StatusCreated {
		t.Fatalf("HEIC: %d %s", w.Code, w.Body)
	}
}

func TestRefusals(t *testing.T) {
	text := []byte("this is not a photo, whatever its name says\n")
	tests := []struct {
		name  string
		form  func(t *testing.T) form
		field string
		code  string
	}{
		{"missing consent", func(t *testing.T) form { return good(t).set("consent", "\x00") }, "consent", "consent"},
		{"old consent", func(t *testing.T) form { return good(t).set("consent", "v1") }, "consent", "consent_old"},
		{"missing alt text", func(t *testing.T) form { return good(t).set("alt_1", "\x00") }, "alt_1", "required"},
		{"unknown contest", func(t *testing.T) form { return good(t).set("contest", "nope") }, "contest", "unknown"},
		{"wrong category", func(t *testing.T) form { return good(t).set("category", "snow") }, "category", "category"},
		{"non-image named .jpg", func(t *testing.T) form { return good(t).file("photo_1", text) }, "photo_1", "not_image"},
		{"pixel bomb", func(t *testing.T) form { return good(t).file("photo_1", readFixture(t, "bomb-40000px.png")) }, "photo_1", "too_big"},
		{"no photo", func(t *testing.T) form {
			return good(t).file("photo_1", nil).set("alt_1", "\x00").set("caption_1", "\x00")
		}, "photo_1", "photo_required"},
		{"raw HTML", func(t *testing.T) form { return good(t).set("body", "Hi <img src=x onerror=alert(1)>") }, "body", "not_allowed"},
		{"raw HTML block", func(t *testing.T) form {
			return good(t).set("body", "The harbour at dawn.\n\n<script>alert(1)</script>\n\nMore text.")
		}, "body", "not_allowed"},
		{"script link", func(t *testing.T) form { return good(t).set("body", "[x](javascript:alert(1))") }, "body", "not_allowed"},
		{"long title", func(t *testing.T) form { return good(t).set("title", strings.Repeat("é", 121)) }, "title", "too_long"},
		{"bad email", func(t *testing.T) form { return good(t).set("email", "Aino <a@b.org>") }, "email", "email"},
		{"unknown licence", func(t *testing.T) form { return good(t).set("license", "MIT-ish") }, "license", "licence"},
		{"video provider", func(t *testing.T) form {
			return good(t).set("kind", "video").set("video", "https://evil.example/watch?v=aaaaaaaaaaa")
		}, "video", "video_provider"},
		{"unknown field", func(t *testing.T) form { return good(t).set("is_admin", "1") }, "is_admin", "unknown_field"},
		{"photo over max_photos", func(t *testing.T) form { return good(t).set("alt_9", "x") }, "alt_9", "unknown_field"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/script", func(t *testing.T) {
			fx := newFixture(t, nil)
			errs := fieldErrors(t, fx.post(t, tt.form(t), true, nil))
			if errs[tt.field] != tt.code {
				t.Errorf("errors %v, want %s: %s", errs, tt.field, tt.code)
			}
			if list, _ := fx.store.Submissions(context.Background(), ""); len(list) != 0 {
				t.Errorf("a refused post was stored: %+v", list)
			}
		})
		t.Run(tt.name+"/form", func(t *testing.T) {
			fx := newFixture(t, nil)
			page := fx.followForm(t, fx.post(t, tt.form(t), false, nil))
			if !strings.Contains(page, `id="form-errors" role="alert"`) {
				t.Errorf("no error summary:\n%s", page)
			}
			if strings.HasPrefix(tt.field, "photo_") || tt.field == "alt_1" || tt.field == "consent" || tt.field == "contest" || tt.field == "category" || tt.field == "title" || tt.field == "body" {
				if !strings.Contains(page, `id="error-`+tt.field+`" role="alert"`) {
					t.Errorf("no message beside %s:\n%s", tt.field, page)
				}
			}
			if tt.name != "long title" && !strings.Contains(page, `value="Aino K."`) {
				t.Errorf("the typed name is not kept:\n%s", page)
			}
			if list, _ := fx.store.Submissions(context.Background(), ""); len(list) != 0 {
				t.Errorf("a refused post was stored: %+v", list)
			}
		})
	}
}

// A photo sent without its alt text is refused for the alt text alone:
// the contributor did add a photo, and is not told to add one.
func TestMissingAltIsNotAMissingPhoto(t *testing.T) {
	fx := newFixture(t, nil)
	errs := fieldErrors(t, fx.post(t, good(t).set("alt_1", "\x00"), true, nil))
	if errs["alt_1"] != "required" || errs["photo_1"] != "" {
		t.Errorf("errors %v, want alt_1: required and nothing on photo_1", errs)
	}
}

func TestEveryErrorAtOnce(t *testing.T) {
	fx := newFixture(t, nil)
	f := good(t).set("consent", "\x00").set("alt_1", "\x00").set("category", "snow").set("title", "\x00")
	errs := fieldErrors(t, fx.post(t, f, true, nil))
	for _, field := range []string{"consent", "alt_1", "category", "title"} {
		if errs[field] == "" {
			t.Errorf("no error for %s in %v", field, errs)
		}
	}
}

func TestStatusRefusals(t *testing.T) {
	big := bytes.Repeat([]byte{0xFF}, 3<<20)
	tests := []struct {
		name   string
		edit   func(*vote.Manifest, *submission.Config)
		form   func(t *testing.T) form
		hdr    map[string]string
		posts  int
		status int
	}{
		{"closed window", nil, func(t *testing.T) form { return good(t).set("contest", "winter").set("category", "snow") }, nil, 1, 403},
		{"foreign origin", nil, good, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, 1, 403},
		{"oversize body", func(m *vote.Manifest, c *submission.Config) { m.Submissions.MaxRequestBytes = 1 << 20 },
			func(t *testing.T) form { return good(t).file("photo_2", big).set("alt_2", "x") }, nil, 1, 413},
		{"quota exceeded", func(m *vote.Manifest, c *submission.Config) {
			m.Submissions.NetworkQuota, m.Submissions.FormQuota = 2, 2
		}, good, nil, 3, 429},
		{"missing proof", nil, func(t *testing.T) form { return good(t).set("contest", "hard").set("category", "x") }, nil, 1, 403},
	}
	for _, tt := range tests {
		for _, script := range []bool{true, false} {
			name := tt.name + "/form"
			if script {
				name = tt.name + "/script"
			}
			t.Run(name, func(t *testing.T) {
				fx := newFixture(t, tt.edit)
				var w *httptest.ResponseRecorder
				for range tt.posts {
					w = fx.post(t, tt.form(t), script, tt.hdr)
				}
				want := tt.status
				if !script && tt.status != 403 || !script && tt.name == "closed window" {
					want = http.StatusSeeOther
				}
				if tt.name == "missing proof" && !script {
					want = http.StatusSeeOther // a plain post brings no proof: it has the form quota instead
				}
				if w.Code != want {
					t.Fatalf("status %d, want %d: %s", w.Code, want, w.Body)
				}
				if script {
					var b struct{ Error, Code string }
					if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil || b.Error == "" || b.Code == "" {
						t.Errorf("answer %s is not the vote API's error shape", w.Body)
					}
				} else if want == http.StatusSeeOther && tt.name != "missing proof" {
					page := fx.followForm(t, w)
					if !strings.Contains(page, `id="form-errors" role="alert"`) {
						t.Errorf("no message:\n%s", page)
					}
				}
				list, _ := fx.store.Submissions(context.Background(), "")
				wantStored := tt.posts - 1
				if tt.name == "missing proof" && !script {
					wantStored = 1
				}
				if tt.name != "quota exceeded" && tt.name != "missing proof" {
					wantStored = 0
				}
				if len(list) != wantStored {
					t.Errorf("%d stored, want %d", len(list), wantStored)
				}
			})
		}
	}
}

func TestProof(t *testing.T) {
	fx := newFixture(t, nil)
	f := good(t).set("contest", "hard").set("category", "x")
	// The vote handler issues the challenge; the submission handler checks it.
	vh, err := vote.NewHandler(vote.Config{Manifest: manifest(t), Store: fx.store, Secret: bytes.Repeat([]byte("s"), 32), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	vh.ServeHTTP(rec, httptest.NewRequest("GET", vote.ChallengePath+"?for=submission&contest=hard", nil))
	var c struct {
		Challenge  string
		Difficulty int
	}
	json.Unmarshal(rec.Body.Bytes(), &c)
	if c.Difficulty != 8 || c.Challenge == "" {
		t.Fatalf("challenge: %s", rec.Body)
	}
	proof := vote.Solve(c.Challenge, c.Difficulty)
	if w := fx.post(t, f, true, map[string]string{vote.ProofHeader: proof}); w.Code != http.StatusCreated {
		t.Fatalf("with proof: %d %s", w.Code, w.Body)
	}
	if w := fx.post(t, f, true, map[string]string{vote.ProofHeader: proof}); w.Code != http.StatusForbidden {
		t.Fatalf("proof used twice: %d %s", w.Code, w.Body)
	}
	// A vote's challenge does not pay for a submission.
	rec = httptest.NewRecorder()
	vh.ServeHTTP(rec, httptest.NewRequest("GET", vote.ChallengePath+"?for=submission", nil))
	json.Unmarshal(rec.Body.Bytes(), &c)
	if c.Difficulty != 0 {
		t.Errorf("site challenge %d, want 0", c.Difficulty)
	}
}

func TestTurnstile(t *testing.T) {
	verifier := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		fmt.Fprintf(w, `{"success": %v}`, r.PostForm.Get("response") == "good-token")
	}))
	defer verifier.Close()
	fx := newFixture(t, func(m *vote.Manifest, c *submission.Config) {
		c.Challenge = vote.Turnstile{Secret: "x", URL: verifier.URL, Client: verifier.Client()}
	})
	if w := fx.post(t, good(t).set("cf-turnstile-response", "bad"), true, nil); w.Code != http.StatusForbidden {
		t.Errorf("bad token: %d %s", w.Code, w.Body)
	}
	if w := fx.post(t, good(t).set("cf-turnstile-response", "good-token"), true, nil); w.Code != http.StatusCreated {
		t.Errorf("good token: %d %s", w.Code, w.Body)
	}
	// A plain form post cannot run the widget: it has the form quota instead.
	if w := fx.post(t, good(t), false, nil); w.Code != http.StatusSeeOther || !strings.Contains(w.Header().Get("Location"), "receipt=") {
		t.Errorf("plain post: %d %s", w.Code, w.Header().Get("Location"))
	}
}

func TestFillEscapes(t *testing.T) {
	out, err := submission.Fill(formPage, map[string]string{"title": `"><script>alert(1)</script>`, "body": "</textarea><script>x</script>", "kind": "story", "consent": "v2"},
		[]submission.FieldError{{Field: "title", Code: "x", Message: "<b>bold</b>"}}, "https://stories.example.org/")
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, bad := range []string{"<script>", "<b>bold"} {
		if strings.Contains(s, bad) {
			t.Errorf("%q written as HTML:\n%s", bad, s)
		}
	}
	for _, want := range []string{`<base href="https://stories.example.org/"/>`, `<option value="story" selected="">`, `value="v2" checked=""`, `&lt;b&gt;bold&lt;/b&gt;`} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q:\n%s", want, s)
		}
	}
}

func TestExpiredForm(t *testing.T) {
	fx := newFixture(t, nil)
	r := httptest.NewRequest("GET", vote.FormPath+"?t=nope", nil)
	w := httptest.NewRecorder()
	fx.h.ServeHTTP(w, r)
	b, _ := io.ReadAll(w.Body)
	if w.Code != 200 || !strings.Contains(string(b), "expired") {
		t.Errorf("%d %s", w.Code, b)
	}
}

// TestOversizeStreamed: a body without a Content-Length is cut off by the
// cap while it is read.
func TestOversizeStreamed(t *testing.T) {
	fx := newFixture(t, func(m *vote.Manifest, c *submission.Config) { m.Submissions.MaxRequestBytes = 1 << 20 })
	body, ct := good(t).file("photo_2", bytes.Repeat([]byte{0xFF}, 2<<20)).set("alt_2", "x").encode(t)
	r := httptest.NewRequest("POST", vote.SubmissionsPath, io.NopCloser(body))
	r.ContentLength = -1
	r.Header.Set("Content-Type", ct)
	r.Header.Set("Accept", "application/json")
	w := httptest.NewRecorder()
	fx.h.ServeHTTP(w, r)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
}

// TestPhotoOverByteBudget: a photo over images.max_bytes is refused
// without being kept, whatever the request cap allows.
func TestPhotoOverByteBudget(t *testing.T) {
	fx := newFixture(t, func(m *vote.Manifest, c *submission.Config) { m.Submissions.MaxBytes = 64 << 10 })
	errs := fieldErrors(t, fx.post(t, good(t), true, nil))
	if errs["photo_1"] != "too_big" {
		t.Errorf("errors %v", errs)
	}
}

// TestMessagesFromManifest: the manifest's messages replace the built-in
// English ones, code by code.
func TestMessagesFromManifest(t *testing.T) {
	fx := newFixture(t, func(m *vote.Manifest, c *submission.Config) {
		m.Submissions.Messages = map[string]map[string]string{"en": {"required": "Fill this in.", "too_long": "Shorter, please."}}
	})
	w := fx.post(t, good(t).set("alt_1", "\x00").set("title", strings.Repeat("x", 200)), true, nil)
	var b struct{ Errors []submission.FieldError }
	json.Unmarshal(w.Body.Bytes(), &b)
	got := map[string]string{}
	for _, e := range b.Errors {
		got[e.Field] = e.Message
	}
	if got["alt_1"] != "Fill this in." || got["title"] != "Shorter, please." {
		t.Errorf("messages %v", got)
	}
}
