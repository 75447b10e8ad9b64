// Package search builds a site's full-text search index at build time, in
// Go, so that a site still builds with nothing but the postcard binary and
// a visitor's query on a showcase of ten thousand stories downloads a few
// small files instead of every story.
//
// The index of one language is split into shards that the theme's search
// script fetches on demand:
//
//	index.HASH.json  the manifest: counts, the filter vocabularies (kinds,
//	                 places, contests), and the names of every other file
//	t.HASH.bin       a term shard: every indexed term that begins with the
//	                 same two folded letters, with its posting list
//	d.HASH.json      a document shard: URL, title, kind, place, contest,
//	                 excerpt, thumbnail and teller of DocsPerShard
//	                 documents, fetched only for the hits shown
//	f.HASH.bin       the facets: each document's kind, place and contest,
//	                 fetched only when a filter is used
//
// A query word matches every term that begins with it (prefix matching),
// so the shard of its first two letters holds all its matches. Words are
// folded (see Fold), and, where a Snowball stemmer exists for the
// language, stemmed too: the index holds the folded words, for prefixes,
// and groups the words of a shard that share a stem, so that "lakes" also
// finds "lake" and "lake's" (a query word equal to an indexed word matches
// its whole group; the script needs no stemmer of its own). Every file is named by a hash of its content, so it can be
// cached forever, and the same documents always give the same bytes.
//
// Ranking is BM25-like, tiered by field: a term's score in a document is
// 11–15 when it is in the title, 6–10 in the tellers, place, tags, kind or
// contest, and 1–5 in the body only, the step within a tier saturating
// with the term's frequency normalised by the document's length (BM25's
// k1 and b). For each query word the script takes a document's best score
// over the terms the word begins, multiplies it by the word's inverse
// document frequency (over all the documents it matches) and sums over
// the query's words: a title hit always ranks above a body hit of the same
// word, and rarer words weigh more.
package search

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// DocsPerShard is the number of documents in a document shard: small
// enough that the ten hits shown cost little even when each is in a shard
// of its own.
const DocsPerShard = 16

// Doc is one searchable document (a story), in the order results show
// when scores tie (newest first).
type Doc struct {
	URL   string
	Title string
	// Kind, Place and Contest are filter values, as shown; empty when none.
	Kind, Place, Contest string
	// Meta is the text of the middle tier: tellers, place, tags, kind,
	// contest.
	Meta string
	// Body is the story's full plain text.
	Body string
	// Excerpt is shown under the title in the results.
	Excerpt string
	// Thumb is the URL of a small image, or empty.
	Thumb string
	// Teller is who told the story, shown with the hit.
	Teller string
}

// Options says how to build one language's index.
type Options struct {
	// Lang is the documents' language code ("en", "fi"); it chooses the
	// stemmer.
	Lang string
	// Dir is where the files are published, relative to the site root
	// ("search" for the default language, "fi/search" for Finnish).
	Dir string
	// Prev is the index an earlier Build made with the same Lang and
	// Dir. Build then tokenises only the documents whose text is not
	// Prev's, and encodes only the files that change (update.go).
	Prev *Index
}

// Index is a built index: its files by path relative to the site root.
type Index struct {
	Files map[string][]byte
	// Manifest is the URL path of the manifest ("/search/index.HASH.json").
	Manifest string
	// Terms counts the distinct terms indexed.
	Terms int

	state *state // for a later Build's Options.Prev (update.go)
}

// manifest is the first file the script reads.
type manifest struct {
	Version  int               `json:"v"`
	Lang     string            `json:"lang"`
	Docs     int               `json:"docs"`
	PerShard int               `json:"per"`
	Kinds    []string          `json:"kinds"`
	Places   []string          `json:"places"`
	Contests []string          `json:"contests"`
	Terms    map[string]string `json:"terms"` // shard key → hash
	DocFiles []string          `json:"docs_files"`
	Facets   string            `json:"facets"`
}

// Field tiers: the base of a score in each (see the package comment).
const (
	tierBody  = 1
	tierMeta  = 6
	tierTitle = 11
	tierSteps = 4 // a tier spans base … base+tierSteps
	bm25K1    = 1.2
	bm25B     = 0.75
)

type posting struct {
	doc   int32
	score uint8
}

type term struct {
	postings []posting // by document
	stem     string    // the folded stem of this word; "" without a stemmer
}

// Build indexes docs. The result depends on docs and o.Lang and o.Dir
// alone: with o.Prev or without, the same documents give the same bytes.
func Build(docs []Doc, o Options) (*Index, error) {
	dir := strings.Trim(o.Dir, "/")
	if dir == "" {
		return nil, fmt.Errorf("search: no directory for the %q index", o.Lang)
	}
	st := &state{lang: o.Lang, dir: dir, docs: docs}
	tk := newTokeniser(o.Lang)
	prev := o.Prev.reusable(o.Lang, dir)
	var touched map[string]bool
	if prev == nil || !st.update(prev, tk) {
		prev = nil
		st.index(tk)
	} else {
		touched = st.touched
	}
	return st.encode(prev, touched)
}

