// Package install tests Postcard as a destination gets it: installed with
// `go install …@version` (from a module proxy built from this working tree,
// since Postcard's module is published nowhere these tests can reach), or
// built from a tagged clone, then run in a site folder that is not
// Postcard's repository and has no go.mod, whose voting function is started
// under a fake Lambda runtime to cast a vote.
//
// These tests compile the whole command, so they take a while; they run in
// `make test` and are skipped with -short.
package install

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

const modulePath = "github.com/postcard-ssg/postcard"

// testVersion is the release the file proxy serves.
const testVersion = "v0.9.0"

func TestInstall(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles postcard from a module proxy")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	tree := filepath.Join(tmp, "tree")
	copyWorkingTree(t, repo, tree)

	// A file:// module proxy serving the working tree as testVersion, in
	// front of the module cache's own downloads (so that dependencies
	// resolve offline) and the machine's usual proxy.
	proxy := filepath.Join(tmp, "proxy")
	writeProxy(t, tree, proxy, testVersion)
	realCache := goEnv(t, goCmd, "GOMODCACHE")
	usual := goEnv(t, goCmd, "GOPROXY")
	gobin := filepath.Join(tmp, "bin")
	modcache := filepath.Join(tmp, "modcache") // never the shared one: it would keep a stale testVersion
	t.Cleanup(func() {
		c := exec.Command(goCmd, "clean", "-modcache")
		c.Env = append(os.Environ(), "GOMODCACHE="+modcache)
		c.Run()
	})
	env := append(os.Environ(),
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(filepath.Join(realCache, "cache", "download"))+","+usual,
		"GOSUMDB=off", "GONOSUMDB="+modulePath, "GOFLAGS=", "GOTOOLCHAIN=local",
		"GOMODCACHE="+modcache, "GOBIN="+gobin,
	)

	start := time.Now()
	// -trimpath shares compiled packages with other builds of the same
	// module versions, wherever they are unpacked.
	run(t, tmp, env, goCmd, "install", "-trimpath", modulePath+"/cmd/postcard@"+testVersion)
	t.Logf("go install %s: %s", testVersion, time.Since(start).Round(time.Second))
	postcard := filepath.Join(gobin, "postcard")
	if fi, err := os.Stat(postcard); err == nil {
		t.Logf("postcard binary: %d bytes", fi.Size())
	}

	t.Run("version of an installed release", func(t *testing.T) {
		out := run(t, tmp, nil, postcard, "version")
		if !strings.HasPrefix(out, "postcard "+testVersion) {
			t.Fatalf("postcard version printed %q, want %s", out, testVersion)
		}
	})

	t.Run("version of a tagged checkout", func(t *testing.T) {
		clone := filepath.Join(tmp, "clone")
		git := func(args ...string) string {
			return run(t, tmp, nil, "git", append([]string{"-C", clone, "-c", "user.name=Postcard", "-c", "user.email=postcard@example.org"}, args...)...)
		}
		run(t, tmp, nil, "git", "clone", "--quiet", repo, clone)
		copyWorkingTree(t, tree, clone) // what is not committed yet
		git("add", "-A")
		if git("status", "--porcelain") != "" {
			git("commit", "--quiet", "-m", "working tree")
		}
		git("tag", "v0.9.1")
		commit := strings.TrimSpace(git("rev-parse", "HEAD"))
		bin := filepath.Join(tmp, "tagged-postcard")
		run(t, clone, append(os.Environ(), "GOFLAGS=", "GOTOOLCHAIN=local"), goCmd, "build", "-trimpath", "-buildvcs=true", "-o", bin, "./cmd/postcard")
		out := run(t, tmp, nil, bin, "version")
		if !strings.HasPrefix(out, "postcard v0.9.1") || !strings.Contains(out, commit) {
			t.Fatalf("postcard version printed %q, want v0.9.1 and commit %s", out, commit)
		}
	})

	t.Run("a site anywhere gets its voting function", func(t *testing.T) {
		if runtime.GOOS != "linux" || (runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64") {
			t.Skip("the installed binary is not a Lambda binary on " + runtime.GOOS + "/" + runtime.GOARCH)
		}
		// No Go toolchain and no Dart Sass on PATH, no node_modules: the
		// binary must start the site, check it, build it with its own theme
		// and make its own platform's function all by itself, and say what
		// it could not make.
		buildEnv := []string{"PATH=" + pathWithout("go", "sass"), "HOME=" + tmp, "XDG_CACHE_HOME=" + filepath.Join(tmp, "cache"), "POSTCARD_SASS="}
		site := filepath.Join(tmp, "site")
		postcardIn := func(dir string, args ...string) (string, error) {
			cmd := exec.Command(postcard, args...)
			cmd.Dir = dir
			cmd.Env = buildEnv
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			return string(out) + stderr.String(), err
		}
		if out, err := postcardIn(tmp, "new", "site", site); err != nil {
			t.Fatalf("postcard new site: %v\n%s", err, out)
		}
		if out, err := postcardIn(site, "check"); err != nil {
			t.Fatalf("postcard check of a new site: %v\n%s", err, out)
		}
		// The editor fills in base_url, and voting opens (the starter's
		// contest takes entries first).
		edit(t, filepath.Join(site, "site.toml"), `base_url = ".*"`, `base_url = "https://lakeside.example/"`)
		contest := filepath.Join(site, "content", "contests", "first-contest.md")
		edit(t, contest, `(?m)^opens = \S+`, `opens = 2020-01-01`)
		edit(t, contest, `(?m)^closes = \S+`, `closes = 2020-01-31`)
		edit(t, contest, `(?m)^voting_opens = \S+`, `voting_opens = 2020-02-01`)
		edit(t, contest, `(?m)^voting_closes = \S+`, `voting_closes = 2099-12-31`)
		cmd := exec.Command(postcard, "build", "--quiet")
		cmd.Dir = site
		cmd.Env = buildEnv
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("postcard build: %v\n%s", err, stderr.String())
		}
		other := map[string]string{"amd64": "arm64", "arm64": "amd64"}[runtime.GOARCH]
		if !strings.Contains(stderr.String(), "linux/"+other) {
			t.Errorf("postcard build did not warn about linux/%s:\n%s", other, stderr.String())
		}
		if css, _ := filepath.Glob(filepath.Join(site, "public", "css", "*.css")); len(css) == 0 {
			t.Error("the built site has no stylesheet")
		}
		dist := filepath.Join(site, "functions-dist")
		bootstrap := filepath.Join(dist, "lambda", "linux-"+runtime.GOARCH, "bootstrap")
		for _, f := range []string{"manifest.json", "netlify.toml", bootstrap} {
			if !exists(filepath.Join(dist, f)) && !exists(f) {
				t.Fatalf("functions-dist has no %s", f)
			}
		}
		if runtime.GOARCH == "amd64" && !exists(filepath.Join(dist, "netlify", "vote")) {
			t.Fatal("functions-dist has no Netlify function")
		}
		if fi, err := os.Stat(bootstrap); err == nil {
			t.Logf("bootstrap: %d bytes", fi.Size())
		}

		// Deployed alone, as a Lambda zip holds it.
		deployed := filepath.Join(tmp, "task", "bootstrap")
		os.MkdirAll(filepath.Dir(deployed), 0o755)
		b, _ := os.ReadFile(bootstrap)
		os.WriteFile(deployed, b, 0o755)

		dsn := os.Getenv("POSTCARD_TEST_POSTGRES")
		if dsn == "" {
			// It still must start as the function and find its manifest.
			resp, errBody := invoke(t, deployed, "", voteEvent(""))
			if resp != nil || !strings.Contains(errBody, "POSTCARD_VOTE_DB") {
				t.Fatalf("without a database: %v %s", resp, errBody)
			}
			if os.Getenv("CI") == "true" {
				t.Fatal("POSTCARD_TEST_POSTGRES is not set: the vote was not cast")
			}
			t.Skip("POSTCARD_TEST_POSTGRES is not set: the function started, but no vote was cast")
		}
		// A new voter asks for the contest's proof-of-work challenge, solves
		// it as the vote script does, and votes with the answer.
		resp, errBody := invoke(t, deployed, dsn, challengeEvent())
		if resp == nil || resp.StatusCode != 200 {
			t.Fatalf("challenge: %v %s", resp, errBody)
		}
		var ch struct {
			Challenge  string `json:"challenge"`
			Difficulty int    `json:"difficulty"`
		}
		if err := json.Unmarshal([]byte(resp.Body), &ch); err != nil || ch.Challenge == "" {
			t.Fatalf("challenge %s: %v", resp.Body, err)
		}
		resp, errBody = invoke(t, deployed, dsn, voteEvent(vote.Solve(ch.Challenge, ch.Difficulty)))
		if resp == nil {
			t.Fatalf("the function did not answer: %s", errBody)
		}
		if resp.StatusCode != 201 {
			t.Fatalf("vote: %d %s", resp.StatusCode, resp.Body)
		}
	})
}

