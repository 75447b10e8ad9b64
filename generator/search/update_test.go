package search

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// updateWords mix words that fold or stem alike ("naïve" and "naive",
// "lake" and "lakes") and words whose mark the stemmer keeps and folding
// takes off (lakesMark: its stem is "lakes"), so that whether a term is
// in a stem group depends on the word that gave it first.
var updateWords = strings.Fields("lake lakes lake's järvi järvet Järvi naïve naive café cafe ½ 1 ﬁsh fish fishing Straße strasse sauna pier the a ferry kites kite Ångström x1 2026 swimming swim swims lakeside water waters Järvinen " + lakesMark + " järvet\u0338 fishing\u0338")

// lakesMark is "lakes" with a combining long solidus overlay.
const lakesMark = "lakes\u0338"

func updateText(r *rand.Rand, words int) string {
	var b strings.Builder
	for range r.IntN(words) + 1 {
		b.WriteString(updateWords[r.IntN(len(updateWords))] + " ")
	}
	return b.String()
}

func updateDoc(r *rand.Rand, id int) Doc {
	places := []string{"", "Harbour", "Pier", "Café"}
	return Doc{URL: fmt.Sprintf("/stories/s%d/", id), Title: updateText(r, 4), Meta: updateText(r, 3), Body: updateText(r, 80),
		Kind: []string{"Story", "Poem"}[r.IntN(2)], Place: places[r.IntN(len(places))], Excerpt: updateText(r, 5), Teller: "Aino"}
}

// TestBuildFromPrev edits a set of documents as a site's editors do, one
// or a few at a time, and builds each version from the index of the one
// before: every version must give the files a Build from nothing gives.
func TestBuildFromPrev(t *testing.T) {
	edits := []func(r *rand.Rand, docs []Doc, next *int) []Doc{
		func(r *rand.Rand, docs []Doc, _ *int) []Doc { // a sentence added
			i := r.IntN(len(docs))
			docs[i].Body += " " + updateText(r, 12)
			return docs
		},
		func(r *rand.Rand, docs []Doc, _ *int) []Doc { // a word removed
			i := r.IntN(len(docs))
			if w := strings.Fields(docs[i].Body); len(w) > 1 {
				docs[i].Body = strings.Join(w[1:], " ")
			}
			return docs
		},
		func(r *rand.Rand, docs []Doc, _ *int) []Doc { // a new title
			docs[r.IntN(len(docs))].Title = updateText(r, 4)
			return docs
		},
		func(r *rand.Rand, docs []Doc, _ *int) []Doc { // the excerpt alone
			docs[r.IntN(len(docs))].Excerpt = updateText(r, 5)
			return docs
		},
		func(r *rand.Rand, docs []Doc, _ *int) []Doc { // a new place: the facets' numbering moves
			docs[r.IntN(len(docs))].Place = fmt.Sprintf("Place %d", r.IntN(5))
			return docs
		},
		func(r *rand.Rand, docs []Doc, next *int) []Doc { // a story added
			i := r.IntN(len(docs) + 1)
			*next++
			return slices.Insert(docs, i, updateDoc(r, *next))
		},
		func(r *rand.Rand, docs []Doc, _ *int) []Doc { // a story removed
			if len(docs) < 2 {
				return docs
			}
			i := r.IntN(len(docs))
			return slices.Delete(docs, i, i+1)
		},
		func(r *rand.Rand, docs []Doc, _ *int) []Doc { // a story re-dated
			i, j := r.IntN(len(docs)), r.IntN(len(docs))
			docs[i], docs[j] = docs[j], docs[i]
			return docs
		},
	}
	for _, lang := range []string{"en", "fi", "xx"} {
		for seed := range uint64(6) {
			r := rand.New(rand.NewPCG(seed, 7))
			next := 0
			var docs []Doc
			for range 40 + r.IntN(40) {
				next++
				docs = append(docs, updateDoc(r, next))
			}
			o := Options{Lang: lang, Dir: "search"}
			prev, err := Build(docs, o)
			if err != nil {
				t.Fatal(err)
			}
			for step := range 60 {
				docs = slices.Clone(docs)
				for range 1 + r.IntN(2) {
					docs = edits[r.IntN(len(edits))](r, docs, &next)
				}
				want, err := Build(docs, o)
				if err != nil {
					t.Fatal(err)
				}
				o.Prev = prev
				got, err := Build(docs, o)
				o.Prev = nil
				if err != nil {
					t.Fatal(err)
				}
				if got.Manifest != want.Manifest || got.Terms != want.Terms || !maps.EqualFunc(got.Files, want.Files, func(a, b []byte) bool { return string(a) == string(b) }) {
					t.Fatalf("%s, seed %d, step %d: the index built from the last one differs from a fresh Build's: manifest %s, want %s", lang, seed, step, got.Manifest, want.Manifest)
				}
				prev = got
			}
		}
	}
}

