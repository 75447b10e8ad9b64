package server_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/server"
	"github.com/postcard-ssg/postcard/functions/vote/storepath"
	_ "modernc.org/sqlite"
)

// The crash test runs this test binary again as the server: with
// POSTCARD_CRASH_CHILD set, TestMain serves instead of testing.
func TestMain(m *testing.M) {
	if os.Getenv("POSTCARD_CRASH_CHILD") != "" {
		os.Exit(child())
	}
	os.Exit(m.Run())
}

func child() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	b, err := os.ReadFile(os.Getenv("POSTCARD_CRASH_MANIFEST"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	manifest, err := vote.ParseManifest(b)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	err = server.Run(ctx, server.Options{
		Addr:     "127.0.0.1:0",
		DB:       os.Getenv("POSTCARD_CRASH_DB"),
		Manifest: manifest,
		Ready:    func(a net.Addr) { fmt.Printf("LISTEN %s\n", a) },
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

const entries = 20

// parsedManifest is testManifest as the server takes it.
func parsedManifest(t *testing.T) *vote.Manifest {
	t.Helper()
	m, err := vote.ParseManifest([]byte(testManifest()))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func testManifest() string {
	var es []string
	for i := range entries {
		es = append(es, fmt.Sprintf(`{"slug": "entry-%d", "title": "Entry %d", "category": "landscape"}`, i, i))
	}
	// Every vote comes from loopback: no network quota, no challenge.
	return `{"version": 2, "site": "http://127.0.0.1", "contests": [{
		"slug": "crash", "title": "Crash", "categories": ["landscape"],
		"voting_opens": "2000-01-01T00:00:00Z", "voting_closes": "2100-01-01T00:00:00Z",
		"votes_per_voter": 3, "show_counts": true, "network_quota": 0, "challenge": 0,
		"entries": [` + strings.Join(es, ",") + `]}]}`
}

// startChild starts the server as a subprocess and returns its address.
func startChild(t *testing.T, dir string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		"POSTCARD_CRASH_CHILD=1",
		"POSTCARD_CRASH_MANIFEST="+filepath.Join(dir, "manifest.json"),
		"POSTCARD_CRASH_DB=sqlite:"+filepath.Join(dir, "votes.db"),
		"POSTCARD_VOTE_SECRET=",
	)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "LISTEN "); ok {
				line <- a
			}
		}
		io.Copy(io.Discard, out)
	}()
	select {
	case a := <-line:
		return cmd, a
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the server did not start")
	}
	return nil, ""
}

type ack struct {
	voter, entry string
	votes        int
}

// hammer sends votes from new voters (three each) until a request fails,
// and returns the votes acknowledged with 201 and any other answers.
func hammer(addr string, workers int, stop <-chan struct{}) ([]ack, []string) {
	var mu sync.Mutex
	var acks []ack
	var unexpected []string
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 5 * time.Second}
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				var cookie string
				for i, e := range rand.Perm(entries)[:3] {
					entry := fmt.Sprintf("entry-%d", e)
					req, _ := http.NewRequest("POST", "http://"+addr+"/api/votes",
						strings.NewReader(fmt.Sprintf(`{"contest": "crash", "entry": %q}`, entry)))
					req.Header.Set("Content-Type", "application/json")
					if cookie != "" {
						req.Header.Set("Cookie", "postcard_voter="+cookie)
					}
					resp, err := client.Do(req)
					if err != nil {
						return // the server is gone
					}
					var body struct{ Votes int }
					json.NewDecoder(resp.Body).Decode(&body)
					resp.Body.Close()
					if i == 0 {
						for _, c := range resp.Cookies() {
							if c.Name == "postcard_voter" {
								cookie = c.Value
							}
						}
					}
					if resp.StatusCode != http.StatusCreated {
						mu.Lock()
						unexpected = append(unexpected, fmt.Sprintf("worker %d: vote answered %s", w, resp.Status))
						mu.Unlock()
						return
					}
					id, _, _ := strings.Cut(cookie, ".")
					mu.Lock()
					acks = append(acks, ack{voter: id, entry: entry, votes: body.Votes})
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return acks, unexpected
}

// TestCrash kills the server with SIGKILL under load, again and again, and
// checks that every vote it acknowledged survived and the counts are exact.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts servers")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(testManifest()), 0o644); err != nil {
		t.Fatal(err)
	}
	const rounds = 5
	var acks []ack
	for round := range rounds {
		cmd, addr := startChild(t, dir)
		stop := make(chan struct{})
		got := make(chan []ack)
		go func() {
			a, bad := hammer(addr, 32, stop)
			for _, b := range bad {
				t.Error(b)
			}
			got <- a
		}()
		time.Sleep(time.Duration(300+rand.IntN(500)) * time.Millisecond)
		cmd.Process.Kill() // SIGKILL: no shutdown, no flush
		cmd.Wait()
		close(stop)
		a := <-got
		t.Logf("round %d: %d votes acknowledged before the kill", round, len(a))
		acks = append(acks, a...)
	}
	if len(acks) == 0 {
		t.Fatal("no vote was acknowledged")
	}

	// One more start proves the database opens after the last kill.
	cmd, _ := startChild(t, dir)
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "votes.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stored := make(map[[2]string]bool)
	rows, err := db.Query(`SELECT voter, entry FROM votes WHERE contest = 'crash'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v, e string
		rows.Scan(&v, &e)
		stored[[2]string{v, e}] = true
	}
	rows.Close()
	final := make(map[string]int)
	for _, a := range acks {
		if !stored[[2]string{a.voter, a.entry}] {
			t.Errorf("acknowledged vote lost: voter %s entry %s", a.voter, a.entry)
		}
		final[a.entry] = max(final[a.entry], a.votes)
	}
	if len(stored) < len(acks) {
		t.Errorf("%d votes stored, fewer than the %d acknowledged", len(stored), len(acks))
	}
	// Counts are exact: each tally is the number of its vote rows, each
	// ballot the number of its voter's votes, and no tally is below a count
	// a client was told.
	var bad int
	db.QueryRow(`SELECT count(*) FROM tallies t WHERE votes != (SELECT count(*) FROM votes v WHERE v.contest = t.contest AND v.entry = t.entry)`).Scan(&bad)
	if bad != 0 {
		t.Errorf("%d tallies differ from their vote rows", bad)
	}
	db.QueryRow(`SELECT count(*) FROM ballots b WHERE used != (SELECT count(*) FROM votes v WHERE v.contest = b.contest AND v.voter = b.voter)`).Scan(&bad)
	if bad != 0 {
		t.Errorf("%d ballots differ from their vote rows", bad)
	}
	for e, n := range final {
		var tally int
		db.QueryRow(`SELECT votes FROM tallies WHERE contest = 'crash' AND entry = ?`, e).Scan(&tally)
		if tally < n {
			t.Errorf("entry %s: tally %d, but a client was told %d", e, tally, n)
		}
	}
	t.Logf("%d votes acknowledged over %d kills, %d stored", len(acks), rounds, len(stored))
}

func TestSecretFile(t *testing.T) {
	dir := t.TempDir()
	noEnv := func(string) string { return "" }
	loc, err := storepath.Resolve(storepath.Options{Spec: "sqlite:votes.db", Site: dir, Getenv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	db := server.DB(loc)
	s1, err := server.Secret(noEnv, db)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "votes.db.secret"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v, %v", fi, err)
	}
	s2, err := server.Secret(noEnv, db)
	if err != nil || string(s1) != string(s2) || len(s1) < 32 {
		t.Fatalf("the secret changed or is short: %q %q %v", s1, s2, err)
	}
	os.Chmod(filepath.Join(dir, "votes.db.secret"), 0o644)
	if _, err := server.Secret(noEnv, db); err == nil {
		t.Fatal("a world-readable secret file was accepted")
	}
	env := func(k string) string {
		if k == server.SecretEnv {
			return strings.Repeat("e", 40)
		}
		return ""
	}
	if s, err := server.Secret(env, db); err != nil || string(s) != strings.Repeat("e", 40) {
		t.Fatalf("env secret: %q, %v", s, err)
	}
	pgLoc, _ := storepath.Resolve(storepath.Options{Spec: "postgres://u:pw@127.0.0.1/db", Site: dir, Getenv: noEnv})
	pg := server.DB(pgLoc)
	if _, err := server.Secret(noEnv, pg); err == nil || !strings.Contains(err.Error(), server.SecretEnv) {
		t.Fatalf("postgres without a secret: %v", err)
	}
	if strings.Contains(pg.String(), "pw") {
		t.Fatalf("the password is shown: %s", pg)
	}
}

func TestRunRefusesSQLiteOnLambda(t *testing.T) {
	err := server.Run(context.Background(), server.Options{
		Manifest: parsedManifest(t),
		DB:       "sqlite:" + filepath.Join(t.TempDir(), "v.db"),
		Getenv: func(k string) string {
			if k == "AWS_LAMBDA_FUNCTION_NAME" {
				return "vote"
			}
			return ""
		},
	})
	if err == nil || !strings.Contains(err.Error(), "ephemeral") {
		t.Fatalf("got %v", err)
	}
}

// stateEnv is an environment whose state directory is state.
func stateEnv(state string) func(string) string {
	return func(k string) string {
		if k == storepath.StateEnv {
			return state
		}
		return ""
	}
}

// TestRun serves over real HTTP on loopback and stops gracefully.
func TestRun(t *testing.T) {
	dir, state := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(dir, vote.DistDir), 0o755)
	os.WriteFile(vote.ManifestPath(dir), []byte(testManifest()), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- server.Run(ctx, server.Options{
			Addr: "127.0.0.1:0", SiteDir: dir, RateLimit: 2,
			Getenv: stateEnv(state),
			Ready:  func(a net.Addr) { addr <- a },
		})
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a.String()
	case err := <-done:
		t.Fatal(err)
	}
	post := func() int {
		resp, err := http.Post(base+"/api/votes", "application/json", strings.NewReader(`{"contest": "crash", "entry": "entry-1"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if a, b, c := post(), post(), post(); a != 201 || b != 201 || c != 429 {
		t.Fatalf("statuses %d %d %d, want 201 201 429", a, b, c)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// The store is the site's own in the state directory, never beside
	// site.toml.
	store := filepath.Join(state, "postcard", storepath.SiteID(dir), "votes.db")
	for _, f := range []string{store, store + ".secret"} {
		if _, err := os.Stat(f); err != nil {
			t.Error("not in the state directory:", err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the site folder holds more than functions-dist: %v", entries)
	}
}

// TestRunRefusesUnwritableStores checks that the server does not start on
// a database it could not write, and creates nothing on the way.
func TestRunRefusesUnwritableStores(t *testing.T) {
	dir := t.TempDir()
	run := func(db string) error {
		return server.Run(context.Background(), server.Options{
			Addr: "127.0.0.1:0", Manifest: parsedManifest(t), SiteDir: dir, DB: db,
			Getenv: stateEnv(t.TempDir()),
			Ready:  func(net.Addr) { t.Error("the server started") },
		})
	}
	missing := filepath.Join(dir, "no-such-folder", "votes.db")
	if err := run("sqlite:" + missing); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing folder: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(missing)); err == nil {
		t.Error("the missing folder was created")
	}
	ro := filepath.Join(t.TempDir(), "votes.db")
	os.WriteFile(ro, nil, 0o444)
	if err := run("sqlite:" + ro); err == nil || !strings.Contains(err.Error(), "read-only") || !strings.Contains(err.Error(), ro) {
		t.Errorf("read-only database: %v", err)
	}
	if _, err := os.Stat(ro + ".secret"); err == nil {
		t.Error("a secret was created for a database that cannot be written")
	}
}

func TestRedactor(t *testing.T) {
	var buf strings.Builder
	r := server.NewRedactorForTest(&buf)
	for _, msg := range []string{
		"http: TLS handshake error from 203.0.113.7:5123: EOF",
		"http: panic serving [2001:db8::1]:443: boom",
		"read tcp 127.0.0.1:8787->198.51.100.2:41234: i/o timeout",
		"client 2001:db8:0:1::7 gone",
	} {
		buf.Reset()
		fmt.Fprintln(r, msg)
		out := buf.String()
		for _, addr := range []string{"203.0.113.7", "2001:db8", "198.51.100.2", "127.0.0.1"} {
			if strings.Contains(out, addr) {
				t.Errorf("%q logged as %q", msg, out)
			}
		}
	}
}
