package search

import (
	"iter"
	"strings"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/finnish"
	"github.com/blevesearch/snowballstem/swedish"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// maxTermRunes bounds an index term: longer runs of letters are not words
// (a pasted hash, a URL) and would only bloat a shard.
const maxTermRunes = 32

// Fold is the form in which the index stores words and the search script
// compares them: compatibility-decomposed (NFKD: "ﬁ" is "fi", full-width
// letters are ASCII), stripped of nonspacing marks ("järvi", "café" and
// "Ångström" lose their accents), lower-cased, and with ß written ss.
// Letters that Unicode does not decompose (ø, æ, ł) stay as they are.
//
// The theme's search script folds a query with the same steps
// (String.prototype.normalize("NFKD"), /\p{Mn}/gu, toLowerCase); the cases
// in testdata/fold.json are checked on both sides.
func Fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	// Invalid bytes become U+FFFD, a separator, as a browser decodes them.
	s = strings.ToValidUTF8(s, "\uFFFD")
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)))
	out, _, err := transform.String(t, s)
	if err != nil {
		// Valid UTF-8 cannot make these transformers fail.
		out = s
	}
	return strings.ReplaceAll(strings.ToLower(out), "ß", "ss")
}

// Tokens splits a query, or any text, into the folded words the index
// holds: the maximal runs of letters and digits of its folded form. Words
// longer than maxTermRunes runes are dropped.
func Tokens(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(Fold(s), notWordRune) {
		if len([]rune(w)) <= maxTermRunes {
			out = append(out, w)
		}
	}
	return out
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }

// rawWords splits text into lower-cased words before folding, so a
// stemmer sees them as the language writes them (Finnish stems need ä and
// ö). Marks stay inside a word.
func rawWords(s string) iter.Seq[string] {
	return strings.FieldsFuncSeq(strings.ToLower(norm.NFC.String(s)), func(r rune) bool {
		return notWordRune(r) && !unicode.Is(unicode.M, r)
	})
}

// stemmer returns the Snowball stemmer of a language (an ISO 639-1 code,
// "en", or a tag such as "en-GB"), or nil when there is none: the index is
// then built from words only, and prefix matching still finds inflected
// forms that share a beginning.
func stemmer(lang string) func(string) string {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	var stem func(*snowballstem.Env) bool
	switch base {
	case "en":
		stem = english.Stem
	case "fi":
		stem = finnish.Stem
	case "sv":
		stem = swedish.Stem
	default:
		return nil
	}
	return func(w string) string {
		env := snowballstem.NewEnv(w)
		stem(env)
		return env.Current()
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
