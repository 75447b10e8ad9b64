package frontmatter

// Front matter is written by strangers, and the TOML and YAML parsers use
// memory that grows with the square of the nesting: 100 KB of "[" once took
// 5 GB. So before a block reaches a parser, a scan that allocates nothing
// checks it against the limits below, and the parsers only ever see
// documents whose cost is bounded by their size. The same limits apply to
// site.toml.

import (
	"github.com/postcard-ssg/postcard/generator/diag"
)

const (
	// MaxMatter is the largest front matter block, and the largest
	// site.toml, in bytes.
	MaxMatter = 1 << 20
	// MaxDepth is the deepest nesting of lists and tables (dotted keys and
	// table headers included). Postcard's schemas need three.
	MaxDepth = 16
	// MaxValues is the most keys and list elements (or, in YAML, lines) a
	// block may hold.
	MaxValues = 10_000
	// MaxKey is the longest key, in bytes.
	MaxKey = 128
)

// limitScanner walks a block once, tracking where it is for errors.
type limitScanner struct {
	file      string
	src       []byte
	i         int
	line, col int
	first     int // the block's first line in the file
	values    int
	stack     []byte // open '[' and '{', at most MaxDepth
	keyLen    int
	keyDots   int
}

func newLimitScanner(file string, src []byte, line int) *limitScanner {
	return &limitScanner{file: file, src: src, line: 1, col: 1, first: line, stack: make([]byte, 0, MaxDepth+1)}
}

func (s *limitScanner) pos() diag.Pos {
	return diag.Pos{File: s.file, Line: s.first + s.line - 1, Col: s.col}
}

func (s *limitScanner) errorf(format string, args ...any) error {
	return diag.Errorf(s.pos(), format, args...)
}

func (s *limitScanner) peek(off int) byte {
	if s.i+off < len(s.src) {
		return s.src[s.i+off]
	}
	return 0
}

func (s *limitScanner) advance() {
	if s.src[s.i] == '\n' {
		s.line++
		s.col = 1
	} else if s.src[s.i]&0xC0 != 0x80 {
		s.col++ // count characters, not continuation bytes
	}
	s.i++
}

func (s *limitScanner) size() error {
	if len(s.src) > MaxMatter {
		return diag.Errorf(diag.Pos{File: s.file, Line: s.first, Col: 1}, "front matter is %d bytes, more than the %d allowed: move long text into the body", len(s.src), MaxMatter)
	}
	return nil
}

func (s *limitScanner) push(c byte) error {
	s.stack = append(s.stack, c)
	if len(s.stack)+s.keyDots > MaxDepth {
		return s.errorf("lists and tables nested more than %d deep", MaxDepth)
	}
	return nil
}

func (s *limitScanner) count() error {
	s.values++
	if s.values > MaxValues {
		return s.errorf("more than %d values", MaxValues)
	}
	return nil
}

// checkTOMLLimits scans a TOML block: its size, nesting (arrays, inline
// tables, dotted keys, table headers), number of values and key lengths.
func checkTOMLLimits(file string, src []byte, line int) error {
	s := newLimitScanner(file, src, line)
	if err := s.size(); err != nil {
		return err
	}
	keyMode, header := true, false
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c == '\n':
			if len(s.stack) == 0 && !header {
				keyMode = true
				s.startKey()
			}
			header = false
			s.advance()
		case c == '#':
			for s.i < len(s.src) && s.src[s.i] != '\n' {
				s.advance()
			}
		case c == '"' || c == '\'':
			n := s.tomlString()
			if keyMode {
				if err := s.keyPart(n); err != nil {
					return err
				}
			}
		case keyMode && c == '[' && len(s.stack) == 0 && s.keyLen == 0 && s.keyDots == 0 && !header:
			header = true
			s.advance()
			if s.peek(0) == '[' {
				s.advance()
			}
			s.startKey()
		case keyMode && c == '.':
			s.keyDots++
			s.keyLen = 0
			if len(s.stack)+s.keyDots >= MaxDepth {
				return s.errorf("key nested more than %d deep", MaxDepth)
			}
			s.advance()
		case keyMode && (c == '=' || (header && c == ']')):
			if err := s.count(); err != nil {
				return err
			}
			if header {
				for s.i < len(s.src) && s.src[s.i] != '\n' {
					s.advance()
				}
				continue
			}
			keyMode = false
			s.keyDots = 0
			s.advance()
		case keyMode && isBare(c):
			if err := s.keyPart(1); err != nil {
				return err
			}
			s.advance()
		case keyMode:
			s.advance() // spaces; anything else is the parser's to report
		case c == '[' || c == '{':
			if err := s.push(c); err != nil {
				return err
			}
			s.advance()
			if c == '{' {
				keyMode = true
				s.startKey()
			} else if err := s.count(); err != nil {
				return err
			}
		case c == ']' || c == '}':
			if len(s.stack) > 0 {
				s.stack = s.stack[:len(s.stack)-1]
			}
			s.advance()
		case c == ',':
			s.advance()
			if n := len(s.stack); n > 0 && s.stack[n-1] == '{' {
				keyMode = true
				s.startKey()
			} else if err := s.count(); err != nil {
				return err
			}
		default:
			s.advance()
		}
	}
	return nil
}

