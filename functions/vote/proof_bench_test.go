package vote_test

import (
	"strings"
	"testing"

	"github.com/postcard-ssg/postcard/functions/vote"
)

// BenchmarkSolve measures what a challenge costs a client at the default
// difficulty: Go's SHA-256 is a generous stand-in for a browser's (the
// theme's script is several times slower per hash), so it is also what one
// vote costs a script.
func BenchmarkSolve(b *testing.B) {
	challenge := strings.Repeat("A", 62) + "." + strings.Repeat("B", 22)
	for i := 0; b.Loop(); i++ {
		vote.Solve(challenge+string(rune('a'+i%26))+strings.Repeat("c", i/26%8), vote.DefaultChallenge)
	}
}
