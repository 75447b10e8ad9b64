package votetest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/submission"
)

// CrashEnv, set in the environment of a re-executed test binary, names the
// store its crash child serves (a path or a DSN).
const CrashEnv = "POSTCARD_SUBMISSION_CRASH_CHILD"

// crashSite is the origin of the crash test's manifest.
const crashSite = "http://127.0.0.1"

// CrashChild is the child side of Crash: when CrashEnv is set, it opens
// the store with open, serves the submission endpoint on 127.0.0.1, prints
// the address on stdout and serves until it is killed. Call it first
// thing in the test that calls Crash; without CrashEnv it returns at once.
func CrashChild(open func(ctx context.Context, spec string) (vote.SubmissionStore, error)) {
	spec := os.Getenv(CrashEnv)
	if spec == "" {
		return
	}
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(2)
	}
	store, err := open(context.Background(), spec)
	if err != nil {
		fail(err)
	}
	m, err := vote.NewManifest(crashSite, nil)
	if err != nil {
		fail(err)
	}
	m.Submissions = crashSubmissions()
	h, err := submission.NewHandler(submission.Config{Manifest: m, Store: store, Secret: bytes.Repeat([]byte("k"), 32)})
	if err != nil {
		fail(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	fmt.Println(ln.Addr().String())
	fail(http.Serve(ln, h))
}

func crashSubmissions() *vote.Submissions {
	return &vote.Submissions{
		Enabled: true, MaxPhotos: 2, MaxSide: 2048, MaxPixels: 1 << 24, MaxBytes: 1 << 20,
		Kinds: []string{"photo"}, Licences: []string{"CC-BY-4.0"}, VideoProviders: []string{"youtube"},
		ConsentVersion: "v1", Consent: map[string]string{"en": "I agree."}, Languages: []string{"en"},
		FormURLs: map[string]string{"en": crashSite + "/submit/"}, ThanksURLs: map[string]string{"en": crashSite + "/thanks/"},
	}
}

// crashPhoto is a small PNG whose pixels depend on seed.
func crashPhoto(seed int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = byte(seed*31 + i*7)
	}
	img.Set(0, 0, color.NRGBA{byte(seed), byte(seed >> 8), byte(seed >> 16), 255})
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// Crash starts the running test binary again as a child serving the
// submission endpoint on the store named by spec (see CrashChild), uploads
// submissions from several clients at once, kills the child with SIGKILL
// in the middle of the uploads, reopens the store and checks that every
// submission answered 201 is there with its photos intact, and that every
// submission in the store is whole (its photos, consent and contact).
func Crash(t *testing.T, spec string, reopen func(t *testing.T) SubmissionStore) {
	if testing.Short() {
		t.Skip("the crash test starts a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v=false")
	cmd.Env = append(os.Environ(), CrashEnv+"="+spec)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	t.Cleanup(func() {
		if !killed {
			cmd.Process.Kill()
		}
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("the child did not start: %v", err)
	}
	addr := strings.TrimSpace(line)

	type accepted struct {
		receipt string
		photos  [2][]byte
	}
	var (
		mu    sync.Mutex
		acked []accepted
		wg    sync.WaitGroup
	)
	client := &http.Client{Timeout: 20 * time.Second}
	stop := make(chan struct{})
	const workers = 6
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				seed := w*100000 + i
				photos := [2][]byte{crashPhoto(2 * seed), crashPhoto(2*seed + 1)}
				var body bytes.Buffer
				mw := multipart.NewWriter(&body)
				for _, kv := range [][2]string{{"lang", "en"}, {"kind", "photo"}, {"title", fmt.Sprint("Upload ", seed)}, {"name", "N"},
					{"license", "CC-BY-4.0"}, {"consent", "v1"}, {"alt_1", "a"}, {"alt_2", "b"}, {"email", "n@example.org"}} {
					mw.WriteField(kv[0], kv[1])
				}
				for j, p := range photos {
					fw, _ := mw.CreateFormFile(fmt.Sprintf("photo_%d", j+1), "p.png")
					fw.Write(p)
				}
				mw.Close()
				req, _ := http.NewRequest("POST", "http://"+addr+vote.SubmissionsPath, &body)
				req.Header.Set("Content-Type", mw.FormDataContentType())
				req.Header.Set("Accept", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					return // the child is gone
				}
				var rb struct{ Receipt string }
				json.NewDecoder(resp.Body).Decode(&rb)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					t.Errorf("upload: status %d", resp.StatusCode)
					return
				}
				mu.Lock()
				acked = append(acked, accepted{rb.Receipt, photos})
				mu.Unlock()
			}
		}()
	}
	// Kill the child once uploads are flowing, in the middle of them.
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 40 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	killed = true
	close(stop)
	wg.Wait()
	cmd.Wait()

	s := reopen(t)
	defer s.Close()
	mu.Lock()
	defer mu.Unlock()
	if len(acked) == 0 {
		t.Fatal("no upload was acknowledged before the kill")
	}
	for _, a := range acked {
		got, err := s.Submission(context.Background(), a.receipt)
		if err != nil {
			t.Errorf("acknowledged submission %s lost: %v", a.receipt, err)
			continue
		}
		if len(got.Media) != 2 || !bytes.Equal(got.Media[0].Data, a.photos[0]) || !bytes.Equal(got.Media[1].Data, a.photos[1]) {
			t.Errorf("acknowledged submission %s: photos not intact", a.receipt)
		}
	}
	all, err := s.Submissions(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range all {
		if sub.MediaCount != 2 || sub.Consent != "v1" || sub.Email != "n@example.org" {
			t.Errorf("half-written submission %s: %d photos, consent %q, contact %q", sub.Receipt, sub.MediaCount, sub.Consent, sub.Email)
		}
	}
	t.Logf("%d uploads acknowledged before the kill, %d submissions in the store", len(acked), len(all))
}
