package frontmatter

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/postcard-ssg/postcard/generator/diag"
)

// Fields reads typed values out of a Map for a schema, recording every
// problem (missing, mistyped and unknown keys) in a diag.List at the key's
// place. Each getter marks its key as known; Done reports the keys no getter
// asked for.
type Fields struct {
	m      *Map
	prefix string
	errs   *diag.List
	known  map[string]bool
}

// NewFields starts reading m, recording problems in errs. prefix names the
// table in messages ("rights." for keys under [rights]).
func NewFields(m *Map, prefix string, errs *diag.List) *Fields {
	return &Fields{m: m, prefix: prefix, errs: errs, known: map[string]bool{}}
}

// Pos is where key was written, or where the table starts when it is absent.
func (f *Fields) Pos(key string) diag.Pos {
	if p, ok := f.m.KeyPos[key]; ok {
		return p
	}
	return f.m.Pos
}

// TablePos is where the table starts.
func (f *Fields) TablePos() diag.Pos { return f.m.Pos }

// Has reports whether key is present (and not null); it marks key known.
func (f *Fields) Has(key string) bool {
	f.known[key] = true
	v, ok := f.m.Values[key]
	return ok && v.Kind != KindNull
}

// Errorf records a problem at key's place.
func (f *Fields) Errorf(key, format string, args ...any) {
	f.errs.Add(f.Pos(key), format, args...)
}

func (f *Fields) name(key string) string { return f.prefix + key }

func (f *Fields) get(key string, required bool) *Value {
	f.known[key] = true
	v, ok := f.m.Values[key]
	if !ok || v.Kind == KindNull {
		if required {
			f.errs.Add(f.m.Pos, "missing required field %q", f.name(key))
		}
		return nil
	}
	return v
}

func (f *Fields) mistyped(key string, v *Value, want string) {
	f.errs.Add(f.Pos(key), "%s must be %s, not %s", f.name(key), want, v.Kind)
}

// String reads a string. A required string may not be blank.
func (f *Fields) String(key string, required bool) string {
	v := f.get(key, required)
	if v == nil {
		return ""
	}
	if v.Kind != KindString {
		f.mistyped(key, v, "a string")
		return ""
	}
	if required && strings.TrimSpace(v.Str) == "" {
		f.errs.Add(f.Pos(key), "%s must not be empty", f.name(key))
	}
	return v.Str
}

// OneOf reads a string that must be one of allowed; def is used when absent.
func (f *Fields) OneOf(key string, required bool, def string, allowed ...string) string {
	s := f.String(key, required)
	if s == "" {
		return def
	}
	if !slices.Contains(allowed, s) {
		f.errs.Add(f.Pos(key), "%s is %q; it must be one of %s", f.name(key), s, quoteList(allowed))
		return def
	}
	return s
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// Strings reads a list of strings; a single string is accepted as a list of one.
func (f *Fields) Strings(key string, required bool) []string {
	v := f.get(key, required)
	if v == nil {
		return nil
	}
	if v.Kind == KindString {
		return []string{v.Str}
	}
	if v.Kind != KindList {
		f.mistyped(key, v, "a list of strings")
		return nil
	}
	out := make([]string, 0, len(v.List))
	for _, e := range v.List {
		if e.Kind != KindString {
			f.errs.Add(e.Pos, "%s must hold only strings, not %s", f.name(key), e.Kind)
			continue
		}
		out = append(out, e.Str)
	}
	if required && len(out) == 0 {
		f.errs.Add(f.Pos(key), "%s must not be empty", f.name(key))
	}
	return out
}

// Int reads an integer, which must lie within [lo, hi]; def when absent.
func (f *Fields) Int(key string, def, lo, hi int64) int64 {
	v := f.get(key, false)
	if v == nil {
		return def
	}
	n := v.Int
	switch {
	case v.Kind == KindFloat && v.Float == math.Trunc(v.Float) && math.Abs(v.Float) < 1<<53:
		n = int64(v.Float)
	case v.Kind != KindInt:
		f.mistyped(key, v, "an integer")
		return def
	}
	if n < lo || n > hi {
		f.errs.Add(f.Pos(key), "%s is %d; it must be between %d and %d", f.name(key), n, lo, hi)
		return def
	}
	return n
}

// Ints reads a list of integers within [lo, hi].
func (f *Fields) Ints(key string, lo, hi int64) []int64 {
	v := f.get(key, false)
	if v == nil {
		return nil
	}
	if v.Kind != KindList {
		f.mistyped(key, v, "a list of integers")
		return nil
	}
	var out []int64
	for _, e := range v.List {
		if e.Kind != KindInt {
			f.errs.Add(e.Pos, "%s must hold only integers, not %s", f.name(key), e.Kind)
			continue
		}
		if e.Int < lo || e.Int > hi {
			f.errs.Add(e.Pos, "%s holds %d; each must be between %d and %d", f.name(key), e.Int, lo, hi)
			continue
		}
		out = append(out, e.Int)
	}
	return out
}

// Bool reads a boolean; def when absent.
func (f *Fields) Bool(key string, def bool) bool {
	v := f.get(key, false)
	if v == nil {
		return def
	}
	if v.Kind != KindBool {
		f.mistyped(key, v, "true or false")
		return def
	}
	return v.Bool
}

// Date reads a date (a TOML date or date-time, a YAML timestamp, or a string
// such as "2026-09-14"). A date or time written without a zone is placed in
// loc; one with an offset keeps it. ok is false when absent or invalid.
func (f *Fields) Date(key string, required bool, loc *time.Location) (t time.Time, ok bool) {
	v := f.get(key, required)
	if v == nil {
		return time.Time{}, false
	}
	inLoc := func(t time.Time) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
	}
	switch v.Kind {
	case KindDate:
		if v.Local {
			return inLoc(v.Time), true
		}
		return v.Time, true
	case KindString:
		s := strings.TrimSpace(v.Str)
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t, true
		}
		for _, layout := range []string{"2006-01-02", "2006-01-02T15:04:05"} {
			if t, err := time.Parse(layout, s); err == nil {
				return inLoc(t), true
			}
		}
		example := ""
		if localDate.MatchString(s) {
			example = ", e.g. " + isoDate(s)
		}
		f.errs.Add(f.Pos(key), "%s is %q; write a date as YYYY-MM-DD%s", f.name(key), v.Str, example)
		return time.Time{}, false
	}
	f.mistyped(key, v, "a date (YYYY-MM-DD)")
	return time.Time{}, false
}

