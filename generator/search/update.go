package search

// Building an index again after an edit to one story (the dev server does
// after every save) should not cost tokenising ten thousand: Build can
// start from the index it made before (Options.Prev) and give the same
// bytes as a Build from nothing.
//
// What makes that less than obvious is the one global number in a score:
// the documents' average length (BM25's length normalisation). An edit
// that changes a story's length moves it, and with it, in principle, the
// score of every word of every document. In practice a score is rounded
// to one of five steps, so a tiny move of the average changes few scores
// or none; each document keeps the distinct weights of its terms
// (weight: the tier and the frequency a score is computed from) and its
// length, which say, without tokenising it again, whether any of its
// scores moved. Only the documents whose text changed and those whose
// scores moved are tokenised again; only the terms they hold get new
// posting lists, and only the shards those terms are in new bytes.
//
// A document that moves (a story added, removed or re-dated before it)
// changes the numbering of every document after it, and so every posting
// list: those edits rewrite every shard, from the kept documents'
// postings, still without tokenising them.
//
// A term's stem group is taken from the first word that gave the term,
// in the first document that holds it (the order a Build from nothing
// meets them in), which a document before it can change: when a term's
// first document is one not tokenised again, its stem is the one it had,
// or, when that document was not first before, read from it again.

import (
	"cmp"
	"maps"
	"math"
	"slices"
)

// state is what a Build keeps for the next one. It is never changed once
// its Build returns: the next Build copies what it changes.
type state struct {
	lang, dir string
	docs      []Doc
	lens      []int      // each document's length, in words of its body
	weights   [][]weight // each document's distinct term weights
	total     int        // the sum of lens
	avg       float64
	terms     map[string]*term
	shards    map[string]*shard
	docShards []string // the hash of each document shard's file
	facets    []facet
	files     map[string][]byte

	// touched are the terms update gave new postings.
	touched map[string]bool
}

// shard is a term shard: its words in order, and its file's hash once
// encoded.
type shard struct {
	words []string
	hash  string
}

type facet struct{ kind, place, contest int }

// reusable returns ix's state when a Build of lang into dir may start
// from it.
func (ix *Index) reusable(lang, dir string) *state {
	if ix == nil || ix.state == nil || ix.state.lang != lang || ix.state.dir != dir {
		return nil
	}
	return ix.state
}

// tally counts a term in one document, by field, and holds the stem of
// the document's first word that gave it.
type tally struct {
	title, meta, body int
	stem              string
}

// weight is what a term's score in a document is computed from, besides
// the document's length and the average: its tier and its frequency.
type weight struct {
	base int
	tf   float64
}

func (x *tally) weight() weight {
	switch {
	case x.title > 0:
		return weight{tierTitle, float64(x.title)*3 + float64(x.meta) + float64(x.body)/2}
	case x.meta > 0:
		return weight{tierMeta, float64(x.meta)*2 + float64(x.body)/2}
	}
	return weight{tierBody, float64(x.body)}
}

// score is the term's score in a document of n words, for the average
// length avg: BM25's saturation of the frequency, in tierSteps steps.
func (w weight) score(n int, avg float64) uint8 {
	norm := bm25K1 * (1 - bm25B + bm25B*float64(n)/avg)
	sat := w.tf / (w.tf + norm) // 0…1
	return uint8(w.base + int(math.Round(sat*tierSteps)))
}

func (x *tally) score(n int, avg float64) uint8 { return x.weight().score(n, avg) }

func average(total, docs int) float64 {
	return max(float64(total)/float64(max(docs, 1)), 1)
}

// analysis is one document's terms, and its length.
type analysis struct {
	terms map[string]*tally
	len   int
	// slab holds the tallies terms points to, for analyseInto to reuse.
	slab []tally
}

