package build

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestResultsAreBakedIntoClosedContests(t *testing.T) {
	src := writeSite(t, loadFixture(t, "basic"))
	res, err := Run(t.Context(), Options{Source: src, Now: now, Results: filepath.Join(src, "results.csv")})
	if err != nil {
		t.Fatal(err)
	}
	assertLines(t, res, "contests/summer/index.html",
		`<dt>Results</dt><dd><a href="#results">1 entry, final counts</a></dd>`,
		`<h2 id="winners">Winners</h2>`,
		`<h2 id="results">Final results</h2>`,
		`<td><a href="/stories/midsummer/">Midsummer</a></td><td>landscape</td><td>41</td>`,
	)
}

func TestResultsOfAnOpenContestAreRefused(t *testing.T) {
	archive := append(loadFixture(t, "basic"), []byte("-- open.csv --\ncontest,entry,votes\nautumn,first-light,3\nsummer,boathouse,2\nspring,x,1\n")...)
	src := writeSite(t, archive)
	_, err := Run(t.Context(), Options{Source: src, Now: now, Results: filepath.Join(src, "open.csv")})
	for _, want := range []string{
		`open.csv:2:1: contest "autumn" takes votes until 2026-11-30: bake its results in after voting closes`,
		`open.csv:3:1: "boathouse" is not a published entry of contest "summer"`,
		`open.csv:4:1: results for unknown contest "spring"`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v\nwant %s", err, want)
		}
	}
}

func TestWinnersFromResults(t *testing.T) {
	// Without winners in the contest file, the most voted entries place.
	archive := strings.Replace(string(loadFixture(t, "basic")), `winners = [ { entry = "midsummer", category = "landscape", place = 1 } ]`, "", 1)
	src := writeSite(t, []byte(archive))
	res, err := Run(t.Context(), Options{Source: src, Now: now, Results: filepath.Join(src, "results.csv")})
	if err != nil {
		t.Fatal(err)
	}
	assertLines(t, res, "contests/summer/index.html", `<h2 id="winners">Winners</h2>`, `1st place · landscape`, `href="/stories/midsummer/"`)
}
