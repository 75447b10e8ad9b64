package frontmatter

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/postcard-ssg/postcard/generator/diag"
)

func decodeTOML(file string, src []byte, line int) (*Map, error) {
	var raw map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if msg == "" {
				msg = pe.Error()
			}
			hint := syntaxHint(TOML, lineAt(src, pe.Position.Line))
			return nil, diag.Errorf(diag.Pos{File: file, Line: line + pe.Position.Line - 1, Col: pe.Position.Col}, "invalid TOML: %s%s", msg, hint)
		}
		return nil, diag.Errorf(diag.Pos{File: file, Line: line}, "invalid TOML: %v", err)
	}
	positions := scanTOMLKeys(src)
	start := diag.Pos{File: file, Line: line, Col: 1}
	posOf := func(path string) diag.Pos {
		// The closest known key at or above path, so values inside inline
		// arrays still point at their line.
		for p := path; ; {
			if lc, ok := positions[p]; ok {
				return diag.Pos{File: file, Line: line + lc[0] - 1, Col: lc[1]}
			}
			i := strings.LastIndexByte(p, '.')
			if i < 0 {
				return start
			}
			p = p[:i]
		}
	}
	return tomlMap(raw, "", start, posOf), nil
}

func tomlMap(raw map[string]any, path string, pos diag.Pos, posOf func(string) diag.Pos) *Map {
	m := newMap(pos)
	type key struct {
		name, path string
		pos        diag.Pos
	}
	keys := make([]key, 0, len(raw))
	for k := range raw {
		p := join(path, k)
		keys = append(keys, key{k, p, posOf(p)})
	}
	// Keep the order of the file.
	sort.Slice(keys, func(i, j int) bool {
		pi, pj := keys[i].pos, keys[j].pos
		if pi.Line != pj.Line {
			return pi.Line < pj.Line
		}
		if pi.Col != pj.Col {
			return pi.Col < pj.Col
		}
		return keys[i].name < keys[j].name
	})
	for _, k := range keys {
		m.set(k.name, k.pos, tomlValue(raw[k.name], k.path, k.pos, posOf))
	}
	return m
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func tomlValue(raw any, path string, pos diag.Pos, posOf func(string) diag.Pos) *Value {
	v := &Value{Pos: pos}
	switch x := raw.(type) {
	case string:
		v.Kind, v.Str = KindString, x
	case int64:
		v.Kind, v.Int = KindInt, x
	case float64:
		v.Kind, v.Float = KindFloat, x
	case bool:
		v.Kind, v.Bool = KindBool, x
	case time.Time:
		v.Kind = KindDate
		switch x.Location().String() {
		case "date-local":
			v.DateOnly, v.Local = true, true
			v.Time = time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)
		case "datetime-local", "time-local":
			v.Local = true
			v.Time = time.Date(x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), x.Second(), x.Nanosecond(), time.UTC)
		default:
			v.Time = x
		}
	case map[string]any:
		v.Kind, v.Map = KindMap, tomlMap(x, path, pos, posOf)
	case []map[string]any:
		v.Kind = KindList
		for i, e := range x {
			p := path + "." + strconv.Itoa(i)
			v.List = append(v.List, &Value{Kind: KindMap, Pos: posOf(p), Map: tomlMap(e, p, posOf(p), posOf)})
		}
	case []any:
		v.Kind = KindList
		for i, e := range x {
			p := path + "." + strconv.Itoa(i)
			v.List = append(v.List, tomlValue(e, p, posOf(p), posOf))
		}
	default:
		v.Kind, v.Str = KindString, fmt.Sprint(x)
	}
	return v
}

// scanTOMLKeys finds the line and column of every key in a TOML document,
// keyed by dotted path with list indexes ("rights.license", "gallery.1.alt").
// It understands just enough TOML (strings, comments, tables, arrays of
// tables, inline tables and arrays) to place keys; the document has already
// been parsed successfully by the real decoder.
func scanTOMLKeys(src []byte) map[string][2]int {
	s := &keyScanner{src: string(src), line: 1, col: 1, out: map[string][2]int{}, arrayCount: map[string]int{}}
	s.run()
	return s.out
}

type keyScanner struct {
	src        string
	i          int
	line, col  int
	out        map[string][2]int
	arrayCount map[string]int
}

func (s *keyScanner) peek() byte {
	if s.i < len(s.src) {
		return s.src[s.i]
	}
	return 0
}

func (s *keyScanner) advance() {
	if s.src[s.i] == '\n' {
		s.line++
		s.col = 1
	} else {
		s.col++
	}
	s.i++
}