// weights lists the distinct weights of a's terms. A document has few:
// a list is searched rather than a set made.
func (a *analysis) weights() []weight {
	var out []weight
	for _, x := range a.terms {
		if w := x.weight(); !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// tokeniser splits documents into terms, remembering each raw word's
// tokens and stem for the documents after.
type tokeniser struct {
	stem   func(string) string
	stems  map[string]string   // raw word → folded stem
	folded map[string][]string // raw word → its tokens
}

func newTokeniser(lang string) *tokeniser {
	return &tokeniser{stem: stemmer(lang), stems: map[string]string{}, folded: map[string][]string{}}
}

// analyse counts d's terms per field: title, then meta, then body.
func (tk *tokeniser) analyse(d Doc) *analysis {
	a := &analysis{}
	tk.analyseInto(a, d)
	return a
}

// analyseInto is analyse into a, whose terms and tallies from the
// document before it replaces, reusing their memory.
func (tk *tokeniser) analyseInto(a *analysis, d Doc) {
	if a.terms == nil {
		a.terms = map[string]*tally{}
	}
	clear(a.terms)
	a.slab = a.slab[:0]
	add := func(text string, field int) int {
		n := 0
		for raw := range rawWords(text) {
			words, ok := tk.folded[raw]
			if !ok {
				words = Tokens(raw)
				tk.folded[raw] = words
			}
			for _, w := range words {
				n++
				x := a.terms[w]
				if x == nil {
					x = a.newTally()
					if tk.stem != nil {
						s, ok := tk.stems[raw]
						if !ok {
							if f := Tokens(tk.stem(raw)); len(f) == 1 {
								s = f[0]
							}
							tk.stems[raw] = s
						}
						x.stem = s
					}
					a.terms[w] = x
				}
				switch field {
				case 0:
					x.title++
				case 1:
					x.meta++
				default:
					x.body++
				}
			}
		}
		return n
	}
	add(d.Title, 0)
	add(d.Meta, 1)
	a.len = add(d.Body, 2)
}

// newTally is a zero tally from a's slab. A full slab is replaced, not
// grown: the tallies already handed out stay where they are.
func (a *analysis) newTally() *tally {
	if len(a.slab) == cap(a.slab) {
		a.slab = make([]tally, 0, max(64, 2*cap(a.slab)))
	}
	a.slab = append(a.slab, tally{})
	return &a.slab[len(a.slab)-1]
}

// sameText reports whether two documents give the same terms.
func sameText(a, b Doc) bool {
	return a.Title == b.Title && a.Meta == b.Meta && a.Body == b.Body
}

// update computes st's postings from prev's, tokenising only what it must,
// and records the terms it gave new postings in st.touched (nil: every
// term). It returns false when prev cannot be started from.
func (st *state) update(prev *state, tk *tokeniser) bool {
	docs := st.docs
	n := len(docs)
	// oldOf is each document's index in prev when its text is the same;
	// newOf the other way.
	oldOf := make([]int, n)
	newOf := make([]int, len(prev.docs))
	for j := range newOf {
		newOf[j] = -1
	}
	identity := n == len(prev.docs)
	for i := range docs {
		if identity && docs[i].URL != prev.docs[i].URL {
			identity = false
		}
	}
	var byURL map[string]int
	if !identity {
		byURL = make(map[string]int, len(prev.docs))
		for j, d := range prev.docs {
			if _, dup := byURL[d.URL]; dup {
				return false
			}
			byURL[d.URL] = j
		}
	}
	for i, d := range docs {
		j, ok := i, identity
		if !identity {
			j, ok = byURL[d.URL]
		}
		if !ok || newOf[j] >= 0 || !sameText(d, prev.docs[j]) {
			oldOf[i] = -1
			continue
		}
		oldOf[i], newOf[j] = j, i
	}

	// Tokenise the documents whose text is new.
	fresh := map[int]*analysis{}
	st.lens = make([]int, n)
	st.weights = make([][]weight, n)
	st.total = 0
	for i, d := range docs {
		if j := oldOf[i]; j >= 0 {
			st.lens[i], st.weights[i] = prev.lens[j], prev.weights[j]
		} else {
			a := tk.analyse(d)
			fresh[i] = a
			st.lens[i], st.weights[i] = a.len, a.weights()
		}
		st.total += st.lens[i]
	}
	st.avg = average(st.total, n)
	// And those of the others whose scores the new average moves.
	if st.avg != prev.avg {
		for i, j := range oldOf {
			if j < 0 {
				continue
			}
			for _, w := range st.weights[i] {
				if w.score(st.lens[i], st.avg) != w.score(st.lens[i], prev.avg) {
					fresh[i] = tk.analyse(docs[i])
					break
				}
			}
		}
	}

	// The terms whose postings change: those of the documents gone or
	// changed, and those of the fresh ones; every term when documents
	// moved.
	var touched map[string]bool
	if identity {
		touched = map[string]bool{}
		for j, i := range newOf {
			if i < 0 {
				for w := range tk.analyse(prev.docs[j]).terms {
					touched[w] = true
				}
			}
		}
		for _, a := range fresh {
			for w := range a.terms {
				touched[w] = true
			}
		}
	}
	// The fresh documents' postings, by term, in document order.
	add := map[string][]posting{}
	for _, i := range slices.Sorted(maps.Keys(fresh)) {
		for w, x := range fresh[i].terms {
			add[w] = append(add[w], posting{doc: int32(i), score: x.score(st.lens[i], st.avg)})
		}
	}
	// reread holds documents read again for a term's stem alone.
	reread := map[int]*analysis{}
	stemOf := func(w string, i int, old *term) string {
		if tk.stem == nil {
			return ""
		}
		if a := fresh[i]; a != nil {
			return a.terms[w].stem
		}
		if old != nil && newOf[old.postings[0].doc] == i {
			return old.stem
		}
		a := reread[i]
		if a == nil {
			a = tk.analyse(docs[i])
			reread[i] = a
		}
		return a.terms[w].stem
	}
	freshDocs := make([]int32, 0, len(fresh))
	for i := range fresh {
		freshDocs = append(freshDocs, int32(i))
	}
	slices.Sort(freshDocs)
	postings := func(w string) *term {
		old := prev.terms[w]
		if identity {
			var ps []posting
			if old != nil {
				ps = patch(old.postings, freshDocs, add[w])
			} else {
				ps = add[w]
			}
			if len(ps) == 0 {
				return nil
			}
			return &term{postings: ps, stem: stemOf(w, int(ps[0].doc), old)}
		}
		var ps []posting
		if old != nil {
			ps = make([]posting, 0, len(old.postings)+len(add[w]))
			for _, p := range old.postings {
				if i := newOf[p.doc]; i >= 0 && fresh[i] == nil {
					ps = append(ps, posting{doc: int32(i), score: p.score})
				}
			}
		}
		byDoc := func(a, b posting) int { return int(a.doc) - int(b.doc) }
		if !slices.IsSortedFunc(ps, byDoc) {
			slices.SortFunc(ps, byDoc) // a document moved before another
		}
		ps = merge(ps, add[w])
		if len(ps) == 0 {
			return nil
		}
		return &term{postings: ps, stem: stemOf(w, int(ps[0].doc), old)}
	}
	if identity {
		st.terms = maps.Clone(prev.terms)
		for w := range touched {
			if t := postings(w); t != nil {
				st.terms[w] = t
			} else {
				delete(st.terms, w)
			}
		}
	} else {
		st.terms = make(map[string]*term, len(prev.terms))
		for w := range prev.terms {
			if t := postings(w); t != nil {
				st.terms[w] = t
			}
		}
		for w := range add {
			if _, ok := prev.terms[w]; !ok {
				st.terms[w] = postings(w)
			}
		}
	}
	st.touched = touched
	return true
}

// merge merges two posting lists (or lists of pending postings) in
// document order, which hold no document twice.
func merge[P interface{ docID() int32 }](a, b []P) []P {
	if len(b) == 0 {
		return a
	}
	out := make([]P, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0].docID() < b[0].docID() {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

func (p posting) docID() int32 { return p.doc }

// patch returns the posting list old with the postings of the documents
// docs (in order) replaced by those of add (in order, of docs only): the
// rest is copied in runs, as a common word's list holds most documents.
func patch(old []posting, docs []int32, add []posting) []posting {
	out := make([]posting, 0, len(old)+len(add))
	for _, d := range docs {
		k, found := slices.BinarySearchFunc(old, d, func(p posting, d int32) int { return cmp.Compare(p.doc, d) })
		out = append(out, old[:k]...)
		if found {
			k++
		}
		old = old[k:]
		if len(add) > 0 && add[0].doc == d {
			out, add = append(out, add[0]), add[1:]
		}
	}
	return append(out, old...)
}
