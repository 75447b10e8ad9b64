package site

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/postcard-ssg/postcard/generator/config"
	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/diag"
)

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Old Harbour":        "old-harbour",
		"Café Laituri":       "cafe-laituri",
		"  Kivisaari!  ":     "kivisaari",
		"Rock & Roll / Jazz": "rock-roll-jazz",
		"Äänekoski":          "aanekoski",
		"Москва":             "москва",
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPaginate(t *testing.T) {
	stories := make([]*Story, 5)
	for i := range stories {
		stories[i] = &Story{URL: fmt.Sprint(i)}
	}
	pages := Paginate(stories, 2, "/stories/")
	if len(pages) != 3 {
		t.Fatalf("%d pages", len(pages))
	}
	if p := pages[0]; p.URL != "/stories/" || p.Prev != "" || p.Next != "/stories/page/2/" || len(p.Stories) != 2 {
		t.Errorf("page 1: %+v", p)
	}
	if p := pages[2]; p.URL != "/stories/page/3/" || p.Prev != "/stories/page/2/" || p.Next != "" || len(p.Stories) != 1 {
		t.Errorf("page 3: %+v", p)
	}
	if empty := Paginate(nil, 2, "/x/"); len(empty) != 1 || len(empty[0].Stories) != 0 {
		t.Errorf("no stories: %+v", empty)
	}
}

func TestPhase(t *testing.T) {
	hel, _ := time.LoadLocation("Europe/Helsinki")
	d := func(m time.Month, day int) time.Time { return time.Date(2026, m, day, 0, 0, 0, 0, hel) }
	c := &Contest{Source: &content.Contest{Opens: d(9, 1), Closes: d(10, 31), VotingOpens: d(11, 5), VotingCloses: d(11, 30)}}
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		{d(8, 31).Add(23 * time.Hour), PhaseUpcoming},
		{d(9, 1), PhaseSubmission},
		{d(10, 31).Add(23 * time.Hour), PhaseSubmission},
		{d(11, 2), PhaseBetween},
		{d(11, 5), PhaseVoting},
		{d(11, 30).Add(23*time.Hour + 59*time.Minute), PhaseVoting},
		{d(12, 1), PhaseClosed},
	} {
		if got := c.Phase(tt.at); got != tt.want {
			t.Errorf("at %s: %s, want %s", tt.at, got, tt.want)
		}
	}
}

func TestPlacingsShareTies(t *testing.T) {
	k := &Contest{Source: &content.Contest{}, Categories: []*Category{{Name: "a"}}}
	for i, v := range []int{9, 7, 7, 5, 3, 0} {
		k.Results = append(k.Results, &Tally{Story: &Story{Source: &content.Story{Slug: fmt.Sprint("s", i), Category: "a"}}, Votes: v})
	}
	var got string
	for _, p := range placings(k) {
		got += fmt.Sprintf("%s:%d ", p.Story.Source.Slug, p.Place)
	}
	if want := "s0:1 s1:2 s2:2 "; got != want {
		t.Errorf("placings %q, want %q", got, want)
	}
}

// TestSlugsAreCapped: a very long name makes a slug of at most
// content.MaxSlug bytes, cut after a word or a whole character.
func TestSlugsAreCapped(t *testing.T) {
	words := strings.Repeat("lake ", 60) // 300 characters
	if got := Slugify(words); len(got) > content.MaxSlug || !strings.HasSuffix(got, "lake") || strings.HasSuffix(got, "-") {
		t.Errorf("Slugify(300 characters of words) = %q (%d bytes)", got, len(got))
	}
	long := strings.Repeat("a", 300)
	if got := Slugify(long); got != long[:content.MaxSlug] {
		t.Errorf("Slugify(300 a) = %q", got)
	}
	cyr := strings.Repeat("ж", 300) // two bytes each
	if got := Slugify(cyr); len(got) > content.MaxSlug || !utf8.ValidString(got) || got == "" {
		t.Errorf("Slugify(300 ж) = %q", got)
	}
	for _, none := range []string{"!!!", "???", "  ", "—"} {
		if got := Slugify(none); got != "" {
			t.Errorf("Slugify(%q) = %q, want nothing", none, got)
		}
	}
}

func story(slug string, tags ...string) *content.Story {
	kind, _ := content.KindOf("story")
	st := &content.Story{Slug: slug, File: "content/stories/" + slug + "/index.md", Status: content.StatusApproved, Kind: kind, Date: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Tags: tags}
	for i := range tags {
		st.TagPos = append(st.TagPos, diag.Pos{File: st.File, Line: 7, Col: 9 + 7*i})
	}
	return st
}

// TestTermsWithoutSlug: a tag or place with nothing to make a URL of is an
// error at its line, not a clash of output files.
func TestTermsWithoutSlug(t *testing.T) {
	a := story("a", "!!!", "lake")
	a.Place, a.PlacePos = "???", diag.Pos{File: a.File, Line: 6, Col: 1}
	_, err := Build(config.Default(), &content.Content{Stories: []*content.Story{a}}, Options{})
	for _, want := range []string{
		`content/stories/a/index.md:6:1: place "???" has no letters or digits`,
		`content/stories/a/index.md:7:9: tag "!!!" has no letters or digits`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v\nwant %s", err, want)
		}
	}
}

// TestTermCollisionsMerge: spellings that make one slug become one term,
// named after the most common spelling, shown once per story, with a
// warning at each other spelling naming both.
func TestTermCollisionsMerge(t *testing.T) {
	c := &content.Content{Stories: []*content.Story{story("a", "Lake", "lake!"), story("b", "lake!"), story("c", "lake!")}}
	s, err := Build(config.Default(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tags := s.Taxonomy("tags")
	if len(tags.Terms) != 1 || tags.Terms[0].Name != "lake!" || len(tags.Terms[0].Stories) != 3 {
		t.Fatalf("terms = %+v", tags.Terms)
	}
	for _, st := range s.Stories {
		if len(st.Tags) != 1 {
			t.Errorf("story %s shows %d tag chips", st.Source.Slug, len(st.Tags))
		}
	}
	if len(s.Warnings) != 1 {
		t.Fatalf("warnings = %v", s.Warnings)
	}
	want := `content/stories/a/index.md:7:9: warning: tag "Lake" and "lake!" (content/stories/a/index.md:7:16) both make /tags/lake/, so they are shown as one tag, "lake!"`
	if got := s.Warnings[0].Error(); !strings.HasPrefix(got, want) {
		t.Errorf("warning %q\nwant %q", got, want)
	}
}