func (s *keyScanner) skipSpace(newlines bool) {
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			s.advance()
		case c == '\n' && newlines:
			s.advance()
		case c == '#':
			for s.i < len(s.src) && s.src[s.i] != '\n' {
				s.advance()
			}
		default:
			return
		}
	}
}

func (s *keyScanner) run() {
	table := ""
	for s.i < len(s.src) {
		s.skipSpace(true)
		if s.i >= len(s.src) {
			return
		}
		if s.peek() == '[' {
			hl, hc := s.line, s.col
			s.advance()
			isArray := s.peek() == '['
			if isArray {
				s.advance()
			}
			s.skipSpace(false)
			key := s.readKey()
			for s.i < len(s.src) && s.peek() != '\n' {
				s.advance()
			}
			if isArray {
				n := s.arrayCount[key]
				s.arrayCount[key] = n + 1
				s.record(key, hl, hc)
				table = key + "." + strconv.Itoa(n)
			} else {
				table = key
			}
			s.record(table, hl, hc)
			continue
		}
		s.keyValue(table)
		s.skipSpace(false)
	}
}

func (s *keyScanner) record(path string, line, col int) {
	if _, ok := s.out[path]; !ok {
		s.out[path] = [2]int{line, col}
	}
}

// keyValue reads "key = value" within table.
func (s *keyScanner) keyValue(table string) {
	kl, kc := s.line, s.col
	key := s.readKey()
	if key == "" {
		// Not a key: skip the rest of the line.
		for s.i < len(s.src) && s.peek() != '\n' {
			s.advance()
		}
		return
	}
	path := join(table, key)
	s.record(path, kl, kc)
	s.skipSpace(false)
	if s.peek() == '=' {
		s.advance()
	}
	s.skipSpace(false)
	s.value(path)
}

// readKey reads a possibly dotted, possibly quoted key.
func (s *keyScanner) readKey() string {
	var parts []string
	for {
		s.skipSpace(false)
		var part string
		switch c := s.peek(); {
		case c == '"' || c == '\'':
			part = s.readString()
		case isBare(c):
			start := s.i
			for s.i < len(s.src) && isBare(s.peek()) {
				s.advance()
			}
			part = s.src[start:s.i]
		default:
			return strings.Join(parts, ".")
		}
		parts = append(parts, part)
		s.skipSpace(false)
		if s.peek() != '.' {
			return strings.Join(parts, ".")
		}
		s.advance()
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// readString reads a basic, literal or multi-line string and returns its raw
// content (escapes are not interpreted; keys rarely need them).
func (s *keyScanner) readString() string {
	q := s.peek()
	triple := strings.HasPrefix(s.src[s.i:], strings.Repeat(string(q), 3))
	n := 1
	if triple {
		n = 3
	}
	for range n {
		s.advance()
	}
	start := s.i
	for s.i < len(s.src) {
		if q == '"' && s.peek() == '\\' {
			s.advance()
			if s.i < len(s.src) {
				s.advance()
			}
			continue
		}
		if strings.HasPrefix(s.src[s.i:], strings.Repeat(string(q), n)) {
			out := s.src[start:s.i]
			for range n {
				s.advance()
			}
			// A multi-line string may end with up to two extra quotes.
			for triple && s.peek() == q {
				s.advance()
			}
			return out
		}
		if !triple && s.peek() == '\n' {
			return s.src[start:s.i]
		}
		s.advance()
	}
	return s.src[start:]
}

// value skips one value, recording the keys of inline tables and the
// elements of arrays under path.
func (s *keyScanner) value(path string) {
	switch c := s.peek(); c {
	case '"', '\'':
		s.readString()
	case '[':
		s.advance()
		for i := 0; s.i < len(s.src); i++ {
			s.skipSpace(true)
			if s.peek() == ']' {
				s.advance()
				return
			}
			p := path + "." + strconv.Itoa(i)
			s.record(p, s.line, s.col)
			before := s.i
			s.value(p)
			s.skipSpace(true)
			if s.peek() == ',' || s.i == before {
				s.advance() // a separator, or a byte no value starts with
			}
		}
	case '{':
		s.advance()
		for s.i < len(s.src) {
			s.skipSpace(true)
			if s.peek() == '}' {
				s.advance()
				return
			}
			kl, kc := s.line, s.col
			key := s.readKey()
			if key == "" {
				s.advance()
				continue
			}
			p := join(path, key)
			s.record(p, kl, kc)
			s.skipSpace(false)
			if s.peek() == '=' {
				s.advance()
			}
			s.skipSpace(false)
			s.value(p)
			s.skipSpace(true)
			if s.peek() == ',' {
				s.advance()
			}
		}
	default:
		for s.i < len(s.src) {
			switch s.peek() {
			case ',', ']', '}', '\n', '#':
				return
			}
			s.advance()
		}
	}
}