// proxyResponse is the part of an API Gateway v2 response the test reads.
type proxyResponse struct {
	StatusCode int    `json:"statusCode"`
	Body       string `json:"body"`
}

// voteEvent is a function URL's event for a vote with a proof of work.
func voteEvent(proof string) []byte {
	return event("POST", "", `{"contest": "first-contest", "entry": "first-light-on-the-pier"}`,
		map[string]string{"content-type": "application/json", "origin": "https://lakeside.example", "postcard-proof": proof})
}

// challengeEvent asks for the contest's proof-of-work challenge.
func challengeEvent() []byte {
	return event("GET", "contest=first-contest", "", map[string]string{"origin": "https://lakeside.example"})
}

func event(method, query, body string, headers map[string]string) []byte {
	path := "/api/votes"
	if method == "GET" {
		path = "/api/votes/challenge"
	}
	ev := map[string]any{
		"version": "2.0", "rawPath": path, "rawQueryString": query,
		"headers": headers,
		"body":    body,
		"requestContext": map[string]any{"http": map[string]string{
			"method": method, "path": path, "sourceIp": "203.0.113.9",
		}},
	}
	if query != "" {
		q := strings.SplitN(query, "=", 2)
		ev["queryStringParameters"] = map[string]string{q[0]: q[1]}
	}
	b, _ := json.Marshal(ev)
	return b
}