func (s *limitScanner) startKey() { s.keyLen, s.keyDots = 0, 0 }

func (s *limitScanner) keyPart(n int) error {
	s.keyLen += n
	if s.keyLen > MaxKey {
		return s.errorf("a key longer than %d bytes", MaxKey)
	}
	return nil
}

// tomlString skips a string of any of TOML's four kinds and returns its
// length in bytes.
func (s *limitScanner) tomlString() int {
	q := s.src[s.i]
	n := 1
	if s.peek(1) == q && s.peek(2) == q {
		n = 3
	}
	for range n {
		s.advance()
	}
	start := s.i
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case q == '"' && c == '\\':
			s.advance()
			if s.i < len(s.src) {
				s.advance()
			}
			continue
		case c == q && (n == 1 || s.peek(1) == q && s.peek(2) == q):
			l := s.i - start
			for range n {
				s.advance()
			}
			for n == 3 && s.peek(0) == q {
				s.advance()
			}
			return l
		case c == '\n' && n == 1:
			return s.i - start
		}
		s.advance()
	}
	return s.i - start
}

// checkYAMLLimits scans a YAML block: its size, the nesting of flow
// collections, and the number of lines and flow elements. Block nesting
// costs the parser memory in proportion to the size, and the decoder bounds
// its depth.
func checkYAMLLimits(file string, src []byte, line int) error {
	s := newLimitScanner(file, src, line)
	if err := s.size(); err != nil {
		return err
	}
	var quote byte    // the quote of a quoted scalar being read, or 0
	lineStart := true // no token yet on this line
	prev := byte(' ') // the last byte that was not a space
	for s.i < len(s.src) {
		c := s.src[s.i]
		if quote != 0 {
			switch {
			case quote == '"' && c == '\\':
				s.advance()
			case c == quote && quote == '\'' && s.peek(1) == '\'':
				s.advance() // '' is an escaped quote
			case c == quote:
				quote = 0
				prev = c
			}
			if s.i < len(s.src) {
				s.advance()
			}
			continue
		}
		switch {
		case c == '\n':
			lineStart, prev = true, ' '
			s.advance()
			continue
		case c == ' ' || c == '\t' || c == '\r':
			s.advance()
			continue
		case c == '#' && (lineStart || s.i > 0 && (s.src[s.i-1] == ' ' || s.src[s.i-1] == '\t')):
			for s.i < len(s.src) && s.src[s.i] != '\n' {
				s.advance()
			}
			continue
		}
		if lineStart {
			lineStart = false
			if err := s.count(); err != nil {
				return err
			}
		}
		// A quote or a bracket starts a token at the start of a line, after
		// "- ", ": " or "? ", or inside a flow collection; elsewhere it is
		// part of a plain scalar such as "Anna's pier [draft]".
		spaced := s.i > 0 && (s.src[s.i-1] == ' ' || s.src[s.i-1] == '\t')
		tokenStart := prev == ' ' || len(s.stack) > 0 || spaced && (prev == ':' || prev == '-' || prev == '?')
		switch {
		case (c == '"' || c == '\'') && tokenStart:
			quote = c
		case (c == '[' || c == '{') && tokenStart:
			if err := s.push(c); err != nil {
				return err
			}
		case (c == ']' || c == '}') && len(s.stack) > 0:
			s.stack = s.stack[:len(s.stack)-1]
		case c == ',' && len(s.stack) > 0:
			if err := s.count(); err != nil {
				return err
			}
		}
		prev = c
		s.advance()
	}
	return nil
}