// index computes every term's postings from docs alone.
func (st *state) index(tk *tokeniser) {
	docs := st.docs
	st.lens = make([]int, len(docs))
	st.weights = make([][]weight, len(docs))
	// Tokenising is most of an index's work, and each document's is its
	// own: the documents are analysed on as many goroutines as Go runs at
	// once, each with a tokeniser of its own (its maps are memos of pure
	// functions). No document's analysis is kept: a map of tallies per
	// document, for ten thousand stories, was a build's peak memory. Each
	// worker moves a document's terms into postings of its own at once,
	// twelve bytes each, and reuses the map for its next document; the
	// workers' postings are merged in document order below, so the index
	// is the same as one made on one goroutine.
	workers := min(runtime.GOMAXPROCS(0), len(docs))
	parts := make([]map[string]*pendingTerm, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		t := tk
		if w > 0 {
			t = newTokeniser(st.lang)
		}
		own := map[string]*pendingTerm{}
		parts[w] = own
		wg.Go(func() {
			a := &analysis{}
			for i := int(next.Add(1)) - 1; i < len(docs); i = int(next.Add(1)) - 1 {
				t.analyseInto(a, docs[i])
				st.lens[i], st.weights[i] = a.len, a.weights()
				for word, x := range a.terms {
					p := own[word]
					if p == nil {
						// A worker takes its documents in order: the
						// first that gives a word is its first.
						p = &pendingTerm{stem: x.stem, first: int32(i)}
						own[word] = p
					}
					wt := x.weight()
					p.rows = append(p.rows, pending{doc: int32(i), base: uint8(wt.base), tf: float32(wt.tf)})
				}
			}
		})
	}
	wg.Wait()
	st.total = 0
	for _, n := range st.lens {
		st.total += n
	}
	st.avg = average(st.total, len(docs))
	// A word's stem is not a term of its own: the words that share a
	// stem form a group (see encodeShard), which saves repeating their
	// postings. A term takes the stem of the first word that gave it, in
	// the first document that holds it.
	size := 0
	for _, part := range parts {
		size = max(size, len(part))
	}
	st.terms = make(map[string]*term, size)
	for k, part := range parts {
		for word, p := range part {
			if _, done := st.terms[word]; done {
				continue
			}
			rows, stem, first := p.rows, p.stem, p.first
			for _, other := range parts[k+1:] {
				if q := other[word]; q != nil {
					rows = merge(rows, q.rows)
					if q.first < first {
						stem, first = q.stem, q.first
					}
				}
			}
			ps := make([]posting, len(rows))
			for j, r := range rows {
				ps[j] = posting{doc: r.doc, score: r.weight().score(st.lens[r.doc], st.avg)}
			}
			st.terms[word] = &term{postings: ps, stem: stem}
		}
	}
}

// pendingTerm is a term's postings from one worker of index, before the
// average length that scores them is known.
type pendingTerm struct {
	rows  []pending // by document
	stem  string    // from the first document that gave the term
	first int32
}

// pending is a posting before its score: the weight it is computed from,
// in twelve bytes. A weight's frequency is a count or half of one, which a
// float32 holds exactly.
type pending struct {
	doc  int32
	tf   float32
	base uint8
}

func (p pending) weight() weight { return weight{int(p.base), float64(p.tf)} }

func (p pending) docID() int32 { return p.doc }