// edit rewrites what pattern matches in the file at p.
func edit(t *testing.T, p, pattern, repl string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(pattern)
	if !re.Match(b) {
		t.Fatalf("%s has nothing matching %s", p, pattern)
	}
	if err := os.WriteFile(p, re.ReplaceAll(b, []byte(repl)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// invoke starts the function at exe under a fake Lambda runtime API that
// hands it event, and returns its response, or nil and the error it
// reported.
func invoke(t *testing.T, exe, dsn string, event []byte) (*proxyResponse, string) {
	t.Helper()
	responses := make(chan []byte, 1)
	errs := make(chan []byte, 1)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	served := false
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		if served {
			<-r.Context().Done() // no more events
			return
		}
		served = true
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", "req-1")
		w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(30*time.Second).UnixMilli(), 10))
		w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-north-1:000000000000:function:vote")
		w.Write(event)
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		responses <- b
		w.WriteHeader(http.StatusAccepted)
	})
	for _, p := range []string{"POST /2018-06-01/runtime/invocation/{id}/error", "POST /2018-06-01/runtime/init/error"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			select {
			case errs <- b:
			default:
			}
			w.WriteHeader(http.StatusAccepted)
		})
	}
	api := httptest.NewServer(mux)
	defer api.Close()

	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = []string{
		"AWS_LAMBDA_RUNTIME_API=" + strings.TrimPrefix(api.URL, "http://"),
		"POSTCARD_VOTE_SECRET=" + strings.Repeat("s", 40),
		"POSTCARD_VOTE_DB=" + dsn,
		"POSTCARD_VOTE_RATE_LIMIT=0",
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Kill()
		<-exited
	}()
	select {
	case b := <-responses:
		var r proxyResponse
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("response %s: %v", b, err)
		}
		return &r, ""
	case b := <-errs:
		return nil, string(b) + stderr.String()
	case err := <-exited:
		exited <- err
		return nil, stderr.String()
	case <-ctx.Done():
		return nil, "timed out: " + stderr.String()
	}
}

// copyWorkingTree copies the files Git would track in repo (committed or
// not, ignored ones left out) to dst.
func copyWorkingTree(t *testing.T, repo, dst string) {
	t.Helper()
	var names []string
	if exists(filepath.Join(repo, ".git")) {
		out := run(t, repo, nil, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
		names = strings.Split(strings.TrimRight(out, "\x00"), "\x00")
	} else {
		filepath.WalkDir(repo, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				r, _ := filepath.Rel(repo, p)
				names = append(names, r)
			}
			return nil
		})
	}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(repo, n))
		if err != nil {
			continue // deleted, not yet committed
		}
		p := filepath.Join(dst, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// writeProxy writes a file:// module proxy serving dir as version.
func writeProxy(t *testing.T, dir, proxy, version string) {
	t.Helper()
	v := filepath.Join(proxy, modulePath, "@v")
	if err := os.MkdirAll(v, 0o755); err != nil {
		t.Fatal(err)
	}
	var z bytes.Buffer
	if err := modzip.CreateFromDir(&z, module.Version{Path: modulePath, Version: version}, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := zip.NewReader(bytes.NewReader(z.Bytes()), int64(z.Len())); err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	info, _ := json.Marshal(map[string]any{"Version": version, "Time": time.Now().UTC().Format(time.RFC3339)})
	for name, b := range map[string][]byte{
		"list": []byte(version + "\n"), version + ".info": info, version + ".mod": mod, version + ".zip": z.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(v, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func goEnv(t *testing.T, goCmd, name string) string {
	t.Helper()
	return strings.TrimSpace(run(t, ".", nil, goCmd, "env", name))
}

// run runs a command and returns its standard output; env nil inherits.
func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// pathWithout is PATH without the folders that hold any of names.
func pathWithout(names ...string) string {
	var keep []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		holds := false
		for _, n := range names {
			holds = holds || exists(filepath.Join(d, n))
		}
		if d != "" && !holds {
			keep = append(keep, d)
		}
	}
	return strings.Join(keep, string(filepath.ListSeparator))
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
