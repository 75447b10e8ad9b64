package build

// Incremental builds. `postcard build` keeps, in the build cache, what it
// needs to build the same destination again without rendering every page:
// what each page showed (render.Stats.Shown), a stamp of each story's
// files, and one key for everything else the site is made of. The next
// build into that destination re-renders only the pages that show a
// changed, added or removed story, or whose lists moved (render.Since, as
// the dev server's rebuilds do), and keeps the other pages' files as they
// are. It does so only when everything else is as it was:
//
//   - every file of the site outside content/stories/ (site.toml, layouts,
//     themes, assets, static files, translation strings, ambassadors,
//     contests, pages), by path, size and modification time;
//   - Postcard itself (its version and its executable's size and time: a
//     new Postcard may render differently) and the build's options
//     (--base-url, --drafts, --results and that file);
//   - each contest's phase at the build's clock (a closing vote changes
//     the pages of its entries);
//   - every HTML file of the last build, still in the destination as the
//     destination's record says (a page edited or deleted by hand is made
//     again).
//
// Anything else is a full render, which is always correct. Feeds, search
// indexes, the sitemap, the home page and the indexes are rendered on
// every build (render.Since leaves out only pages that list their
// stories). The state is removed when a build starts and written when it
// has finished, so a build that stopped halfway is followed by a full one.

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/generator/output"
	"github.com/postcard-ssg/postcard/generator/render"
	"github.com/postcard-ssg/postcard/generator/site"
)

// stateVersion changes whenever pageState or what it stamps changes.
const stateVersion = "postcard-pages/2"

// pageState is what an incremental build keeps of the last build into a
// destination.
type pageState struct {
	Version string
	// Key sums up everything but the stories (see the package comment
	// above), contests' phases included.
	Key string
	// Stories are the stamps of each story's files, by slug.
	Stories map[string]string
	// Shown is the last render's render.Stats.Shown.
	Shown map[string]string
	// Pages are the HTML and XML files the last build left in the
	// destination: what render.Since may leave out.
	Pages []string
}

// incremental is an incremental build in progress: the last build's state,
// if any, and this build's stamps.
type incremental struct {
	path    string // the state file
	prev    *pageState
	files   string            // the key without the contests' phases
	stories map[string]string // this build's story stamps
	key     string            // set by since
	// full says why the build renders every page, for tests and
	// --verbose: "" when it renders only what changed.
	full string
}

// startIncremental reads the state of the last build into dest and stamps
// the site in o.Source, removing the state until this build has finished.
// It returns nil when the build cache is off.
func startIncremental(o Options, dest, exe string) (*incremental, error) {
	if o.NoCache {
		return nil, nil
	}
	sum := sha256.Sum256([]byte(dest))
	in := &incremental{path: filepath.Join(o.Source, CacheDir, "pages-"+hex.EncodeToString(sum[:8])+".gob")}
	if data, err := os.ReadFile(in.path); err == nil {
		var st pageState
		if gob.NewDecoder(bytes.NewReader(data)).Decode(&st) == nil && st.Version == stateVersion {
			in.prev = &st
		}
		if err := os.Remove(in.path); err != nil {
			return nil, fmt.Errorf("build cache: %w", err)
		}
	}
	if in.prev == nil {
		in.full = "no earlier build into this destination"
	}
	files, stories, err := stampSite(o.Source, dest)
	if err != nil {
		return nil, fmt.Errorf("build cache: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%t\x00%s\x00", stateVersion, o.Version, o.BaseURL, o.Drafts, files)
	for _, p := range []string{exe, o.Results} {
		fmt.Fprintf(h, "%s\x00%s\x00", p, stamp(p))
	}
	in.files = hex.EncodeToString(h.Sum(nil))
	in.stories = stories
	return in, nil
}

// stamp is a file's size and modification time, or "" when it cannot be
// read.
func stamp(p string) string {
	if p == "" {
		return ""
	}
	st, err := os.Stat(p)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d:%d", st.Size(), st.ModTime().UnixNano())
}

// stampSite stamps every file of the site in dir by path, size and time:
// those of each story, by slug, and the others together. The destination,
// the build cache, functions-dist/, .git and node_modules are not the
// site's sources.
func stampSite(dir, dest string) (string, map[string]string, error) {
	skip := map[string]bool{
		filepath.Clean(dest):               true,
		filepath.Join(dir, CacheDir):       true,
		filepath.Join(dir, vote.DistDir):   true,
		filepath.Join(dir, ".git"):         true,
		filepath.Join(dir, "node_modules"): true,
	}
	others := sha256.New()
	perStory := map[string]*bytes.Buffer{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if skip[p] {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			// A folder's time moves with its entries (the build cache's
			// first folder, say); its files carry the stamps.
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		line := fmt.Sprintf("%s\x00%d\x00%d\x00%s\n", rel, info.Size(), info.ModTime().UnixNano(), info.Mode())
		if slug, ok := storyOf(rel); ok {
			b := perStory[slug]
			if b == nil {
				b = &bytes.Buffer{}
				perStory[slug] = b
			}
			b.WriteString(line)
			return nil
		}
		others.Write([]byte(line))
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	stories := make(map[string]string, len(perStory))
	for slug, b := range perStory {
		sum := sha256.Sum256(b.Bytes())
		stories[slug] = string(sum[:16])
	}
	return hex.EncodeToString(others.Sum(nil)), stories, nil
}

// since decides, once the model is built, what this build renders: nil
// for every page, or the render.Since of the pages that can have changed.
func (in *incremental) since(sites []*site.Site, files sink) *render.Since {
	h := sha256.New()
	h.Write([]byte(in.files))
	for _, c := range sites[0].Contests {
		fmt.Fprintf(h, "\x00%s=%s", c.URL, c.Phase(sites[0].Now))
	}
	in.key = hex.EncodeToString(h.Sum(nil))
	if in.prev == nil {
		return nil
	}
	if in.prev.Key != in.key {
		in.full = "the site's settings, theme, other content, options, contests' phases or Postcard changed"
		return nil
	}
	w, ok := files.(*output.Writer)
	if !ok || len(in.prev.Pages) == 0 || !w.Intact(in.prev.Pages) {
		in.full = "a page in the destination is not as the last build left it"
		return nil
	}
	changed := map[string]bool{}
	for slug, s := range in.stories {
		if in.prev.Stories[slug] != s {
			changed[slug] = true
		}
	}
	for slug := range in.prev.Stories {
		if _, ok := in.stories[slug]; !ok {
			changed[slug] = true
		}
	}
	return &render.Since{Shown: in.prev.Shown, Changed: changed, Layouts: map[string]bool{}}
}

// finish writes the state of a build that has finished, which left the
// files names in the destination.
func (in *incremental) finish(shown map[string]string, names []string) error {
	if in.key == "" || shown == nil {
		return nil
	}
	var pages []string
	for _, n := range names {
		// What render.Since may leave out: pages and sitemaps.
		if strings.HasSuffix(n, ".html") || strings.HasSuffix(n, ".xml") {
			pages = append(pages, n)
		}
	}
	st := pageState{Version: stateVersion, Key: in.key, Stories: in.stories, Shown: shown, Pages: pages}
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(&st); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(in.path), 0o755); err != nil {
		return fmt.Errorf("build cache: %w", err)
	}
	tmp := in.path + ".tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("build cache: %w", err)
	}
	if err := os.Rename(tmp, in.path); err != nil {
		return errors.Join(fmt.Errorf("build cache: %w", err), os.Remove(tmp))
	}
	return nil
}
