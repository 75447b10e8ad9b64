package site

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/results"
)

// podium is how many places are awarded per category from the counts.
const podium = 3

// bakeResults attaches final counts to closed contests. A contest whose
// winners the editors named keeps them; otherwise the entries with the most
// votes in each category place, ties sharing a place.
func (s *Site) bakeResults(res results.Results, stories map[string]*Story, errs *diag.List) {
	byContest := map[string]*Contest{}
	for _, k := range s.Contests {
		byContest[k.Source.Slug] = k
	}
	for _, slug := range slices.Sorted(maps.Keys(res)) {
		counts := res[slug]
		first := firstPos(counts)
		k := byContest[slug]
		if k == nil {
			errs.Add(first, "results for unknown contest %q", slug)
			continue
		}
		if k.Phase(s.Now) != PhaseClosed {
			errs.Add(first, "contest %q takes votes until %s: bake its results in after voting closes", slug, k.Source.VotingCloses.Format("2006-01-02"))
			continue
		}
		for _, entry := range slices.Sorted(maps.Keys(counts)) {
			st := stories[entry]
			if st == nil || st.Contest != k || st.Draft {
				errs.Add(counts[entry].Pos, "%q is not a published entry of contest %q", entry, slug)
			}
		}
		for _, st := range k.Entries {
			if st.Draft {
				continue
			}
			t := &Tally{Story: st, Votes: counts[st.Source.Slug].Votes}
			st.Tally = t
			k.Results = append(k.Results, t)
		}
		slices.SortStableFunc(k.Results, func(a, b *Tally) int {
			return cmp.Or(cmp.Compare(b.Votes, a.Votes), strings.Compare(a.Story.Source.Slug, b.Story.Source.Slug))
		})
		if len(k.Winners) == 0 {
			k.Winners = placings(k)
			for _, p := range k.Winners {
				if p.Story.Winner == nil || p.Place < p.Story.Winner.Place {
					p.Story.Winner = p
				}
			}
		}
	}
}

// placings ranks each category's entries by votes (standard competition
// ranking: 1, 2, 2, 4), keeping places up to the podium and entries with votes.
func placings(k *Contest) []*Placing {
	var out []*Placing
	for _, cat := range k.Categories {
		for _, t := range k.Results { // most votes first
			if t.Story.Source.Category != cat.Name || t.Votes == 0 {
				continue
			}
			place := countAbove(k.Results, cat.Name, t.Votes) + 1
			if place > podium {
				break
			}
			out = append(out, &Placing{Story: t.Story, Category: cat.Name, Place: place})
		}
	}
	return out
}

func countAbove(ts []*Tally, category string, votes int) int {
	n := 0
	for _, t := range ts {
		if t.Story.Source.Category == category && t.Votes > votes {
			n++
		}
	}
	return n
}

func firstPos(counts map[string]results.Count) diag.Pos {
	var p diag.Pos
	for _, c := range counts {
		if p.Line == 0 || c.Pos.Line < p.Line {
			p = c.Pos
		}
	}
	return p
}
