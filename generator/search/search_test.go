package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func urls(hits []hit) []string {
	var out []string
	for _, h := range hits[:min(10, len(hits))] {
		out = append(out, h.url)
	}
	return out
}

func build(t *testing.T, docs []Doc, lang string) *Index {
	t.Helper()
	ix, err := Build(docs, Options{Lang: lang, Dir: "search"})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func search(t *testing.T, ix *Index, q string) []string {
	t.Helper()
	hits, _, err := query(ix, q)
	if err != nil {
		t.Fatal(err)
	}
	return urls(hits)
}

var lakeDocs = []Doc{
	{URL: "/stories/body/", Title: "An evening swim", Kind: "Story", Body: "We walked down to the järvi after sauna, and the pier was warm."},
	{URL: "/stories/title/", Title: "Järvi at dawn", Kind: "Photo", Place: "Harmaavesi", Body: "Mist over the water."},
	{URL: "/stories/meta/", Title: "Coffee by the shore", Kind: "Poem", Place: "Järvikylä", Meta: "Järvikylä\nAino Järvinen", Body: "Steam rises."},
	{URL: "/stories/lakes/", Title: "Three lakes", Kind: "Story", Contest: "Winter light", Body: "The lakes froze early that year; we skated on the lake for weeks."},
	{URL: "/stories/cafe/", Title: "Café Laituri", Kind: "Story", Body: "Straße, crème brûlée and a ferry timetable."},
}

func TestFoldedPrefixMatching(t *testing.T) {
	ix := build(t, lakeDocs, "en")
	for _, c := range []struct {
		q    string
		want []string
	}{
		// Typed with or without the accent, whole or in part.
		{"järvi", []string{"/stories/title/", "/stories/meta/", "/stories/body/"}},
		{"jarvi", []string{"/stories/title/", "/stories/meta/", "/stories/body/"}},
		{"JÄRV", []string{"/stories/title/", "/stories/meta/", "/stories/body/"}},
		{"jarvinen", []string{"/stories/meta/"}},
		{"cafe", []string{"/stories/cafe/"}},
		{"strasse creme", []string{"/stories/cafe/"}},
		{"bru", []string{"/stories/cafe/"}},
		// Every word must match.
		{"jarvi mist", []string{"/stories/title/"}},
		{"jarvi nothing", nil},
		{"zzz", nil},
		{"", nil},
	} {
		if got := search(t, ix, c.q); !slices.Equal(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.q, got, c.want)
		}
	}
}

func TestStemGroups(t *testing.T) {
	ix := build(t, lakeDocs, "en")
	// "lake" is a word of the index and shares its stem with "lakes".
	if got := search(t, ix, "lake"); !slices.Equal(got, []string{"/stories/lakes/"}) {
		t.Errorf("lake: %q", got)
	}
	fi := []Doc{
		{URL: "/a/", Title: "Järvellä", Body: "Kesä."},
		{URL: "/b/", Title: "Talvi", Body: "Järvet jäätyivät."},
		{URL: "/c/", Title: "Kevät", Body: "Järjestys."},
	}
	ix = build(t, fi, "fi")
	// A whole word finds its inflections through the Finnish stem; a
	// prefix finds what it begins.
	if got := search(t, ix, "järvet"); !slices.Equal(got, []string{"/a/", "/b/"}) {
		t.Errorf("järvet: %q", got)
	}
	if got := search(t, ix, "jarj"); !slices.Equal(got, []string{"/c/"}) {
		t.Errorf("jarj: %q", got)
	}
	// Without a stemmer (Japanese here) words match by prefix only.
	ix = build(t, fi, "ja")
	if got := search(t, ix, "järvet"); !slices.Equal(got, []string{"/b/"}) {
		t.Errorf("järvet without a stemmer: %q", got)
	}
}

