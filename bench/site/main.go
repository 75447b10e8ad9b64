// Command site is the reproducible benchmark of a whole showcase build,
// Postcard against Hugo: it generates a deterministic synthetic showcase
// of N stories (realistic Markdown of about 600 words, ambassadors,
// contests, places and tags with a Zipf-like spread), writes it once as a
// Postcard site and once as the equivalent Hugo site (the theme committed
// in hugo/: the same pages, paginated lists, term pages, feeds and sitemap,
// with markup of comparable weight), and times the real `postcard build`
// binary, built from the working tree, against Hugo.
//
// Each size is built clean (a first build: empty destination, no caches),
// cold (empty destination, each tool's cache kept, as after a deploy from
// a CI cache: Postcard's .postcard-cache, Hugo's resources/_gen and cache
// folder, made by a first build that is not counted when the site has
// none), warm (nothing changed, destination present) and with one story
// edited. With -photo-site, a site of 100 stories with a cover photo on
// every story is also built (warm by default) by both tools, each
// processing the covers: the Hugo layouts in hugo/ make the widths and
// formats Postcard's theme makes. The tools alternate run by run; each
// build is its own process, and wall time, CPU time (user + system) and
// peak RSS come from the child's rusage. The medians go to a Markdown
// table for BENCHMARKS.md.
//
// A clean or cold run needs the destination gone. The harness renames it
// (and, for clean, the caches) into a folder of its own, times the build,
// and removes what it set aside only when the size's runs are done. It
// does not delete it just before the timed build: on ext4, a folder made
// in the minutes after tens of thousands of files were deleted costs far
// more to fill, as the inode allocator passes over the inodes it freed
// recently (the kernel's recently_deleted, in find_inode_bit), which
// charged up to 15 s of system CPU to the build that followed the
// harness's own delete. -delete-before measures the old way.
//
//	go run ./bench/site -sizes 1000,10000 -runs 3
//	go run ./bench/site -sizes "" -photo-site ../shared/photos -runs 5
//
// It lives outside the unit tests because a timed assertion in a test is
// flaky by design.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/postcard-ssg/postcard/bench/internal/repo"
)

// hugoVersion is the Hugo release the figures are taken against.
const hugoVersion = "v0.160.0"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench-site:", err)
		os.Exit(1)
	}
}

type options struct {
	sizes     []int
	runs      int
	photos    string
	every     int
	photoSite string
	photoN    int
	photoScen []string
	// siteSuffix tells a size's site folders apart from another site of
	// the same size (the photo site's).
	siteSuffix string
	keep       string
	hugo       string
	timeout    time.Duration
	function   bool
	seed       uint64
	skipHugo   bool
	scenarios  []string
	generate   string
	// generateHugo is where -generate also writes the Hugo site.
	generateHugo string
	// deleteBefore deletes the destination just before a clean or cold
	// build, rather than setting it aside (see the package comment).
	deleteBefore bool
}