// Table reads a nested table. It returns nil when absent or mistyped.
func (f *Fields) Table(key string, required bool) *Fields {
	v := f.get(key, required)
	if v == nil {
		return nil
	}
	if v.Kind != KindMap {
		f.mistyped(key, v, "a table")
		return nil
	}
	return NewFields(v.Map, f.name(key)+".", f.errs)
}

// Tables reads a list of tables (an array of tables or inline tables).
func (f *Fields) Tables(key string) []*Fields {
	v := f.get(key, false)
	if v == nil {
		return nil
	}
	if v.Kind != KindList {
		f.mistyped(key, v, "a list of tables")
		return nil
	}
	var out []*Fields
	for i, e := range v.List {
		if e.Kind != KindMap {
			f.errs.Add(e.Pos, "%s[%d] must be a table, not %s", f.name(key), i, e.Kind)
			continue
		}
		out = append(out, NewFields(e.Map, fmt.Sprintf("%s[%d].", f.name(key), i), f.errs))
	}
	return out
}

// Map is the table the fields read.
func (f *Fields) Map() *Map { return f.m }

// Keys lists the table's keys in the order they were written, for tables
// whose keys are names (site.toml's [languages.CODE]); it marks none known.
func (f *Fields) Keys() []string { return slices.Clone(f.m.Keys) }

// Value returns the raw value of key (marking it known), or nil.
func (f *Fields) Value(key string) *Value { return f.get(key, false) }

// Misplaced explains keys of this table that belong to the table around
// it. TOML puts every key written after a [table] header into that table,
// so a top-level setting appended at the end of a file lands in its last
// table. For each key no getter asked for that is one of outer (the
// enclosing table's keys), or a misspelling of one that is no misspelling
// of this table's own, Misplaced records that explanation and marks the key
// known, so Done does not report it again. Call it before Done.
func (f *Fields) Misplaced(outer []string) {
	header := "[" + strings.TrimSuffix(f.prefix, ".") + "]"
	var own []string
	for k := range f.known {
		own = append(own, k)
	}
	slices.Sort(own)
	for _, k := range f.m.Keys {
		if f.known[k] {
			continue
		}
		switch {
		case slices.Contains(outer, k):
			f.errs.Add(f.m.KeyPos[k], "%s is a top-level setting, but it is written after %s, so TOML puts it in that table: move it above the first [table] line", k, header)
		case diag.Nearest(k, own) == "" && diag.Nearest(k, outer) != "":
			f.errs.Add(f.m.KeyPos[k], "unknown field %q: TOML puts a key written after %s in that table; if you meant the top-level setting %q, move it above the first [table] line", f.name(k), header, diag.Nearest(k, outer))
		default:
			continue
		}
		f.known[k] = true
	}
}

// Done records an error for every key no getter asked for, suggesting the
// field it was probably meant to be: one asked for and not set.
func (f *Fields) Done() {
	var unset []string
	for k := range f.known {
		if _, ok := f.m.Values[k]; !ok {
			unset = append(unset, k)
		}
	}
	slices.Sort(unset)
	for _, k := range f.m.Keys {
		if !f.known[k] {
			f.errs.Add(f.m.KeyPos[k], "unknown field %q%s", f.name(k), diag.DidYouMean(k, unset))
		}
	}
}
