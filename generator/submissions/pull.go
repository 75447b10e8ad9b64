package submissions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/generator/config"
	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/images"
)

// Pulled is one submission written into content/.
type Pulled struct {
	Receipt    string
	Story      string   // content/stories/<slug>/index.md
	Files      []string // the bundle's other files
	Ambassador string   // content/ambassadors/<slug>.md, written for a new contributor
	Hint       string   // an existing ambassador with a similar name, for the editor
	Already    bool     // it was in content/ already (an interrupted pull): only marked pulled
}

// Pull writes every new submission of the store into the site in root as
// content/stories/<slug>/index.md with its photos, status "submitted",
// and marks it pulled. It never overwrites a folder or a file: a taken
// slug gets a number. A submission already in content/ (found by its
// receipt, as after an interrupted pull) is only marked pulled, so
// running Pull twice writes nothing twice.
func Pull(ctx context.Context, store vote.SubmissionStore, root *os.Root, now time.Time) ([]Pulled, error) {
	cfg, err := config.Load(root.FS())
	if err != nil {
		return nil, err
	}
	news, err := store.Submissions(ctx, vote.SubmissionNew)
	if err != nil {
		return nil, err
	}
	var out []Pulled
	for _, n := range news {
		if file := findReceipt(root.FS(), n.Receipt); file != "" {
			if err := store.SetStatus(ctx, n.Receipt, vote.SubmissionPulled, "", now); err != nil {
				return out, err
			}
			out = append(out, Pulled{Receipt: n.Receipt, Story: file, Already: true})
			continue
		}
		sub, err := store.Submission(ctx, n.Receipt)
		if err != nil {
			return out, err
		}
		p, err := writeBundle(root, cfg, sub)
		if err != nil {
			return out, fmt.Errorf("submission %s: %w", sub.Receipt, err)
		}
		if err := store.SetStatus(ctx, sub.Receipt, vote.SubmissionPulled, "", now); err != nil {
			return out, err
		}
		out = append(out, p)
	}
	return out, nil
}

// writeBundle writes one submission's story (and its contributor's
// ambassador file when new), removing what it wrote if it fails.
func writeBundle(root *os.Root, cfg *config.Config, sub vote.Submission) (Pulled, error) {
	p := Pulled{Receipt: sub.Receipt}
	// The photos first: a photo that cannot be cleaned stops the pull of
	// this submission before anything is written.
	type photo struct {
		name         string
		data         []byte
		alt, caption string
	}
	var photos []photo
	for _, m := range sub.Media {
		data, ext, err := images.Clean(m.Data, cfg.Images.MaxPixels)
		if err != nil {
			return p, fmt.Errorf("photo %d: %w", m.Index, err)
		}
		photos = append(photos, photo{fmt.Sprintf("photo-%d.%s", m.Index, ext), data, m.Alt, m.Caption})
	}
	if err := root.MkdirAll("content/stories", 0o755); err != nil {
		return p, err
	}
	if err := root.MkdirAll("content/ambassadors", 0o755); err != nil {
		return p, err
	}
	dir, err := claim(root, "content/stories", slugify(sub.Title, "story"), "", true)
	if err != nil {
		return p, err
	}
	ok := false
	defer func() {
		if !ok {
			root.RemoveAll(dir)
			if p.Ambassador != "" {
				root.Remove(p.Ambassador)
			}
		}
	}()
	amb, err := claim(root, "content/ambassadors", slugify(sub.Name, "contributor"), ".md", false)
	if err != nil {
		return p, err
	}
	ambSlug := strings.TrimSuffix(path.Base(amb), ".md")
	p.Hint = similarAmbassador(root.FS(), sub.Name)
	if err := writeNew(root, amb, ambassadorFile(sub)); err != nil {
		return p, err
	}
	p.Ambassador = amb

	var fm bytes.Buffer
	fm.WriteString("+++\n")
	kv := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&fm, "%s = %s\n", k, quote(v))
		}
	}
	kv("title", sub.Title)
	kv("ambassador", ambSlug)
	date := sub.At.In(cfg.Timezone).Format("2006-01-02")
	fmt.Fprintf(&fm, "date = %s\n", date)
	kv("kind", sub.Kind)
	kv("place", sub.Place)
	kv("status", "submitted")
	kv("contest", sub.Contest)
	kv("category", sub.Category)
	kv("video", sub.Video)
	for i, ph := range photos {
		if i == 0 {
			fm.WriteString("\n[cover]\n")
		} else {
			fm.WriteString("\n[[gallery]]\n")
		}
		kv("src", ph.name)
		kv("alt", ph.alt)
		kv("caption", ph.caption)
	}
	fm.WriteString("\n[rights]\n")
	kv("license", sub.License)
	fmt.Fprintf(&fm, "consent = %s\n", date)
	kv("credit", sub.Name)
	kv("consent_version", sub.Consent)
	kv("receipt", sub.Receipt)
	fm.WriteString("+++\n")
	if sub.Body != "" {
		fm.WriteString(sub.Body)
		fm.WriteString("\n")
	}
	for _, ph := range photos {
		name := path.Join(dir, ph.name)
		if err := writeNew(root, name, ph.data); err != nil {
			return p, err
		}
		p.Files = append(p.Files, name)
	}
	p.Story = path.Join(dir, "index.md")
	if err := writeNew(root, p.Story, fm.Bytes()); err != nil {
		return p, err
	}
	ok = true
	return p, nil
}

