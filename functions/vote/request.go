package vote

import (
	"bytes"
	"encoding/json"
	"io"
)

// ballot is the body of POST /api/votes.
type ballot struct {
	Contest string
	Entry   string
}

// decodeBallot reads {"contest": "...", "entry": "..."} strictly: exactly
// those two keys, spelled exactly so (encoding/json would also take
// "CONTEST"), each once, each a string naming a slug, and nothing after the
// object but white space. Anything else is an Invalid error.
func decodeBallot(data []byte) (ballot, error) {
	var b ballot
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return b, Errorf(Invalid, `the body must be a JSON object {"contest": "...", "entry": "..."}`)
	}
	var seenContest, seenEntry bool
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return b, Errorf(Invalid, "malformed JSON")
		}
		key, _ := tok.(string)
		var dst *string
		switch {
		case key == "contest" && !seenContest:
			seenContest, dst = true, &b.Contest
		case key == "entry" && !seenEntry:
			seenEntry, dst = true, &b.Entry
		default:
			return b, Errorf(Invalid, "unexpected or repeated field %q", key)
		}
		tok, err = dec.Token()
		if err != nil {
			return b, Errorf(Invalid, "malformed JSON")
		}
		s, ok := tok.(string)
		if !ok {
			return b, Errorf(Invalid, "field %q must be a string", key)
		}
		*dst = s
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return b, Errorf(Invalid, "malformed JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return b, Errorf(Invalid, "unexpected data after the JSON object")
	}
	if !seenContest || !seenEntry {
		return b, Errorf(Invalid, `both "contest" and "entry" are required`)
	}
	if !validSlug(b.Contest) {
		return b, Errorf(Invalid, `"contest" must be a contest slug`)
	}
	if !validSlug(b.Entry) {
		return b, Errorf(Invalid, `"entry" must be an entry slug`)
	}
	return b, nil
}
