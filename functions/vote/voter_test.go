package vote

import (
	"bytes"
	"crypto/rand"
	"testing"
	"time"
)

func TestVoterIDsSortByTime(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	prev := Voter("")
	for i := range 1000 {
		// The random part is all ones, then all zeros: time must still win.
		fill := byte(0xff * (i % 2))
		id, err := mintVoter(bytes.NewReader(bytes.Repeat([]byte{fill}, 10)), t0.Add(time.Duration(i)*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		if id <= prev {
			t.Fatalf("id %d %q does not sort after %q", i, id, prev)
		}
		prev = id
	}
	s := newVoterSigner([]byte("0123456789abcdef0123456789abcdef"))
	id, _ := mintVoter(rand.Reader, t0)
	if got, err := s.verify(s.sign(id), t0); err != nil || got != id {
		t.Fatalf("verify(sign(%q)) = %q, %v", id, got, err)
	}
}
