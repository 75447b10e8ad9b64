package diag

// Suggestions for misspelt names: a field, a media file, an ambassador, a
// contest, a category. The closest known name is offered when it differs
// only in case, or by at most two edits (a letter added, dropped, changed,
// or two neighbours swapped), which catches typos without guessing wildly.

import (
	"strconv"
	"strings"
)

// maxEdits is how far a misspelling may be from the name it suggests.
const maxEdits = 2

// Nearest returns the name of known closest to word: one equal to it but
// for case first, else the nearest within two edits (not counting case),
// the first in known order on a tie. It returns "" when none is close, and
// never word itself.
func Nearest(word string, known []string) string {
	lw := strings.ToLower(word)
	for _, k := range known {
		if k != word && strings.ToLower(k) == lw {
			return k
		}
	}
	best, bestD := "", maxEdits+1
	for _, k := range known {
		if k == word {
			continue
		}
		// A short word is too easily two edits from anything.
		limit := min(maxEdits, max(1, len([]rune(k))/3))
		if d := editDistance(lw, strings.ToLower(k)); d <= limit && d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// DidYouMean returns `; did you mean "x"?` for the name of known nearest
// to word (see Nearest), or "" when none is close, to end a message with.
func DidYouMean(word string, known []string) string {
	if n := Nearest(word, known); n != "" {
		return "; did you mean " + strconv.Quote(n) + "?"
	}
	return ""
}

// editDistance is the optimal string alignment distance between a and b,
// in runes: insertions, deletions, substitutions and swaps of neighbours.
func editDistance(a, b string) int {
	s, t := []rune(a), []rune(b)
	if abs(len(s)-len(t)) > maxEdits {
		return maxEdits + 1
	}
	// Three rows: the one before last, the last, and the current.
	prev2 := make([]int, len(t)+1)
	prev := make([]int, len(t)+1)
	cur := make([]int, len(t)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(s); i++ {
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(t)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