func run(args []string) error {
	fl := flag.NewFlagSet("bench-site", flag.ContinueOnError)
	sizes := fl.String("sizes", "1000,10000,50000", "comma-separated numbers of stories (\"\" for none, with -photo-site to time only the photo site)")
	var o options
	fl.IntVar(&o.runs, "runs", 3, "runs of each scenario; the median is reported")
	fl.StringVar(&o.photos, "photos", "", "folder of .jpg photos: every fourth story gets one as its cover (default: text only)")
	fl.IntVar(&o.every, "cover-every", 4, "with -photos, give every `k`-th story a cover (1: every story, e.g. -sizes 100 -cover-every 1 for a 100-photo site)")
	fl.StringVar(&o.photoSite, "photo-site", "", "folder of .jpg photos: also time a site with one on every story, each tool processing the covers (its own cover widths in WebP and JPEG, a placeholder and a 1200x630 social image; warm builds by default)")
	fl.IntVar(&o.photoN, "photo-stories", 100, "stories of the -photo-site site")
	photoScen := fl.String("photo-scenarios", "warm", "scenarios of the -photo-site site, as -scenarios")
	fl.StringVar(&o.keep, "keep", "", "generate the sites in this folder and keep them (default: a temporary folder, removed afterwards)")
	fl.StringVar(&o.hugo, "hugo", "", "hugo binary (default: hugo "+hugoVersion+" on PATH or in $GOPATH/bin, installed there with go install if missing)")
	fl.DurationVar(&o.timeout, "timeout", 15*time.Minute, "limit of one build")
	fl.BoolVar(&o.function, "function", false, "also compile the voting function (postcard build without --no-function)")
	fl.Uint64Var(&o.seed, "seed", 1, "seed of the synthetic showcase")
	fl.BoolVar(&o.skipHugo, "skip-hugo", false, "measure Postcard only")
	scen := fl.String("scenarios", "clean,cold,warm,edit", "scenarios to run, in order: clean (no destination, no caches), cold (no destination, caches kept), warm, edit")
	fl.BoolVar(&o.deleteBefore, "delete-before", false, "delete the destination just before each clean or cold build, rather than renaming it aside and deleting it after the size's runs")
	fl.StringVar(&o.generate, "generate", "", "only write the Postcard site of the first size into this folder, and build nothing (for the browser tests)")
	fl.StringVar(&o.generateHugo, "generate-hugo", "", "with -generate, also write the equivalent Hugo site into this folder (for bench/serve)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if strings.TrimSpace(*sizes) != "" {
		for _, s := range strings.Split(*sizes, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 1 {
				return fmt.Errorf("bad size %q", s)
			}
			o.sizes = append(o.sizes, n)
		}
	}
	var err error
	if o.scenarios, err = parseScenarios(*scen); err != nil {
		return err
	}
	if o.photoScen, err = parseScenarios(*photoScen); err != nil {
		return err
	}
	if o.runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	if o.every < 1 {
		return errors.New("-cover-every must be at least 1")
	}
	if len(o.sizes) == 0 && (o.photoSite == "" || o.generate != "") {
		return errors.New("-sizes is empty: give a size, or -photo-site to time only the photo site")
	}
	var photos []string
	if o.photos != "" {
		if photos, err = filepath.Glob(filepath.Join(o.photos, "*.jpg")); err != nil || len(photos) == 0 {
			return fmt.Errorf("no .jpg photos in %s", o.photos)
		}
		slices.Sort(photos)
	}
	if o.generate != "" {
		sc := generate(o.sizes[0], o.seed, photos, o.every)
		if o.generateHugo != "" {
			if err := writeHugo(o.generateHugo, sc); err != nil {
				return err
			}
		}
		return writePostcard(o.generate, sc)
	}

	root, err := repoRoot()
	if err != nil {
		return err
	}
	work := o.keep
	if work == "" {
		if work, err = os.MkdirTemp("", "postcard-bench-site-"); err != nil {
			return err
		}
		defer os.RemoveAll(work)
	}
	if !o.skipHugo && o.hugo == "" {
		if o.hugo, err = installHugo(); err != nil {
			return err
		}
	}

	// Measure what users run: the postcard command, built from this tree.
	bin := filepath.Join(work, "bin", "postcard")
	fmt.Fprintln(os.Stderr, "building postcard...")
	build := exec.Command("go", "build", "-o", bin, "./cmd/postcard")
	build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build ./cmd/postcard: %w", err)
	}
	env := os.Environ()
	if os.Getenv("POSTCARD_SASS") == "" {
		// The theme's SCSS needs Dart Sass; the generated sites live
		// outside the repository, so point them at its node_modules.
		sass := filepath.Join(root, "node_modules", "sass-embedded-"+runtime.GOOS+"-"+nodeArch(), "dart-sass", "sass")
		if _, err := os.Stat(sass); err != nil {
			return fmt.Errorf("dart sass not found at %s: run npm ci (make bench-site does) or set POSTCARD_SASS", sass)
		}
		env = append(env, "POSTCARD_SASS="+sass)
	}

	fmt.Fprintf(os.Stderr, "load average before: %s\n", loadavg())
	var rows []row
	for _, n := range o.sizes {
		r, err := benchSize(o, n, work, bin, env, photos, root)
		if err != nil {
			return fmt.Errorf("%d stories: %w", n, err)
		}
		rows = append(rows, r...)
		// A size's rows as soon as it is done, for long runs.
		for _, r := range r {
			fmt.Fprintf(os.Stderr, "%s\n", r)
		}
		fmt.Fprintf(os.Stderr, "load average: %s\n", loadavg())
	}
	if o.photoSite != "" {
		ph, err := filepath.Glob(filepath.Join(o.photoSite, "*.jpg"))
		if err != nil || len(ph) == 0 {
			return fmt.Errorf("no .jpg photos in %s", o.photoSite)
		}
		slices.Sort(ph)
		po := o
		po.every, po.scenarios, po.siteSuffix = 1, o.photoScen, "-photos"
		r, err := benchSize(po, o.photoN, work, bin, env, ph, root)
		if err != nil {
			return fmt.Errorf("photo site: %w", err)
		}
		for i := range r {
			r[i].scenario += ", a photo on every story"
			r[i].photo = true
			fmt.Fprintf(os.Stderr, "%s\n", r[i])
		}
		rows = append(rows, r...)
	}
	fmt.Fprintf(os.Stderr, "load average after: %s\n", loadavg())

	hv := "skipped"
	if !o.skipHugo {
		if out, err := exec.Command(o.hugo, "version").Output(); err == nil {
			hv = strings.TrimSpace(string(out))
		}
	}
	fn := "--no-function"
	if o.function {
		fn = "with the voting function"
	}
	fmt.Printf("%s; %d runs, median; %d cores, %s, %s/%s; postcard build %s; %s\n\n", time.Now().Format(time.DateOnly), o.runs, runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH, fn, hv)
	fmt.Println("| stories | scenario | Postcard wall | CPU | peak RSS | Hugo wall | CPU | peak RSS | wall ratio | CPU ratio | RSS ratio | pages (Postcard / Hugo) |")
	fmt.Println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		fmt.Println(r.String())
	}
	fmt.Println()
	// Growth: a size's build against the one a fifth of it (50k against
	// 10k), scenario by scenario, for the target of no quadratic step.
	for _, r := range rows {
		for _, base := range rows {
			if base.scenario == r.scenario && base.n*5 == r.n && base.p.wall > 0 {
				fmt.Printf("%d stories cost %.2fx the wall time and %.2fx the CPU time of %d (%s)\n", r.n, r.p.wall/base.p.wall, r.p.cpu/base.p.cpu, base.n, r.scenario)
			}
		}
	}
	photoShown := false // the photo site's output, described once
	for _, r := range rows {
		if r.scenario == "cold" || len(rows) == 1 || r.photo && !photoShown {
			photoShown = photoShown || r.photo
			site := fmt.Sprintf("%d stories", r.n)
			if r.photo {
				site += ", a photo on every story"
			}
			fmt.Printf("%s: HTML pages %d / %d (%+.1f %%), HTML bytes %s / %s, a story page %s / %s, output files %d / %d\n",
				site, r.p.pages, r.h.pages, pct(r.h.pages, r.p.pages), size(r.p.htmlBytes), size(r.h.htmlBytes), size(r.p.storyBytes), size(r.h.storyBytes), r.p.files, r.h.files)
		}
	}
	return nil
}

