// Package results reads final vote counts, as `postcard votes export`
// writes them, so a build can bake them into a closed contest's page: the
// static page then shows the outcome without the voting function running.
package results

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/postcard-ssg/postcard/generator/diag"
)

// Results are vote counts by contest and entry, with the line each came from.
type Results map[string]map[string]Count

// Count is one entry's final count.
type Count struct {
	Votes int
	Pos   diag.Pos
}

// maxRows bounds a results file; a contest has far fewer entries.
const maxRows = 100_000

// Parse reads a CSV with a header naming at least the columns contest,
// entry and votes, in any order (others, such as title, are ignored).
func Parse(file string, data []byte) (Results, error) {
	var errs diag.List
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, diag.Errorf(diag.Pos{File: file, Line: 1}, "empty results file: want a header line contest,entry,votes")
		}
		return nil, csvError(file, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"contest", "entry", "votes"} {
		if _, ok := col[need]; !ok {
			errs.Add(diag.Pos{File: file, Line: 1, Col: 1}, "the header has no %q column (want contest,entry,votes)", need)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	out := Results{}
	for rows := 0; ; rows++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(file, err)
		}
		line, _ := r.FieldPos(0)
		pos := diag.Pos{File: file, Line: line, Col: 1}
		if rows >= maxRows {
			return nil, diag.Errorf(pos, "more than %d rows: this is not a results file", maxRows)
		}
		get := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		contest, entry := get("contest"), get("entry")
		if contest == "" || entry == "" {
			errs.Add(pos, "contest and entry must not be empty")
			continue
		}
		n, err := strconv.Atoi(get("votes"))
		if err != nil || n < 0 {
			errs.Add(pos, "votes %q is not a count", get("votes"))
			continue
		}
		if out[contest] == nil {
			out[contest] = map[string]Count{}
		}
		if prev, dup := out[contest][entry]; dup {
			errs.Add(pos, "entry %q of contest %q is listed twice (first at line %d)", entry, contest, prev.Pos.Line)
			continue
		}
		out[contest][entry] = Count{Votes: n, Pos: pos}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return diag.Errorf(diag.Pos{File: file, Line: pe.Line, Col: pe.Column}, "%v", pe.Err)
	}
	return diag.Errorf(diag.Pos{File: file}, "%v", err)
}
