package content_test

import (
	"fmt"
	"reflect"
	"testing"
	"testing/fstest"
	"time"

	"github.com/postcard-ssg/postcard/generator/content"
)

// reuseSite is a folder of a few stories, bundles and single files, one
// of them translated, with an ambassador, a contest and a page.
func reuseSite() fstest.MapFS {
	fsys := benchContent(6)
	fsys["content/stories/morning-1/index.fi.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"Aamu järvellä\"\n+++\nSumu nousee.\n")}
	fsys["content/stories/lone.md"] = &fstest.MapFile{Data: []byte(benchStory(9))}
	fsys["content/stories/pier/index.md"] = &fstest.MapFile{Data: []byte(photoStory)}
	fsys["content/stories/pier/pier.jpg"] = &fstest.MapFile{Data: []byte("a photo")}
	fsys["content/about.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"About\"\n+++\nWe are a lake.\n")}
	return fsys
}

const photoStory = `+++
title = "The pier"
ambassador = "anna"
date = 2026-09-03
kind = "photo"
status = "approved"
cover = { src = "pier.jpg", alt = "The pier at dawn" }
[rights]
license = "CC-BY-4.0"
consent = 2026-09-03
credit = "Photo: Anna"
+++
`

// TestLoadReuse edits a folder as the dev server sees it, a few files at a
// time, and loads it again from the last Load: the result must be the one
// a fresh Load of the folder gives, problems included, and the entries
// no changed file belongs to must be the last Load's own.
func TestLoadReuse(t *testing.T) {
	edits := []struct {
		name  string
		files map[string]string // "" removes the file
		// fresh lists the slugs of the stories read again.
		fresh []string
	}{
		{"story text", map[string]string{"content/stories/morning-2/index.md": benchStory(2) + "\nThe lake froze.\n"}, []string{"morning-2"}},
		{"single file", map[string]string{"content/stories/lone.md": benchStory(10)}, []string{"lone"}},
		{"new story", map[string]string{"content/stories/ice.md": benchStory(11)}, []string{"ice"}},
		{"deleted story", map[string]string{"content/stories/morning-3/index.md": ""}, nil},
		{"translation edited", map[string]string{"content/stories/morning-1/index.fi.md": "+++\ntitle = \"Aamu\"\n+++\nSumu.\n"}, []string{"morning-1"}},
		{"translation added", map[string]string{"content/stories/morning-4/index.fi.md": "+++\ntitle = \"Neljäs\"\n+++\n"}, []string{"morning-4"}},
		{"single-file translation", map[string]string{"content/stories/lone.fi.md": "+++\ntitle = \"Yksin\"\n+++\n"}, []string{"lone"}},
		{"media removed", map[string]string{"content/stories/pier/pier.jpg": ""}, []string{"pier"}},
		{"two files for a slug", map[string]string{"content/stories/pier.md": benchStory(12)}, []string{"pier"}},
		{"translation without its default", map[string]string{"content/stories/morning-5/index.md": "", "content/stories/morning-5/index.fi.md": "+++\ntitle = \"Viides\"\n+++\n"}, nil},
		{"ambassador", map[string]string{"content/ambassadors/anna.md": "+++\nname = \"Anna Lind\"\n+++\n"}, nil},
		{"page", map[string]string{"content/about.md": "+++\ntitle = \"About us\"\n+++\n"}, []string{"morning-0", "morning-1", "morning-2", "morning-3", "morning-4", "morning-5", "lone", "pier"}},
		{"hidden file", map[string]string{"content/stories/morning-2/.index.md.swp": "x"}, []string{"morning-2"}},
		{"not content", map[string]string{"layouts/story.html": "x"}, nil},
	}
	o := content.Options{Location: time.UTC, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Languages: []string{"en", "fi"}}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			fsys := reuseSite()
			prev, err := content.Load(fsys, o)
			if err != nil {
				t.Fatal(err)
			}
			var changed []string
			for name, data := range e.files {
				changed = append(changed, name)
				if data == "" {
					delete(fsys, name)
				} else {
					fsys[name] = &fstest.MapFile{Data: []byte(data)}
				}
			}
			ro := o
			ro.Reuse, ro.Changed = prev, changed
			got, gotErr := content.Load(fsys, ro)
			want, wantErr := content.Load(fsys, o)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Errorf("problems:\n%v\nwant those of a fresh Load:\n%v", gotErr, wantErr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("content differs from a fresh Load's:\n got %v\nwant %v", slugs(got), slugs(want))
			}
			if !reflect.DeepEqual(got.Warnings, want.Warnings) {
				t.Errorf("warnings %v, want %v", got.Warnings, want.Warnings)
			}
			old := map[string]*content.Story{}
			for _, st := range prev.Stories {
				old[st.Slug] = st
			}
			for _, st := range got.Stories {
				reread := old[st.Slug] != st
				if want := contains(e.fresh, st.Slug) || old[st.Slug] == nil; reread != want {
					t.Errorf("story %s read again: %v, want %v", st.Slug, reread, want)
				}
			}
		})
	}
}

func slugs(c *content.Content) []string {
	var out []string
	for _, st := range c.Stories {
		out = append(out, fmt.Sprintf("%s(%d)", st.Slug, len(st.Translations)))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
