package vote

import (
	"encoding/json"
	"testing"
)

// FuzzDecodeBallot checks that the body decoder never panics, accepts only
// what encoding/json also reads as exactly {"contest", "entry"} with slugs,
// and that what it accepts survives a round trip.
func FuzzDecodeBallot(f *testing.F) {
	for _, s := range []string{
		`{"contest": "autumn-light-2026", "entry": "first-light-on-the-pier"}`,
		`{"entry":"a","contest":"b"}`,
		`{"contest": "a", "entry": "b", "x": 1}`,
		`{"contest": "a", "entry": "b"} {}`,
		`{"contest": "a", "entry": "b", "entry": "c"}`,
		`{"contest": "a\u0000", "entry": 1e400}`,
		`[]`, `null`, ``, `{`, `{"contest": {"entry": "b"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeBallot(data)
		if err != nil {
			if ErrorCode(err) != Invalid {
				t.Fatalf("error code %q for %q", ErrorCode(err), data)
			}
			return
		}
		if !validSlug(b.Contest) || !validSlug(b.Entry) {
			t.Fatalf("accepted non-slugs %+v from %q", b, data)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("accepted %q, which encoding/json rejects: %v", data, err)
		}
		if len(m) != 2 || m["contest"] != b.Contest || m["entry"] != b.Entry {
			t.Fatalf("decoded %+v from %q, encoding/json read %v", b, data, m)
		}
		again, err := json.Marshal(map[string]string{"contest": b.Contest, "entry": b.Entry})
		if err != nil {
			t.Fatal(err)
		}
		if b2, err := decodeBallot(again); err != nil || b2 != b {
			t.Fatalf("round trip of %+v: %+v, %v", b, b2, err)
		}
	})
}