// TestBuildFromPrevEncodesLittle checks that an edit to one document's
// text leaves the term shards of the words it does not hold as they were,
// not encoded again.
func TestBuildFromPrevEncodesLittle(t *testing.T) {
	docs := []Doc{
		{URL: "/a/", Title: "Ferry", Body: "The ferry crossed the bay."},
		{URL: "/b/", Title: "Sauna", Body: "Sauna by the water, then a swim."},
		{URL: "/c/", Title: "Kites", Body: "Kites over the ice."},
	}
	o := Options{Lang: "en", Dir: "search"}
	prev, err := Build(docs, o)
	if err != nil {
		t.Fatal(err)
	}
	docs = slices.Clone(docs)
	docs[2].Body = "Kites over the frozen ice."
	o.Prev = prev
	ix, err := Build(docs, o)
	if err != nil {
		t.Fatal(err)
	}
	same, encoded := 0, 0
	for name, b := range ix.Files {
		if !strings.Contains(name, "/t.") {
			continue
		}
		if old, ok := prev.Files[name]; ok && &old[0] == &b[0] {
			same++
		} else {
			encoded++
		}
	}
	// The shards of "ki", "ov", "th", "ic" and the new "fr" are written
	// again ("ferry" is in "fr" too); "sa", "by", "wa", "sw", "cr", "ba",
	// "a"... are not.
	if encoded != 5 || same == 0 {
		t.Errorf("%d term shards encoded again and %d kept, want 5 encoded and the rest kept", encoded, same)
	}
}

// TestBuildFromPrevStemGroups: "lakes" is in the group of "lake" when the
// first document that holds it writes "lakes", not when it writes
// lakesMark (whose stem is "lakes"). An edit that takes lakesMark out of
// the first document makes the next one decide.
func TestBuildFromPrevStemGroups(t *testing.T) {
	docs := []Doc{
		{URL: "/a/", Title: "Marked", Body: lakesMark + " and a lake"},
		{URL: "/b/", Title: "Whole", Body: "two lakes and a lake"},
		{URL: "/c/", Title: "Other", Body: "the ferry"},
	}
	for _, edit := range []func([]Doc) []Doc{
		func(d []Doc) []Doc { d[0].Body = "a lake"; return d },
		func(d []Doc) []Doc { return d[1:] },
		func(d []Doc) []Doc { return []Doc{d[2], d[1], d[0]} },
		func(d []Doc) []Doc { return append([]Doc{{URL: "/new/", Title: "New", Body: "lakes"}}, d...) },
	} {
		o := Options{Lang: "en", Dir: "search"}
		prev, err := Build(docs, o)
		if err != nil {
			t.Fatal(err)
		}
		edited := edit(slices.Clone(docs))
		want, err := Build(edited, o)
		if err != nil {
			t.Fatal(err)
		}
		o.Prev = prev
		got, err := Build(edited, o)
		if err != nil {
			t.Fatal(err)
		}
		if got.Manifest != want.Manifest {
			t.Errorf("%v: index %s, want %s", edited, got.Manifest, want.Manifest)
		}
	}
}
