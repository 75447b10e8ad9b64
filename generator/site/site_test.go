package site

import (
	"fmt"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/generator/content"
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
	c := &Contest{Contest: &content.Contest{Opens: d(9, 1), Closes: d(10, 31), VotingOpens: d(11, 5), VotingCloses: d(11, 30)}}
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
	k := &Contest{Contest: &content.Contest{}, Categories: []*Category{{Name: "a"}}}
	for i, v := range []int{9, 7, 7, 5, 3, 0} {
		k.Results = append(k.Results, &Tally{Story: &Story{Story: &content.Story{Slug: fmt.Sprint("s", i), Category: "a"}}, Votes: v})
	}
	var got string
	for _, p := range placings(k) {
		got += fmt.Sprintf("%s:%d ", p.Story.Slug, p.Place)
	}
	if want := "s0:1 s1:2 s2:2 "; got != want {
		t.Errorf("placings %q, want %q", got, want)
	}
}