func TestTitleRanksAboveBody(t *testing.T) {
	// The body story says "sauna" many times; the title story once, in its
	// title. The title wins, then the teller, then the text.
	docs := []Doc{
		{URL: "/body/", Title: "A long evening", Body: strings.Repeat("The sauna was hot and the sauna was quiet. ", 20)},
		{URL: "/meta/", Title: "Smoke", Meta: "Sauna Society", Body: "Smoke and birch."},
		{URL: "/title/", Title: "Sauna", Body: "Birch whisks and lake water."},
	}
	ix := build(t, docs, "en")
	if got := search(t, ix, "sauna"); !slices.Equal(got, []string{"/title/", "/meta/", "/body/"}) {
		t.Errorf("sauna: %q", got)
	}
	// A rarer word weighs more: "birch" is in two stories, "whisks" in one.
	if got := search(t, ix, "bir whisk"); !slices.Equal(got, []string{"/title/"}) {
		t.Errorf("bir whisk: %q", got)
	}
}

// corpus is a deterministic showcase of n stories with a Zipf-like
// vocabulary, for the size and determinism tests.
func corpus(n int) []Doc {
	r := rand.New(rand.NewPCG(1, 2))
	words := make([]string, 3000)
	for i := range words {
		var b strings.Builder
		for range 3 + r.IntN(7) {
			b.WriteByte("abcdefghijklmnoprstuvyaeiouäö"[r.IntN(27)])
		}
		words[i] = b.String()
	}
	z := rand.NewZipf(r, 1.1, 3, uint64(len(words)-1))
	text := func(k int) string {
		var b strings.Builder
		for range k {
			b.WriteString(words[z.Uint64()])
			b.WriteByte(' ')
		}
		return b.String()
	}
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = Doc{
			URL: fmt.Sprintf("/stories/s%d/", i), Title: text(5), Meta: text(6), Body: text(300),
			Kind: []string{"Story", "Poem", "Photo"}[i%3], Place: fmt.Sprintf("Place %d", i%40),
			Excerpt: text(20), Thumb: fmt.Sprintf("/media/s%d/cover-320.jpg", i),
		}
	}
	return docs
}

func TestDeterministicAndCompact(t *testing.T) {
	docs := corpus(2000)
	a, b := build(t, docs, "fi"), build(t, docs, "fi")
	if a.Manifest != b.Manifest || !maps.EqualFunc(a.Files, b.Files, bytes.Equal) {
		t.Fatal("two builds of the same documents differ")
	}
	var m manifest
	if err := json.Unmarshal(a.Files[a.Manifest[1:]], &m); err != nil {
		t.Fatal(err)
	}
	if m.Docs != 2000 || len(m.DocFiles) != 2000/DocsPerShard || len(m.Places) != 40 || len(m.Kinds) != 3 {
		t.Errorf("manifest: %d docs, %d document shards, %d places, %d kinds", m.Docs, len(m.DocFiles), len(m.Places), len(m.Kinds))
	}
	// Every file is named by its content and lives under the directory.
	for name, data := range a.Files {
		if !strings.HasPrefix(name, "search/") {
			t.Errorf("%s is outside search/", name)
		}
		if len(data) == 0 {
			t.Errorf("%s is empty", name)
		}
	}
	// A query reads a handful of small files: the largest term shard and
	// document shard stay far below the 300 KB a query may cost.
	var terms, docsz, total int
	for name, data := range a.Files {
		total += len(data)
		switch {
		case strings.HasPrefix(name, "search/t."):
			terms = max(terms, len(data))
		case strings.HasPrefix(name, "search/d."):
			docsz = max(docsz, len(data))
		}
	}
	t.Logf("2000 documents: %d files, %d bytes in all, largest term shard %d, document shard %d, manifest %d", len(a.Files), total, terms, docsz, len(a.Files[a.Manifest[1:]]))
	if terms > 40_000 || docsz > 8_000 {
		t.Errorf("largest term shard %d bytes, document shard %d bytes", terms, docsz)
	}
	_, read, err := query(a, words(docs[7].Title)[0]+" "+words(docs[7].Body)[0])
	if err != nil {
		t.Fatal(err)
	}
	size := 0
	for _, f := range read {
		size += len(a.Files[f])
	}
	if size > 150_000 {
		t.Errorf("a two-word query reads %d bytes in %d files", size, len(read))
	}
	// Changing one document changes its shards and the manifest only.
	docs[0].Title = "changed"
	c := build(t, docs, "fi")
	changed := 0
	for name := range c.Files {
		if _, ok := a.Files[name]; !ok {
			changed++
		}
	}
	if changed > 10 {
		t.Errorf("one edited story changed %d files", changed)
	}
}

