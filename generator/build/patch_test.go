package build

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/generator/diag"
)

// TestPatchAfterPatch saves story texts one after another as an editor
// does, each rebuild starting from the last: every one must make the files
// a fresh build makes, and those that change a story's text alone must
// patch the last model rather than make one (patch.go), whatever came
// before them.
func TestPatchAfterPatch(t *testing.T) {
	const (
		boathouse = "content/stories/boathouse/index.md"
		blueHour  = "content/stories/blue-hour/index.md"
		first     = "content/stories/first-light/index.md"
	)
	dir := writeSite(t, loadFixture(t, "basic"))
	o := Options{Source: dir, Now: now, Remember: true}
	prev, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	for _, f := range parseFixture(t, "basic") {
		texts[f.name] = f.data
	}
	steps := []struct {
		name    string
		file    string
		old     string
		new     string
		patched bool
		// extra are other files written with it.
		extra map[string]string
		// warns is in a warning of the rebuild's.
		warns string
		// rendered must be among the pages made again, and kept not.
		rendered, kept []string
	}{
		{name: "prose without a picture: its card shows its lines", file: boathouse, old: "It smells of tar", new: "It smells of old tar", patched: true,
			rendered: []string{"/stories/boathouse/", "/places/cafe-laituri/", "/ambassadors/anna/"}, kept: []string{"/stories/kites/", "/ambassadors/risto/"}},
		{name: "the same story again", file: boathouse, old: "old tar", new: "older tar", patched: true,
			rendered: []string{"/stories/boathouse/"}},
		{name: "a poem, a contest entry", file: blueHour, old: "without a fight.", new: "without a sound.", patched: true,
			rendered: []string{"/stories/blue-hour/", "/contests/autumn/", "/stories/first-light/"}, kept: []string{"/stories/kites/"}},
		{name: "the featured story, whose card the home page shares", file: first, old: "kind = \"photo\"", new: "kind = \"photo\"", patched: true},
		{name: "a title: not text alone", file: boathouse, old: `title = "The old boathouse"`, new: `title = "The boathouse"`, patched: false},
		{name: "text after a full rebuild", file: blueHour, old: "The harbour is one colour.", new: "The harbour is one grey.", patched: true,
			rendered: []string{"/stories/blue-hour/"}, kept: []string{"/stories/midsummer/"}},
		{name: "a character no card font has: the card warns", file: blueHour, old: "one grey.", new: "one grey 𓂀.", patched: true, warns: "no font of the theme has"},
		{name: "the warned file again: not patched while its warning stands", file: blueHour, old: "grey 𓂀.", new: "grey.", patched: false},
		{name: "the same image again in the text", file: boathouse, old: "## Inside", new: "## Inside\n\n![The door again](door.jpg)", patched: true},
		{name: "a new image in the text", file: boathouse, old: "## Inside", new: "## Inside\n\n![The roof](roof.jpg)", patched: false,
			extra: map[string]string{"content/stories/boathouse/roof.jpg": "#jpeg 500x300"}},
	}
	for _, s := range steps {
		text := texts[s.file]
		if !strings.Contains(text, s.old) {
			t.Fatalf("%s: %q not in %s", s.name, s.old, s.file)
		}
		text = strings.Replace(text, s.old, s.new, 1)
		if s.old == s.new {
			// The featured story's text: a sentence at its end.
			text += "\nThe fog lifted at nine.\n"
		}
		texts[s.file] = text
		model := prev.Site
		files := map[string]string{s.file: text}
		for name, data := range s.extra {
			files[name] = data
		}
		inc, _ := rebuildMatches(t, o, prev, writeFiles(t, dir, files))
		if patched := inc.Site == model; patched != s.patched {
			t.Errorf("%s: patched %v, want %v", s.name, patched, s.patched)
		}
		if s.warns != "" && !slices.ContainsFunc(inc.Warnings, func(w *diag.Error) bool { return strings.Contains(w.Msg, s.warns) }) {
			t.Errorf("%s: no warning %q in %v", s.name, s.warns, inc.Warnings)
		}
		if s.warns == "" && len(inc.Warnings) > 0 {
			t.Errorf("%s: warnings %v", s.name, inc.Warnings)
		}
		for _, u := range s.rendered {
			if !slices.Contains(inc.Rendered, u) {
				t.Errorf("%s: %s not made again; made %v", s.name, u, inc.Rendered)
			}
		}
		for _, u := range s.kept {
			if slices.Contains(inc.Rendered, u) {
				t.Errorf("%s: %s made again, though the edit does not show on it", s.name, u)
			}
		}
		prev = inc
	}
}

// TestPatchNotAcrossAPhase: a contest whose voting closed between two
// builds changes pages no story lists, so a text edit then is a Rebuild
// of its own, which still matches a fresh build.
func TestPatchNotAcrossAPhase(t *testing.T) {
	const boathouse = "content/stories/boathouse/index.md"
	dir := writeSite(t, loadFixture(t, "basic"))
	first, err := Run(context.Background(), Options{Source: dir, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var end time.Time
	for _, c := range first.Site.Contests {
		if c.Source.Slug == "autumn" {
			end = c.VotingEnd()
		}
	}
	before := end.Add(-time.Hour)
	prev, err := Run(context.Background(), Options{Source: dir, Now: before, Remember: true})
	if err != nil {
		t.Fatal(err)
	}
	model := prev.Site
	after := Options{Source: dir, Now: before.Add(2 * time.Hour), Remember: true}
	inc, _ := rebuildMatches(t, after, prev, writeFiles(t, dir, map[string]string{boathouse: replaceIn(t, "basic", boathouse, "It smells of tar", "It smells of pine tar")}))
	if inc.Site == model {
		t.Error("patched the model across the close of voting")
	}
}

// TestPatchRefusesALink: a saved story replaced by a symbolic link (to a
// secret, say) is not patched in: the rebuild reads the folder as a full
// load does and refuses the link, and the last build's model keeps the
// story as it was.
func TestPatchRefusesALink(t *testing.T) {
	const boathouse = "content/stories/boathouse/index.md"
	dir := writeSite(t, loadFixture(t, "basic"))
	o := Options{Source: dir, Now: now, Remember: true}
	prev, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	var was string
	for _, st := range prev.Site.Stories {
		if st.Source.Slug == "boathouse" {
			was = string(st.Source.Body.Source)
		}
	}
	secret := filepath.Join(t.TempDir(), "secret.md")
	if err := os.WriteFile(secret, []byte("+++\ntitle = \"x\"\n+++\nthe secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, filepath.FromSlash(boathouse))
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, p); err != nil {
		t.Fatal(err)
	}
	_, err = Rebuild(context.Background(), o, prev, []string{boathouse})
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("rebuild with a linked story file: %v, want the link refused", err)
	}
	for _, st := range prev.Site.Stories {
		if st.Source.Slug == "boathouse" && string(st.Source.Body.Source) != was {
			t.Error("the last build's model took the linked file's text")
		}
	}
}
