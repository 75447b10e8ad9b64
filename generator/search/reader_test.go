package search

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// The reader below evaluates a query on the built files the way the
// theme's search script does (themes/postcard/assets/js/search.js), so the
// tests can check matching and ranking on the real encoding.

type shardTerm struct {
	word     string
	stem     int // group: index+1 of its first word in the shard, 0 none
	postings []posting
}

func decodeShard(b []byte) ([]shardTerm, error) {
	next := func() (uint64, error) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, fmt.Errorf("bad varint")
		}
		b = b[n:]
		return v, nil
	}
	n, err := next()
	if err != nil {
		return nil, err
	}
	var out []shardTerm
	for range n {
		l, err := next()
		if err != nil || int(l) > len(b) {
			return nil, fmt.Errorf("bad term")
		}
		t := shardTerm{word: string(b[:l])}
		b = b[l:]
		s, err := next()
		if err != nil {
			return nil, err
		}
		t.stem = int(s)
		c, err := next()
		if err != nil {
			return nil, err
		}
		doc := -1
		for range c {
			v, err := next()
			if err != nil {
				return nil, err
			}
			doc += int(v >> 4)
			t.postings = append(t.postings, posting{doc: int32(doc), score: uint8(v & 15)})
		}
		out = append(out, t)
	}
	return out, nil
}

type hit struct {
	doc   int
	score float64
	url   string
}

// query returns the documents matching every word of q, best first, and
// the paths of the files read.
func query(ix *Index, q string) ([]hit, []string, error) {
	var m manifest
	dir := strings.TrimSuffix(ix.Manifest[1:], "/"+lastSeg(ix.Manifest))
	read := []string{ix.Manifest[1:]}
	if err := json.Unmarshal(ix.Files[ix.Manifest[1:]], &m); err != nil {
		return nil, nil, err
	}
	var total map[int]float64
	for _, w := range Tokens(q) {
		h, ok := m.Terms[shardKey(w)]
		best := map[int]float64{}
		if ok {
			name := dir + "/t." + h + ".bin"
			read = append(read, name)
			terms, err := decodeShard(ix.Files[name])
			if err != nil {
				return nil, nil, err
			}
			var use []int
			group := 0
			for _, t := range terms {
				if t.word == w {
					group = t.stem
				}
			}
			for i, t := range terms {
				if strings.HasPrefix(t.word, w) || (group > 0 && t.stem == group) {
					use = append(use, i)
				}
			}
			for _, i := range use {
				for _, p := range terms[i].postings {
					best[int(p.doc)] = max(best[int(p.doc)], float64(p.score))
				}
			}
			// The word's weight is its inverse document frequency over
			// every document it matches.
			df := float64(len(best))
			idf := math.Log(1 + (float64(m.Docs)-df+0.5)/(df+0.5))
			for d := range best {
				best[d] *= idf
			}
		}
		if total == nil {
			total = best
			continue
		}
		for d, s := range total {
			if b, ok := best[d]; ok {
				total[d] = s + b
			} else {
				delete(total, d)
			}
		}
	}
	var hits []hit
	for d, s := range total {
		hits = append(hits, hit{doc: d, score: s})
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return a.doc - b.doc
	})
	for i := range hits[:min(10, len(hits))] {
		name := dir + "/d." + m.DocFiles[hits[i].doc/m.PerShard] + ".json"
		if !slices.Contains(read, name) {
			read = append(read, name)
		}
		var rows [][]any
		if err := json.Unmarshal(ix.Files[name], &rows); err != nil {
			return nil, nil, err
		}
		hits[i].url = rows[hits[i].doc%m.PerShard][0].(string)
	}
	return hits, read, nil
}

func lastSeg(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }
