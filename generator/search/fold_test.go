package search

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// foldCase is one line of testdata/fold.json, the table the theme's
// script is tested against too (tests/browser/search-fold.test.mjs).
type foldCase struct {
	In     string   `json:"in"`
	Fold   string   `json:"fold"`
	Tokens []string `json:"tokens"`
}

func foldCases(t testing.TB) []foldCase {
	b, err := os.ReadFile("testdata/fold.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []foldCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

func TestFold(t *testing.T) {
	for _, c := range foldCases(t) {
		if got := Fold(c.In); got != c.Fold {
			t.Errorf("Fold(%q) = %q, want %q", c.In, got, c.Fold)
		}
		got := Tokens(c.In)
		if got == nil {
			got = []string{}
		}
		if !slices.Equal(got, c.Tokens) {
			t.Errorf("Tokens(%q) = %q, want %q", c.In, got, c.Tokens)
		}
	}
}

func TestStemmer(t *testing.T) {
	for _, c := range []struct{ lang, word, want string }{
		{"en", "lakes", "lake"},
		{"en", "running", "run"},
		{"en-GB", "stories", "stori"},
		{"fi", "järvellä", "järv"},
		{"fi", "järvet", "järv"},
		{"sv", "flickorna", "flick"},
	} {
		s := stemmer(c.lang)
		if s == nil {
			t.Fatalf("no stemmer for %q", c.lang)
		}
		if got := s(c.word); got != c.want {
			t.Errorf("%s: stem(%q) = %q, want %q", c.lang, c.word, got, c.want)
		}
	}
	if stemmer("ja") != nil || stemmer("") != nil {
		t.Error("a stemmer for a language Snowball does not cover")
	}
}

// FuzzTokens: the tokenizer reads visitors' queries and contributors'
// text; whatever it is given, it must not panic, and its words must be
// folded, valid, non-empty, short, and made of letters and numbers, and
// each finds the story it came from.
func FuzzTokens(f *testing.F) {
	for _, c := range foldCases(f) {
		f.Add(c.In)
	}
	f.Add("\xff\xfe invalid")
	f.Add(strings.Repeat("ä", 100))
	for _, lang := range []string{"en", "fi", "sv"} {
		f.Add(lang)
	}
	stems := []func(string) string{stemmer("en"), stemmer("fi"), stemmer("sv")}
	f.Fuzz(func(t *testing.T, s string) {
		for _, w := range Tokens(s) {
			if w == "" || !utf8.ValidString(w) || utf8.RuneCountInString(w) > maxTermRunes {
				t.Fatalf("Tokens(%q): bad word %q", s, w)
			}
			if strings.IndexFunc(w, notWordRune) >= 0 {
				t.Fatalf("Tokens(%q): %q holds a separator", s, w)
			}
			if Fold(w) != w {
				t.Fatalf("Tokens(%q): %q is not folded (%q)", s, w, Fold(w))
			}
		}
		for raw := range rawWords(s) {
			for _, stem := range stems {
				_ = Tokens(stem(raw))
			}
		}
		// Every word of a story's title finds it.
		ix, err := Build([]Doc{{URL: "/x/", Title: s, Body: s, Meta: s}}, Options{Lang: "fi", Dir: "search"})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range Tokens(s) {
			hits, _, err := query(ix, w)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != 1 {
				t.Fatalf("%q: %q finds %d documents", s, w, len(hits))
			}
		}
	})
}
