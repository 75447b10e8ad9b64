package card

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// A story card whose lines are made only when it is drawn (Spec.LinesFrom)
// is the card drawn from the same lines given at once, with the same key
// and so the same published name. The next build finds it without making
// the lines; an edit to the body that leaves the first lines as they were
// makes them once and keeps the card; one that changes them draws a new
// card. Prune keeps only the records of this build's specs.
func TestLinesMadeOnlyWhenDrawn(t *testing.T) {
	composer(t) // loads the fonts
	dir := t.TempDir()
	lines := []string{"The lake holds the last of the light", "like a letter it has not finished reading,"}
	given := Spec{Kind: Story, Title: "Blue hour", Label: "Poem", Lang: "en", Brand: brand, Lines: lines, More: true}
	var made atomic.Int32
	lazy := func(bodyKey string, l []string) Spec {
		s := given
		s.Lines, s.More = nil, false
		s.LinesFrom = &LinesSource{Key: bodyKey, Lines: func() ([]string, bool) {
			made.Add(1)
			return slices.Clone(l), true
		}}
		return s
	}

	want, err := NewMaker(fonts, "").Make([]Spec{given})
	if err != nil {
		t.Fatal(err)
	}
	mk := NewMaker(fonts, dir)
	first, err := mk.Make([]Spec{lazy("body 1", lines)})
	if err != nil {
		t.Fatal(err)
	}
	if first[0].Key != want[0].Key || made.Load() != 1 || mk.Composed() != 1 {
		t.Fatalf("first build: key %.8s (want %.8s), lines made %d times, %d composed", first[0].Key, want[0].Key, made.Load(), mk.Composed())
	}
	if got, err := os.ReadFile(first[0].Path); err != nil || !bytes.Equal(got, want[0].Data) {
		t.Fatalf("the cached card differs from the one drawn from the lines given (%v)", err)
	}

	// The next build: found by the spec's key, no lines made.
	mk = NewMaker(fonts, dir)
	again, err := mk.Make([]Spec{lazy("body 1", lines)})
	if err != nil {
		t.Fatal(err)
	}
	if again[0].Key != want[0].Key || made.Load() != 1 || mk.Composed() != 0 {
		t.Fatalf("next build: key %.8s, lines made %d times in all, %d composed", again[0].Key, made.Load(), mk.Composed())
	}

	// An edit further down the body: its lines are made, the card kept.
	mk = NewMaker(fonts, dir)
	edited, err := mk.Make([]Spec{lazy("body 2", lines)})
	if err != nil {
		t.Fatal(err)
	}
	if edited[0].Key != want[0].Key || made.Load() != 2 || mk.Composed() != 0 {
		t.Fatalf("body edited below its first lines: key %.8s, lines made %d times in all, %d composed", edited[0].Key, made.Load(), mk.Composed())
	}

	// An edit of a first line: a new card.
	mk = NewMaker(fonts, dir)
	changed, err := mk.Make([]Spec{lazy("body 3", []string{"The lake lets go of the light"})})
	if err != nil {
		t.Fatal(err)
	}
	if changed[0].Key == want[0].Key || mk.Composed() != 1 {
		t.Fatalf("first line edited: key %.8s, %d composed", changed[0].Key, mk.Composed())
	}

	// A record naming a card that is gone, or holding garbage, is not
	// trusted: the lines are made and the card drawn again.
	if err := mk.Prune(changed); err != nil {
		t.Fatal(err)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 2 || !slices.Contains(names, changed[0].Ref+".ref") || !slices.Contains(names, changed[0].Key+changed[0].Ext) {
		t.Fatalf("after Prune the cache holds %q", names)
	}
	if err := os.WriteFile(filepath.Join(dir, changed[0].Ref+".ref"), []byte(strings.Repeat("../", 21)+"x"), 0o644); err != nil {
		t.Fatal(err)
	}
	mk = NewMaker(fonts, dir)
	before := made.Load()
	redo, err := mk.Make([]Spec{lazy("body 3", []string{"The lake lets go of the light"})})
	if err != nil {
		t.Fatal(err)
	}
	if redo[0].Key != changed[0].Key || made.Load() != before+1 || mk.Composed() != 0 {
		t.Fatalf("garbled record: key %.8s (want %.8s), lines made %d more times, %d composed", redo[0].Key, changed[0].Key, made.Load()-before, mk.Composed())
	}
}