// row is one size and scenario: the medians of both tools.
type row struct {
	n        int
	scenario string
	photo    bool // the -photo-site site
	p, h     summary
}

// parseScenarios reads a comma-separated list of scenarios.
func parseScenarios(list string) ([]string, error) {
	out := strings.Split(list, ",")
	for i, s := range out {
		out[i] = strings.TrimSpace(s)
		if s := out[i]; s != "clean" && s != "cold" && s != "warm" && s != "edit" {
			return nil, fmt.Errorf("unknown scenario %q", s)
		}
	}
	return out, nil
}

type summary struct {
	wall, cpu, rss float64 // seconds, seconds, MiB
	runs           []measure
	pages, files   int
	htmlBytes      int64
	storyBytes     int64
}

func (r row) String() string {
	ratio := func(a, b float64) string {
		if b == 0 {
			return "n/a"
		}
		return fmt.Sprintf("%.2fx", a/b)
	}
	return fmt.Sprintf("| %d | %s | %.2f s | %.2f s | %.0f MiB | %.2f s | %.2f s | %.0f MiB | %s | %s | %s | %d / %d |",
		r.n, r.scenario, r.p.wall, r.p.cpu, r.p.rss, r.h.wall, r.h.cpu, r.h.rss, ratio(r.p.wall, r.h.wall), ratio(r.p.cpu, r.h.cpu), ratio(r.p.rss, r.h.rss), r.p.pages, r.h.pages)
}

