package submissions

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
)

// Forgotten is what Forget did, and what is left for an editor to do.
type Forgotten struct {
	Receipts []string // deleted from the store
	// Files are the content/ files of the pulled stories: the story and
	// every file of its bundle, to delete or unpublish.
	Files []string
	// Entries are the contest entries among those stories, as
	// "contest/story", and the contest files naming them (as winners).
	Entries []string
}

// Forget deletes from the store the submission with the receipt, or every
// submission credited to contributor (exactly that name), with their media,
// consent and contact, and lists what content/ still holds of them.
func Forget(ctx context.Context, store vote.SubmissionStore, fsys fs.FS, receipt, contributor string) (Forgotten, error) {
	var out Forgotten
	var receipts []string
	switch {
	case receipt != "" && contributor != "":
		return out, fmt.Errorf("give --receipt or --contributor, not both")
	case receipt != "":
		receipts = []string{receipt}
	case contributor != "":
		all, err := store.Submissions(ctx, "")
		if err != nil {
			return out, err
		}
		for _, s := range all {
			if strings.TrimSpace(s.Name) == strings.TrimSpace(contributor) {
				receipts = append(receipts, s.Receipt)
			}
		}
	default:
		return out, fmt.Errorf("give --receipt ID or --contributor NAME")
	}
	for _, r := range receipts {
		found, err := store.Forget(ctx, r)
		if err != nil {
			return out, err
		}
		if found {
			out.Receipts = append(out.Receipts, r)
		}
		if file := findReceipt(fsys, r); file != "" {
			out.Files = append(out.Files, bundleFiles(fsys, file)...)
			out.Entries = append(out.Entries, contestEntries(fsys, file)...)
		}
	}
	if receipt != "" && len(out.Receipts) == 0 && len(out.Files) == 0 {
		return out, vote.Errorf(vote.NotFound, "no submission %q in the store or in content/", receipt)
	}
	return out, nil
}

// bundleFiles lists a story file and, for a bundle, every file beside it.
func bundleFiles(fsys fs.FS, file string) []string {
	if path.Base(file) != "index.md" {
		return []string{file}
	}
	var out []string
	fs.WalkDir(fsys, path.Dir(file), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// contestEntries names the contest a story entered and the contest files
// that name the story (its winners).
func contestEntries(fsys fs.FS, file string) []string {
	b, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil
	}
	slug := path.Base(path.Dir(file))
	if path.Base(file) != "index.md" {
		slug = strings.TrimSuffix(path.Base(file), ".md")
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			k, v, ok = strings.Cut(line, ":")
		}
		if ok && strings.TrimSpace(k) == "contest" {
			contest := strings.Trim(strings.TrimSpace(v), `"'`)
			out = append(out, contest+"/"+slug)
			break
		}
	}
	entries, _ := fs.ReadDir(fsys, "content/contests")
	for _, e := range entries {
		f := path.Join("content/contests", e.Name())
		if e.IsDir() {
			f = path.Join(f, "index.md")
		}
		if c, err := fs.ReadFile(fsys, f); err == nil && (strings.Contains(string(c), `"`+slug+`"`) || strings.Contains(string(c), ": "+slug)) {
			out = append(out, f+" names "+slug)
		}
	}
	return out
}

// Purge deletes, for what is older than age at now: contacts, the media
// of pulled and rejected submissions, and expired form tokens.
func Purge(ctx context.Context, store vote.SubmissionStore, age time.Duration, now time.Time) (vote.PurgeReport, error) {
	return store.Purge(ctx, now.Add(-age))
}