func words(s string) []string { return strings.Fields(s) }

// The documents are tokenised on as many goroutines as Go runs at once,
// which take them in no fixed order: the index is the same on any number
// of cores, stem groups included: "straße" and "strasse" fold to one
// term, which the first document holding it gives the stem of its
// spelling ("strasse", or "strass", which groups it with the word "strass").
func TestSameOnAnyNumberOfCores(t *testing.T) {
	docs := corpus(3000)
	for i := range docs {
		docs[i].Body += " " + []string{"straße", "strasse", "strass"}[i%3]
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	one := build(t, docs, "en")
	for _, n := range []int{2, 3, 8} {
		runtime.GOMAXPROCS(n)
		many := build(t, docs, "en")
		if many.Manifest != one.Manifest || !maps.EqualFunc(many.Files, one.Files, bytes.Equal) {
			t.Fatalf("the index made on %d goroutines differs from the one made on one", n)
		}
	}
}

func TestNoDirectory(t *testing.T) {
	if _, err := Build(lakeDocs, Options{Lang: "en"}); err == nil {
		t.Error("built an index with nowhere to publish it")
	}
}

func TestEmptyAndHostile(t *testing.T) {
	ix := build(t, nil, "en")
	if got := search(t, ix, "anything"); got != nil {
		t.Errorf("empty index: %q", got)
	}
	docs := []Doc{{URL: "/x/", Title: "</script><img src=x onerror=alert(1)>", Body: "\xff\xfe" + strings.Repeat("a", 10_000) + " ok"}}
	ix = build(t, docs, "en")
	if got := search(t, ix, "script"); !slices.Equal(got, []string{"/x/"}) {
		t.Errorf("script: %q", got)
	}
	if got := search(t, ix, "ok"); !slices.Equal(got, []string{"/x/"}) {
		t.Errorf("ok: %q", got)
	}
	if ix.Terms != 5 { // script, img, src, x, onerror, alert, 1, ok less the long word
		t.Logf("%d terms", ix.Terms)
	}
}

// TestFacets: the facets file gives each document's kind, place and
// contest as indices into the manifest's vocabularies.
func TestFacets(t *testing.T) {
	ix := build(t, lakeDocs, "en")
	var m manifest
	if err := json.Unmarshal(ix.Files[ix.Manifest[1:]], &m); err != nil {
		t.Fatal(err)
	}
	b := ix.Files["search/f."+m.Facets+".bin"]
	name := func(vocab []string, v byte) string {
		if v == 0 {
			return ""
		}
		return vocab[v-1]
	}
	if len(b) != 3*len(lakeDocs) {
		t.Fatalf("facets: %d bytes", len(b))
	}
	for i, d := range lakeDocs {
		got := [3]string{name(m.Kinds, b[3*i]), name(m.Places, b[3*i+1]), name(m.Contests, b[3*i+2])}
		if want := [3]string{d.Kind, d.Place, d.Contest}; got != want {
			t.Errorf("%s: facets %q, want %q", d.URL, got, want)
		}
	}
	// The hits shown come with their filter values.
	var rows [][]any
	if err := json.Unmarshal(ix.Files["search/d."+m.DocFiles[0]+".json"], &rows); err != nil {
		t.Fatal(err)
	}
	if r := rows[3]; r[0] != "/stories/lakes/" || m.Contests[int(r[4].(float64))] != "Winter light" {
		t.Errorf("document 3: %v", r)
	}
}

func BenchmarkBuild(b *testing.B) {
	docs := corpus(2000)
	for b.Loop() {
		if _, err := Build(docs, Options{Lang: "en", Dir: "search"}); err != nil {
			b.Fatal(err)
		}
	}
}
