// Command search is the reproducible benchmark of site search: Postcard's
// index against Pagefind's (from npm, the yardstick) on the same synthetic
// showcase of N stories (bench/site's generator), built once by the real
// `postcard build --no-function`.
//
// For each tool it measures the index build time (median of -runs), and,
// driving Chromium on the built site served on 127.0.0.1, the bytes each of
// the three test queries downloads from an empty cache (the decoded sizes
// of the search script and index files, wasm included for Pagefind) and
// whether the results are right (queries.mjs).
//
//	go run ./bench/search -stories 10000 -runs 3
//
// Postcard's index time is generator/search.Build on the stories' text,
// read back from the built story pages (the build has it from its model);
// Pagefind's is the wall time of its command over the same pages (restricted
// to stories/*/index.html), which includes reading and parsing the HTML.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/postcard-ssg/postcard/bench/internal/repo"
	"github.com/postcard-ssg/postcard/generator/search"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench-search:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fl := flag.NewFlagSet("bench-search", flag.ContinueOnError)
	stories := fl.Int("stories", 10000, "stories in the synthetic showcase")
	runs := fl.Int("runs", 3, "runs of each index build; the median is reported")
	keep := fl.String("keep", "", "generate and build the site in this folder and keep it (default: a temporary folder)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	root, err := repo.Root()
	if err != nil {
		return err
	}
	work := *keep
	if work == "" {
		if work, err = os.MkdirTemp("", "postcard-bench-search-"); err != nil {
			return err
		}
		defer os.RemoveAll(work)
	}
	site := filepath.Join(work, "site")
	public := filepath.Join(site, "public")
	bin := filepath.Join(work, "postcard")
	pagefind := filepath.Join(root, "node_modules", ".bin", "pagefind")
	if _, err := os.Stat(pagefind); err != nil {
		return fmt.Errorf("pagefind not found at %s: run npm ci (make bench-search does)", pagefind)
	}
	cmd := func(name string, args ...string) error {
		c := exec.Command(name, args...)
		c.Dir, c.Stdout, c.Stderr = root, os.Stderr, os.Stderr
		return c.Run()
	}
	fmt.Fprintf(os.Stderr, "generating and building %d stories...\n", *stories)
	if err := os.RemoveAll(site); err != nil {
		return err
	}
	if err := cmd("go", "run", "./bench/site", "-generate", site, "-sizes", fmt.Sprint(*stories)); err != nil {
		return err
	}
	if err := cmd("go", "build", "-o", bin, "./cmd/postcard"); err != nil {
		return err
	}
	start := time.Now()
	if err := cmd(bin, "build", "--quiet", "--no-function", "--source", site, "--destination", public); err != nil {
		return err
	}
	buildWall := time.Since(start)

	docs, err := storyDocs(public)
	if err != nil {
		return err
	}
	var pcTimes, pfTimes []float64
	for range *runs {
		start := time.Now()
		if _, err := search.Build(docs, search.Options{Lang: "en", Dir: "search"}); err != nil {
			return err
		}
		pcTimes = append(pcTimes, time.Since(start).Seconds())

		if err := os.RemoveAll(filepath.Join(public, "pagefind")); err != nil {
			return err
		}
		start = time.Now()
		if err := cmd(pagefind, "--site", public, "--glob", "stories/*/index.html", "--silent"); err != nil {
			return fmt.Errorf("pagefind: %w", err)
		}
		pfTimes = append(pfTimes, time.Since(start).Seconds())
	}
	pfVersion, _ := exec.Command(pagefind, "--version").Output()

	fmt.Fprintln(os.Stderr, "querying in Chromium...")
	var out bytes.Buffer
	q := exec.Command("node", "bench/search/queries.mjs", site)
	q.Dir, q.Stdout, q.Stderr = root, &out, os.Stderr
	if err := q.Run(); err != nil {
		return fmt.Errorf("queries.mjs: %w", err)
	}

	fmt.Printf("%s; %d stories; %d cores (shared: the load average was %s), %s; postcard build --no-function %.1f s; %s\n\n",
		time.Now().Format(time.DateOnly), len(docs), runtime.NumCPU(), loadavg(), runtime.Version(), buildWall.Seconds(), strings.TrimSpace(string(pfVersion)))
	fmt.Printf("Index build, median of %d: Postcard %.2f s (generator/search.Build), Pagefind %.2f s (its command, HTML parsing included).\n\n", *runs, median(pcTimes), median(pfTimes))
	fmt.Print(out.String())
	return nil
}

// storyDocs reads the stories back from the built pages: the title from
// <h1>, the text of <main>.
func storyDocs(public string) ([]search.Doc, error) {
	var docs []search.Doc
	err := filepath.WalkDir(filepath.Join(public, "stories"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "index.html" {
			return err
		}
		rel, _ := filepath.Rel(public, p)
		if strings.Count(filepath.ToSlash(rel), "/") != 2 {
			return nil // the gallery's pages
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		title, text := pageText(b)
		docs = append(docs, search.Doc{URL: "/" + filepath.ToSlash(filepath.Dir(rel)) + "/", Title: title, Body: text, Excerpt: text[:min(140, len(text))]})
		return nil
	})
	slices.SortFunc(docs, func(a, b search.Doc) int { return strings.Compare(a.URL, b.URL) })
	return docs, err
}

func pageText(b []byte) (title, text string) {
	z := html.NewTokenizer(bytes.NewReader(b))
	var inMain, inH1 int
	var t, h strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return h.String(), t.String()
		case html.StartTagToken:
			switch name, _ := z.TagName(); string(name) {
			case "main":
				inMain++
			case "h1":
				inH1++
			}
		case html.EndTagToken:
			switch name, _ := z.TagName(); string(name) {
			case "main":
				inMain--
			case "h1":
				inH1--
			}
		case html.TextToken:
			if inH1 > 0 {
				h.Write(z.Text())
			}
			if inMain > 0 {
				t.Write(z.Text())
				t.WriteByte(' ')
			}
		}
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}