// benchSize generates the two sites of n stories and runs every scenario.
func benchSize(o options, n int, work, bin string, env []string, photos []string, root string) ([]row, error) {
	start := time.Now()
	sc := generate(n, o.seed, photos, o.every)
	pDir := filepath.Join(work, fmt.Sprintf("postcard-%d%s", n, o.siteSuffix))
	hDir := filepath.Join(work, fmt.Sprintf("hugo-%d%s", n, o.siteSuffix))
	for _, d := range []string{pDir, hDir} {
		if err := os.RemoveAll(d); err != nil {
			return nil, err
		}
	}
	if err := writePostcard(pDir, sc); err != nil {
		return nil, err
	}
	if o.function {
		// The function is compiled from Postcard's source, which a site
		// finds through its go.mod.
		gomod := fmt.Sprintf("module example.org/showcase\n\ngo 1.26\n\nrequire github.com/postcard-ssg/postcard v0.0.0\n\nreplace github.com/postcard-ssg/postcard => %s\n", root)
		if err := os.WriteFile(filepath.Join(pDir, "go.mod"), []byte(gomod), 0o644); err != nil {
			return nil, err
		}
	}
	if err := writeHugo(hDir, sc); err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "%d stories: generated in %.1f s\n", n, time.Since(start).Seconds())

	edited := sc.stories[len(sc.stories)/2]
	pPublic, hPublic := filepath.Join(pDir, "public"), filepath.Join(hDir, "public")
	postcardArgs := []string{"build", "--quiet", "--source", pDir, "--destination", pPublic}
	if !o.function {
		postcardArgs = append(postcardArgs, "--no-function")
	}
	aside := filepath.Join(work, fmt.Sprintf("aside-%d%s", n, o.siteSuffix))
	defer os.RemoveAll(aside)
	if o.deleteBefore {
		aside = ""
	}
	tools := []tool{
		{
			name: "postcard", dir: pDir, public: pPublic, bin: bin, args: postcardArgs, env: env, aside: aside,
			caches:    []string{filepath.Join(pDir, ".postcard-cache"), filepath.Join(pDir, "functions-dist")},
			storyFile: filepath.Join(pDir, filepath.FromSlash(postcardStoryPath(edited))),
		},
		{
			name: "hugo", dir: hDir, public: hPublic, bin: o.hugo, aside: aside,
			args:      []string{"--quiet", "--source", hDir, "--destination", hPublic, "--cacheDir", filepath.Join(hDir, "hugo_cache")},
			caches:    []string{filepath.Join(hDir, "resources", "_gen"), filepath.Join(hDir, "hugo_cache")},
			storyFile: filepath.Join(hDir, filepath.FromSlash(hugoStoryPath(edited))),
		},
	}
	if o.skipHugo {
		tools = tools[:1]
	}
	results := map[string]*summary{}
	for i := range o.runs {
		// Alternate which tool goes first, run by run.
		order := slices.Clone(tools)
		if i%2 == 1 {
			slices.Reverse(order)
		}
		for _, sc := range o.scenarios {
			for _, t := range order {
				m, err := t.scenario(sc, edited.editSentence, o.timeout)
				if err != nil {
					return nil, fmt.Errorf("%s %s: %w", t.name, sc, err)
				}
				fmt.Fprintf(os.Stderr, "  %d %-8s %-4s run %d: %7.2f s wall %7.2f s CPU %6.0f MiB\n", n, t.name, sc, i+1, m.wall.Seconds(), m.cpu.Seconds(), float64(m.maxRSS)/(1<<20))
				key := t.name + " " + sc
				s := results[key]
				if s == nil {
					s = &summary{}
					results[key] = s
				}
				s.runs = append(s.runs, m)
				if s.pages == 0 {
					if err := s.count(t.public, edited.slug); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	var rows []row
	for _, sc := range o.scenarios {
		r := row{n: n, scenario: sc}
		if s := results["postcard "+sc]; s != nil {
			r.p = s.medians()
		}
		if s := results["hugo "+sc]; s != nil {
			r.h = s.medians()
		}
		rows = append(rows, r)
	}
	if slices.Contains(o.scenarios, "cold") {
		// What a cold build cannot go below on this disk, now (floor.go).
		dir := filepath.Join(work, fmt.Sprintf("floor-%d", n))
		m, files, err := fileFloor(pPublic, dir)
		err = errors.Join(err, os.RemoveAll(dir))
		if err != nil {
			return nil, fmt.Errorf("file creation floor: %w", err)
		}
		fmt.Fprintf(os.Stderr, "  %d creating Postcard's %d files alone: %.2f s wall %.2f s CPU\n", n, files, m.wall.Seconds(), m.cpu.Seconds())
		rows = append(rows, row{n: n, scenario: fmt.Sprintf("floor: Postcard's %d files created, nothing rendered", files), p: summary{wall: m.wall.Seconds(), cpu: m.cpu.Seconds()}})
	}
	fmt.Fprintf(os.Stderr, "%d stories: done in %.0f s\n", n, time.Since(start).Seconds())
	return rows, nil
}

// tool is one generator set up on its copy of the showcase.
type tool struct {
	name, dir, public, bin string
	args, env              []string
	caches                 []string
	storyFile              string
	// aside is where a clean or cold run moves the destination (and
	// caches) to, for the size's end to remove; "" deletes them at once.
	aside string
}

// scenario prepares the site for a scenario and times one build.
func (t tool) scenario(name, sentence string, timeout time.Duration) (measure, error) {
	switch name {
	case "clean", "cold":
		if name == "cold" && !t.primed() {
			// A cold build keeps the tool's cache, which the site a
			// size starts with has none of: make it with a first build,
			// shown but not counted, as a warm one does.
			m, err := timeCmd(t.dir, t.env, timeout, t.bin, t.args...)
			if err != nil {
				return measure{}, err
			}
			fmt.Fprintf(os.Stderr, "  %-8s first build, not counted: %7.2f s wall %7.2f s CPU %6.0f MiB\n", t.name, m.wall.Seconds(), m.cpu.Seconds(), float64(m.maxRSS)/(1<<20))
		}
		remove := []string{t.public}
		if name == "clean" {
			remove = append(remove, t.caches...)
		}
		for _, d := range remove {
			if err := t.setAside(d); err != nil {
				return measure{}, err
			}
		}
	case "warm", "edit":
		if _, err := os.Stat(t.public); err != nil {
			// Warm builds follow a build; make one if none ran. Its
			// time, a first build's, is shown but not counted.
			m, err := timeCmd(t.dir, t.env, timeout, t.bin, t.args...)
			if err != nil {
				return measure{}, err
			}
			fmt.Fprintf(os.Stderr, "  %-8s first build, not counted: %7.2f s wall %7.2f s CPU %6.0f MiB\n", t.name, m.wall.Seconds(), m.cpu.Seconds(), float64(m.maxRSS)/(1<<20))
		}
	}
	if name != "edit" {
		return timeCmd(t.dir, t.env, timeout, t.bin, t.args...)
	}
	orig, err := os.ReadFile(t.storyFile)
	if err != nil {
		return measure{}, err
	}
	if err := os.WriteFile(t.storyFile, append(slices.Clone(orig), sentence...), 0o644); err != nil {
		return measure{}, err
	}
	m, err := timeCmd(t.dir, t.env, timeout, t.bin, t.args...)
	// Restore the story; the next build sees it changed back, which the
	// scenario order (clean or cold first) makes harmless.
	if werr := os.WriteFile(t.storyFile, orig, 0o644); err == nil {
		err = werr
	}
	return m, err
}

// primed reports whether a build has left the tool's cache.
func (t tool) primed() bool {
	for _, c := range t.caches {
		if _, err := os.Stat(c); err == nil {
			return true
		}
	}
	return false
}

// setAside removes d from where the build looks: into t.aside, under a
// name of its own, or deleted when t.aside is "".
func (t tool) setAside(d string) error {
	if t.aside == "" {
		return os.RemoveAll(d)
	}
	if _, err := os.Lstat(d); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err := os.MkdirAll(t.aside, 0o755); err != nil {
		return err
	}
	to, err := os.MkdirTemp(t.aside, t.name+"-")
	if err != nil {
		return err
	}
	return os.Rename(d, filepath.Join(to, filepath.Base(d)))
}

// medians summarises the runs.
func (s *summary) medians() summary {
	out := *s
	var wall, cpu, rss []float64
	for _, m := range s.runs {
		wall = append(wall, m.wall.Seconds())
		cpu = append(cpu, m.cpu.Seconds())
		rss = append(rss, float64(m.maxRSS)/(1<<20))
	}
	out.wall, out.cpu, out.rss = median(wall), median(cpu), median(rss)
	return out
}

// count records the output's HTML pages, their bytes and one story page's
// size.
func (s *summary) count(public, slug string) error {
	err := filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		s.files++
		if strings.HasSuffix(p, ".html") {
			s.pages++
			info, err := d.Info()
			if err != nil {
				return err
			}
			s.htmlBytes += info.Size()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if info, err := os.Stat(filepath.Join(public, "stories", slug, "index.html")); err == nil {
		s.storyBytes = info.Size()
	}
	return nil
}

type measure struct {
	wall   time.Duration
	maxRSS int64         // bytes
	cpu    time.Duration // user + system
}

// timeCmd runs a command in its own process, bounded by timeout, and
// returns its wall time, CPU time and peak memory.
func timeCmd(dir string, env []string, timeout time.Duration, name string, args ...string) (measure, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if ctx.Err() != nil {
		return measure{}, fmt.Errorf("no result after %v", timeout)
	}
	if err != nil {
		return measure{}, fmt.Errorf("%v\n%s", err, tail(out.String(), 4000))
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int64(ru.Maxrss) * 1024 // kilobytes on Linux
	}
	return measure{wall: wall, maxRSS: rss, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}, nil
}

// installHugo finds hugo at hugoVersion on PATH or in the Go bin folder,
// or installs it there with go install (as bench/images/run.sh does).
func installHugo() (string, error) {
	gobin, err := exec.Command("go", "env", "GOBIN").Output()
	if err != nil {
		return "", err
	}
	dir := strings.TrimSpace(string(gobin))
	if dir == "" {
		gopath, err := exec.Command("go", "env", "GOPATH").Output()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(strings.TrimSpace(string(gopath)), "bin")
	}
	candidates := []string{filepath.Join(dir, "hugo")}
	if p, err := exec.LookPath("hugo"); err == nil {
		candidates = append([]string{p}, candidates...)
	}
	for _, p := range candidates {
		if out, err := exec.Command(p, "version").Output(); err == nil && strings.Contains(string(out), hugoVersion) {
			return p, nil
		}
	}
	fmt.Fprintf(os.Stderr, "installing hugo %s (a few minutes)...\n", hugoVersion)
	cmd := exec.Command("go", "install", "github.com/gohugoio/hugo@"+hugoVersion)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go install hugo: %w", err)
	}
	return filepath.Join(dir, "hugo"), nil
}

// repoRoot finds the repository root (the folder of go.mod).
func repoRoot() (string, error) {
	dir, err := repo.Root()
	if err != nil {
		return "", fmt.Errorf("%w: %s", err, "run from Postcard's repository")
	}
	return dir, nil
}

func nodeArch() string {
	if runtime.GOARCH == "amd64" {
		return "x64"
	}
	return runtime.GOARCH
}

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a-b) / float64(b)
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