// ambassadorFile is a new contributor's profile: the credit name only;
// never the e-mail, which stays in the store.
func ambassadorFile(sub vote.Submission) []byte {
	return []byte("+++\nname = " + quote(sub.Name) + "\n+++\n")
}

// claim takes a free name base, base-2, base-3… in dir (a folder when
// folder, else a file with ext), never reusing one that exists as a file
// or a folder of either kind.
func claim(root *os.Root, dir, base, ext string, folder bool) (string, error) {
	for i := 1; i < 1000; i++ {
		slug := base
		if i > 1 {
			slug = fmt.Sprintf("%s-%d", base, i)
		}
		p := path.Join(dir, slug)
		if exists(root, p) || exists(root, p+".md") {
			continue
		}
		if !folder {
			return p + ext, nil
		}
		err := root.Mkdir(p, 0o755)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return p, err
	}
	return "", fmt.Errorf("no free name for %s in %s", base, dir)
}

func exists(root *os.Root, name string) bool {
	_, err := root.Lstat(name)
	return err == nil
}

// writeNew writes a file that must not exist yet.
func writeNew(root *os.Root, name string, data []byte) error {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Close())
}

// quote writes s as a TOML basic string (JSON's escapes are TOML's).
func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// slugify turns a title or a name into a slug: letters without their
// accents, digits, hyphens between words, at most 60 bytes.
func slugify(s, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		return fallback
	}
	return out
}

// similarAmbassador names an existing ambassador whose name is close to
// name (the same but for case and accents, or a few letters apart), for a
// hint: an editor decides whether they are one person.
func similarAmbassador(fsys fs.FS, name string) string {
	entries, _ := fs.ReadDir(fsys, "content/ambassadors")
	names := map[string]string{}
	var keys []string
	for _, e := range entries {
		file := path.Join("content/ambassadors", e.Name())
		if e.IsDir() {
			file = path.Join(file, "index.md")
		} else if !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		n := frontMatterName(fsys, file)
		if n == "" {
			continue
		}
		k := fold(n)
		names[k] = file
		keys = append(keys, k)
	}
	want := fold(name)
	if f, ok := names[want]; ok {
		return f
	}
	if k := diag.Nearest(want, keys); k != "" {
		return names[k]
	}
	// The same first name and initial ("Aino K." and "Aino Kettunen").
	w := strings.Fields(want)
	for _, k := range sortedKeys(names) {
		f := strings.Fields(k)
		if len(w) > 1 && len(f) > 1 && w[0] == f[0] && f[1][0] == w[1][0] {
			return names[k]
		}
	}
	return ""
}

func fold(s string) string {
	return strings.ReplaceAll(slugify(s, ""), "-", " ")
}

// frontMatterName reads the name field of an ambassador file, TOML or YAML.
func frontMatterName(fsys fs.FS, file string) string {
	b, err := fs.ReadFile(fsys, file)
	if err != nil {
		return ""
	}
	for i, line := range strings.Split(string(b), "\n") {
		if i > 50 {
			break
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			k, v, ok = strings.Cut(line, ":")
		}
		if ok && strings.TrimSpace(k) == "name" {
			v = strings.TrimSpace(v)
			var s string
			if json.Unmarshal([]byte(v), &s) == nil {
				return s
			}
			return strings.Trim(v, `"'`)
		}
	}
	return ""
}

// findReceipt returns the story file of content/stories that records the
// receipt in its rights, or "".
func findReceipt(fsys fs.FS, receipt string) string {
	files := storyFiles(fsys)
	for _, f := range files {
		if b, err := fs.ReadFile(fsys, f); err == nil && recordsReceipt(b, receipt) {
			return f
		}
	}
	return ""
}

// recordsReceipt reports whether a story's front matter has receipt =
// "<receipt>" (TOML) or receipt: <receipt> (YAML).
func recordsReceipt(b []byte, receipt string) bool {
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			k, v, ok = strings.Cut(line, ":")
		}
		if ok && strings.TrimSpace(k) == "receipt" && strings.Trim(strings.TrimSpace(v), `"'`) == receipt {
			return true
		}
	}
	return false
}

// storyFiles lists content/stories/*.md and content/stories/*/index.md.
func storyFiles(fsys fs.FS) []string {
	entries, _ := fs.ReadDir(fsys, "content/stories")
	var out []string
	for _, e := range entries {
		switch {
		case e.IsDir():
			out = append(out, path.Join("content/stories", e.Name(), "index.md"))
		case strings.HasSuffix(e.Name(), ".md"):
			out = append(out, path.Join("content/stories", e.Name()))
		}
	}
	return out
}
