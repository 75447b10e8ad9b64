// Command bench-images is the reproducible benchmark of Postcard's image
// pipeline against Hugo: the same photos, the same widths and formats, cold
// (empty caches) and warm (caches filled, nothing changed), each tool in its
// own process so wall time and peak memory (the child's maximum resident
// set size, from getrusage) are measured the same way for both.
//
// It exists outside the unit tests because a timed assertion in a test is
// flaky by design; this harness reports figures, run.sh runs it, and
// BENCHMARKS.md records them.
//
//	go run ./bench/images -photos ../shared/photos -n 100 -runs 3
//
// The "build" subcommand is the measured Postcard side; the harness runs
// its own binary with it.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/postcard-ssg/postcard/bench/internal/repo"
	"github.com/postcard-ssg/postcard/generator/images"
	"github.com/postcard-ssg/postcard/generator/output"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "build" {
		if err := build(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench-images build:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench-images:", err)
		os.Exit(1)
	}
}

// The operations both tools perform on every photo.
var (
	widths  = []int{480, 800, 1200}
	quality = 75
)

func run(args []string) error {
	fs := flag.NewFlagSet("bench-images", flag.ContinueOnError)
	photos := fs.String("photos", os.Getenv("POSTCARD_PHOTOS"), "folder of source photos (default: ../shared/photos beside the repository, or $POSTCARD_PHOTOS)")
	n := fs.Int("n", 100, "number of photos in the benchmark site (the folder's photos repeated under distinct names)")
	runs := fs.Int("runs", 3, "runs of each case; the median is reported")
	hugo := fs.String("hugo", "", "hugo binary (default: hugo on PATH, then $GOPATH/bin/hugo)")
	work := fs.String("work", "", "work folder (default: a new temporary folder, removed afterwards)")
	skipHugo := fs.Bool("skip-hugo", false, "measure Postcard only")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *photos == "" {
		root, err := repoRoot()
		if err != nil {
			return err
		}
		*photos = filepath.Join(root, "..", "shared", "photos")
	}
	srcs, err := filepath.Glob(filepath.Join(*photos, "*.jpg"))
	if err != nil || len(srcs) == 0 {
		return fmt.Errorf("no .jpg photos in %s (set -photos or POSTCARD_PHOTOS)", *photos)
	}
	sort.Strings(srcs)
	if !*skipHugo && *hugo == "" {
		*hugo = findHugo()
		if *hugo == "" {
			return errors.New("hugo not found: go install github.com/gohugoio/hugo@v0.160.0 (run.sh does), or pass -skip-hugo")
		}
	}
	if *work == "" {
		dir, err := os.MkdirTemp("", "postcard-bench-images-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*work = dir
	}
	siteDir := filepath.Join(*work, "site")
	if err := makeSite(siteDir, srcs, *n); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}

	type result struct{ wall, rss, cpu []float64 }
	results := map[string]*result{}
	record := func(name string, m measure) {
		r := results[name]
		if r == nil {
			r = &result{}
			results[name] = r
		}
		r.wall = append(r.wall, m.wall.Seconds())
		r.rss = append(r.rss, float64(m.maxRSS)/(1<<20))
		r.cpu = append(r.cpu, m.cpu.Seconds())
		fmt.Fprintf(os.Stderr, "  %-16s %6.2f s wall  %6.2f s CPU  %6.0f MiB  %s\n", name, m.wall.Seconds(), m.cpu.Seconds(), float64(m.maxRSS)/(1<<20), strings.TrimSpace(m.stdout))
	}
	cache := filepath.Join(siteDir, ".postcard-cache", "images")
	public := filepath.Join(siteDir, "public")
	postcard := func() (measure, error) {
		return timeCmd(siteDir, self, "build", "-site", siteDir, "-cache", cache, "-public", public)
	}
	hugoCmd := func() (measure, error) {
		return timeCmd(siteDir, *hugo, "--quiet", "--source", siteDir, "--destination", public)
	}
	for i := range *runs {
		fmt.Fprintf(os.Stderr, "run %d of %d\n", i+1, *runs)
		steps := []struct {
			name  string
			clear []string
			cmd   func() (measure, error)
		}{
			{"postcard cold", []string{cache, public}, postcard},
			{"postcard warm", []string{public}, postcard},
		}
		if !*skipHugo {
			steps = append(steps,
				struct {
					name  string
					clear []string
					cmd   func() (measure, error)
				}{"hugo cold", []string{filepath.Join(siteDir, "resources"), filepath.Join(siteDir, "hugo_cache"), public}, hugoCmd},
				struct {
					name  string
					clear []string
					cmd   func() (measure, error)
				}{"hugo warm", []string{public}, hugoCmd})
		}
		for _, s := range steps {
			for _, d := range s.clear {
				if err := os.RemoveAll(d); err != nil {
					return err
				}
			}
			m, err := s.cmd()
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			record(s.name, m)
		}
	}

	med := func(name string) (wall, rss, cpu float64) {
		r := results[name]
		if r == nil {
			return 0, 0, 0
		}
		return median(r.wall), median(r.rss), median(r.cpu)
	}
	fmt.Printf("%d photos (%d distinct) into %d widths (%s) x (WebP + JPEG) q%d; %d runs, median; %d cores, %s, %s/%s\n\n",
		*n, len(srcs), len(widths), joinInts(widths), quality, *runs, runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Printf("WebP encoder: %s\n\n", images.EncoderVersion())
	fmt.Println("| case | Postcard wall | Hugo wall | ratio (target) | Postcard peak RSS | Hugo peak RSS | ratio (target) | Postcard CPU | Hugo CPU |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, c := range []struct {
		name   string
		target float64
	}{{"cold", 0.33}, {"warm", 0.5}} {
		pw, pr, pc := med("postcard " + c.name)
		hw, hr, hc := med("hugo " + c.name)
		wr, rr := "n/a", "n/a"
		if hw > 0 {
			wr = fmt.Sprintf("%.2fx (<= %.2fx) %s", pw/hw, c.target, verdict(pw/hw <= c.target))
			rr = fmt.Sprintf("%.2fx (<= 1x) %s", pr/hr, verdict(pr <= hr))
		}
		fmt.Printf("| %s | %.2f s | %.2f s | %s | %.0f MiB | %.0f MiB | %s | %.2f s | %.2f s |\n", c.name, pw, hw, wr, pr, hr, rr, pc, hc)
	}
	return nil
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

type measure struct {
	wall   time.Duration
	maxRSS int64         // bytes
	cpu    time.Duration // user + system
	stdout string
}

// timeCmd runs a command and returns its wall time and peak memory.
func timeCmd(dir, name string, args ...string) (measure, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stdout strings.Builder
	cmd.Stdout = &stdout
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return measure{}, fmt.Errorf("%v\n%s", err, stderr.String())
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int64(ru.Maxrss) * 1024 // kilobytes on Linux
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return measure{wall: wall, maxRSS: rss, cpu: cpu, stdout: stdout.String()}, nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func joinInts(xs []int) string {
	var s []string
	for _, x := range xs {
		s = append(s, fmt.Sprint(x))
	}
	return strings.Join(s, ", ")
}

// repoRoot finds the repository root (the folder of go.mod).
func repoRoot() (string, error) {
	dir, err := repo.Root()
	if err != nil {
		return "", fmt.Errorf("%w: %s", err, "pass -photos")
	}
	return dir, nil
}

func findHugo() string {
	if p, err := exec.LookPath("hugo"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	p := filepath.Join(gopath, "bin", "hugo")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// makeSite writes a site both tools build: n page bundles, each with one
// photo, and the Hugo configuration and templates that resize them.
func makeSite(dir string, srcs []string, n int) error {
	for i := range n {
		slug := fmt.Sprintf("p%03d", i+1)
		bundle := filepath.Join(dir, "content", "photos", slug)
		if err := os.MkdirAll(bundle, 0o755); err != nil {
			return err
		}
		md := fmt.Sprintf("+++\ntitle = %q\n+++\n", slug)
		if err := os.WriteFile(filepath.Join(bundle, "index.md"), []byte(md), 0o644); err != nil {
			return err
		}
		data, err := os.ReadFile(srcs[i%len(srcs)])
		if err != nil {
			return err
		}
		data = withComment(data, "postcard benchmark copy "+slug)
		if err := os.WriteFile(filepath.Join(bundle, slug+".jpg"), data, 0o644); err != nil {
			return err
		}
	}
	var ops strings.Builder
	for _, w := range widths {
		for _, f := range []string{"webp", "jpg"} {
			fmt.Fprintf(&ops, "{{ with .Resize \"%dx %s q%d\" }}<img src=\"{{ .RelPermalink }}\" width=\"{{ .Width }}\" height=\"{{ .Height }}\">{{ end }}\n", w, f, quality)
		}
	}
	files := map[string]string{
		"hugo.toml": `baseURL = "https://example.org/"
title = "bench"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
resourceDir = "resources"
cacheDir = ` + fmt.Sprintf("%q", filepath.Join(dir, "hugo_cache")) + `
`,
		"layouts/baseof.html":  `<!doctype html><html><body>{{ block "main" . }}{{ end }}</body></html>`,
		"layouts/home.html":    `{{ define "main" }}{{ range .Site.RegularPages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}`,
		"layouts/section.html": `{{ define "main" }}{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}`,
		"layouts/page.html":    "{{ define \"main\" }}{{ range .Resources.ByType \"image\" }}\n" + ops.String() + "{{ end }}{{ end }}",
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// withComment returns a JPEG with a comment segment after its start
// marker: the same pixels in distinct bytes, so that no tool can share work
// between the copies of one photo (Postcard's cache is keyed by content).
func withComment(jpg []byte, text string) []byte {
	if len(jpg) < 2 || jpg[0] != 0xFF || jpg[1] != 0xD8 {
		return jpg
	}
	n := len(text) + 2
	seg := append([]byte{0xFF, 0xFE, byte(n >> 8), byte(n)}, text...)
	out := append([]byte{0xFF, 0xD8}, seg...)
	return append(out, jpg[2:]...)
}

// writeOnly hides the Writer's LinkFile: every file's bytes are read from
// the cache and written, as a sink that cannot link would.
type writeOnly struct{ w *output.Writer }

func (w writeOnly) ConcurrentWrites()                        {}
func (w writeOnly) WriteFile(name string, data []byte) error { return w.w.WriteFile(name, data) }

type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }

// build is the measured Postcard side: it processes every photo of the
// benchmark site the way a Postcard build does.
func build(args []string) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	siteDir := fs.String("site", "", "site folder")
	cacheDir := fs.String("cache", "", "cache folder (absolute)")
	public := fs.String("public", "", "destination folder")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	root, err := os.OpenRoot(*siteDir)
	if err != nil {
		return err
	}
	defer root.Close()
	var reqs []images.Request
	bundles, err := os.ReadDir(filepath.Join(*siteDir, "content", "photos"))
	if err != nil {
		return err
	}
	for _, b := range bundles {
		reqs = append(reqs, images.Request{
			Src: "content/photos/" + b.Name() + "/" + b.Name() + ".jpg",
			Dir: "photos/" + b.Name(),
		})
	}
	p, err := images.New(root, images.Config{
		Widths:   widths,
		Formats:  []string{"webp", "jpeg"},
		Quality:  quality,
		CacheDir: *cacheDir,
	})
	if err != nil {
		return err
	}
	// The files are published as postcard build publishes them: through
	// output.Writer, which links cache files into the destination.
	w, err := output.NewWriter(*public, output.WriteOptions{})
	if err != nil {
		return err
	}
	var sink images.Sink = w
	switch os.Getenv("BENCH_SINK") {
	case "discard": // nothing written: the pipeline alone
		sink = discard{}
	case "write": // bytes written, no links: what a sink without LinkFile costs
		sink = writeOnly{w}
	}
	_, errs := p.Process(context.Background(), reqs, sink)
	if err := w.Close(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if _, err := p.Prune(); err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(p.Stats())
}
