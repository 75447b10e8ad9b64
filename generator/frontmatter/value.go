package frontmatter

import (
	"time"

	"github.com/postcard-ssg/postcard/generator/diag"
)

// Kind is the type of a decoded value.
type Kind int

const (
	KindString Kind = iota
	KindInt
	KindFloat
	KindBool
	KindDate // a local date, date-time or offset date-time
	KindList
	KindMap
	KindNull
)

var kindNames = [...]string{"a string", "an integer", "a number", "a boolean", "a date", "a list", "a table", "null"}

func (k Kind) String() string { return kindNames[k] }

// Value is one decoded value and the place it was written.
type Value struct {
	Kind  Kind
	Pos   diag.Pos
	Str   string
	Int   int64
	Float float64
	Bool  bool
	Time  time.Time
	// DateOnly is true for a date without a time of day.
	DateOnly bool
	// Local is true for a date or date-time written without a time zone;
	// Time then holds its fields in UTC, for the reader to place.
	Local bool
	List  []*Value
	Map   *Map
}

// Map is a table of keys in the order they were written.
type Map struct {
	Pos    diag.Pos
	Keys   []string
	Values map[string]*Value
	// KeyPos is where each key was written.
	KeyPos map[string]diag.Pos
}

func newMap(pos diag.Pos) *Map {
	return &Map{Pos: pos, Values: map[string]*Value{}, KeyPos: map[string]diag.Pos{}}
}

func (m *Map) set(key string, pos diag.Pos, v *Value) {
	if _, ok := m.Values[key]; !ok {
		m.Keys = append(m.Keys, key)
	}
	m.Values[key] = v
	m.KeyPos[key] = pos
}