// encode writes the index's files. touched are the terms whose postings
// may differ from prev's; nil (or no prev) encodes every shard.
func (st *state) encode(prev *state, touched map[string]bool) (*Index, error) {
	dir, docs := st.dir, st.docs
	ix := &Index{Files: map[string][]byte{}, state: st}
	st.files = ix.Files
	name := func(prefix, h, ext string) string { return dir + "/" + prefix + "." + h + "." + ext }
	put := func(prefix, ext string, data []byte) string {
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:6])
		ix.Files[name(prefix, h, ext)] = data
		return h
	}
	// reuse publishes prev's file, unchanged.
	reuse := func(prefix, h, ext string) string {
		n := name(prefix, h, ext)
		ix.Files[n] = prev.files[n]
		return h
	}

	m := manifest{Version: 1, Lang: st.lang, Docs: len(docs), PerShard: DocsPerShard, Terms: map[string]string{}}
	kinds, places, contests := vocab(), vocab(), vocab()
	st.facets = make([]facet, len(docs))
	for i, d := range docs {
		st.facets[i] = facet{kinds.id(d.Kind), places.id(d.Place), contests.id(d.Contest)}
	}
	m.Kinds, m.Places, m.Contests = kinds.names, places.names, contests.names
	ix.Terms = len(st.terms)

	// Term shards by the first two folded letters.
	if prev == nil || touched == nil {
		st.shards = map[string]*shard{}
		for w := range st.terms {
			k := shardKey(w)
			if st.shards[k] == nil {
				st.shards[k] = &shard{}
			}
			st.shards[k].words = append(st.shards[k].words, w)
		}
		for _, sh := range st.shards {
			slices.Sort(sh.words)
		}
	} else {
		st.shards = maps.Clone(prev.shards)
		dirty := map[string][]string{}
		for w := range touched {
			k := shardKey(w)
			dirty[k] = append(dirty[k], w)
		}
		for k, words := range dirty {
			if old := prev.shards[k]; old != nil {
				words = append(words, old.words...)
			}
			slices.Sort(words)
			words = slices.Compact(words)
			words = slices.DeleteFunc(words, func(w string) bool { return st.terms[w] == nil })
			if len(words) == 0 {
				delete(st.shards, k)
				continue
			}
			st.shards[k] = &shard{words: words}
		}
	}
	for _, k := range sortedKeys(st.shards) {
		sh := st.shards[k]
		if sh.hash == "" {
			sh.hash = put("t", "bin", encodeShard(sh.words, st.terms))
		} else {
			reuse("t", sh.hash, "bin")
		}
		m.Terms[k] = sh.hash
	}

	// Document shards.
	for start := 0; start < len(docs); start += DocsPerShard {
		end := min(start+DocsPerShard, len(docs))
		if prev != nil && end == min(start+DocsPerShard, len(prev.docs)) &&
			slices.Equal(docs[start:end], prev.docs[start:end]) && slices.Equal(st.facets[start:end], prev.facets[start:end]) {
			h := reuse("d", prev.docShards[start/DocsPerShard], "json")
			st.docShards = append(st.docShards, h)
			m.DocFiles = append(m.DocFiles, h)
			continue
		}
		var rows [][]any
		for i := start; i < end; i++ {
			d, f := docs[i], st.facets[i]
			rows = append(rows, []any{d.URL, d.Title, f.kind, f.place, f.contest, d.Excerpt, d.Thumb, d.Teller})
		}
		b, err := json.Marshal(rows)
		if err != nil {
			return nil, err
		}
		h := put("d", "json", b)
		st.docShards = append(st.docShards, h)
		m.DocFiles = append(m.DocFiles, h)
	}

	// Facets: 1 + the kind, place and contest of each document (0: none).
	var fb []byte
	for _, f := range st.facets {
		fb = appendUvarint(fb, uint64(f.kind+1))
		fb = appendUvarint(fb, uint64(f.place+1))
		fb = appendUvarint(fb, uint64(f.contest+1))
	}
	m.Facets = put("f", "bin", fb)

	mb, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	h := put("index", "json", mb)
	ix.Manifest = "/" + dir + "/index." + h + ".json"
	return ix, nil
}

// shardKey is the shard a term lives in: its first two runes.
func shardKey(w string) string {
	r := []rune(w)
	return string(r[:min(2, len(r))])
}

// encodeShard writes a term shard. All numbers are unsigned LEB128
// varints:
//
//	count of terms
//	per term, in byte order:
//	  length of the term in bytes, the term (UTF-8)
//	  group: 0, or 1 + the index in this shard of the first word with the
//	  same stem (a query word equal to a term also matches its group)
//	  count of postings
//	  per posting, by document: (doc − previous doc) << 4 | score
//	  (the first posting's previous doc is −1)
func encodeShard(words []string, terms map[string]*term) []byte {
	first := map[string]int{} // stem → index of its first word
	size := map[string]int{}
	for i, w := range words {
		if s := terms[w].stem; s != "" {
			if _, ok := first[s]; !ok {
				first[s] = i
			}
			size[s]++
		}
	}
	var b []byte
	b = appendUvarint(b, uint64(len(words)))
	for _, w := range words {
		t := terms[w]
		b = appendUvarint(b, uint64(len(w)))
		b = append(b, w...)
		group := 0
		if size[t.stem] > 1 {
			group = first[t.stem] + 1
		}
		b = appendUvarint(b, uint64(group))
		b = appendUvarint(b, uint64(len(t.postings)))
		prev := -1
		for _, p := range t.postings {
			b = appendUvarint(b, uint64(int(p.doc)-prev)<<4|uint64(p.score))
			prev = int(p.doc)
		}
	}
	return b
}

func appendUvarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// vocabulary numbers the distinct values of a filter in order of first
// appearance; "" is -1.
type vocabulary struct {
	ids   map[string]int
	names []string
}

func vocab() *vocabulary { return &vocabulary{ids: map[string]int{}, names: []string{}} }

func (v *vocabulary) id(name string) int {
	if name == "" {
		return -1
	}
	if i, ok := v.ids[name]; ok {
		return i
	}
	v.ids[name] = len(v.names)
	v.names = append(v.names, name)
	return len(v.names) - 1
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
