// Package frontmatter splits a content file into its front matter and body and
// decodes the front matter, TOML between "+++" lines or YAML between "---"
// lines, into a tree of values that remember where each key was written.
//
// Postcard's schemas are strict and their errors must point at the offending
// line, so decoding keeps a position for every key (TOML through a small key
// scanner, since the TOML library does not expose them; YAML through the
// parser's own tokens). The same decoder reads site.toml.
package frontmatter

import (
	"bytes"
	"fmt"

	"github.com/postcard-ssg/postcard/generator/diag"
)

// Format is the language a front matter block is written in.
type Format int

const (
	None Format = iota
	TOML
	YAML
)

func (f Format) String() string {
	switch f {
	case TOML:
		return "TOML"
	case YAML:
		return "YAML"
	}
	return "none"
}

// Split separates src into front matter and body. The front matter must start
// on the first line with "+++" (TOML) or "---" (YAML) and end with the same
// delimiter alone on a line. BodyLine is the 1-based line the body starts on.
type Split struct {
	Format     Format
	Matter     []byte
	MatterLine int // line of the first front matter byte
	Body       []byte
	BodyLine   int
}

// SplitFile splits src, the content of file. A file without front matter is
// returned whole as body.
func SplitFile(file string, src []byte) (Split, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")) // UTF-8 BOM
	var delim string
	var format Format
	switch {
	case hasDelimLine(src, "+++"):
		delim, format = "+++", TOML
	case hasDelimLine(src, "---"):
		delim, format = "---", YAML
	default:
		return Split{Format: None, Body: src, BodyLine: 1}, nil
	}
	rest := src[len(delim):]
	rest = bytes.TrimLeft(rest, " \t")
	rest = trimNewline(rest)
	start := len(src) - len(rest)
	line := 2
	for off := start; off <= len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		var l []byte
		next := len(src)
		if end >= 0 {
			l = src[off : off+end]
			next = off + end + 1
		} else {
			l = src[off:]
		}
		if string(bytes.TrimRight(l, " \t\r")) == delim {
			return Split{
				Format:     format,
				Matter:     src[start:off],
				MatterLine: 2,
				Body:       src[next:],
				BodyLine:   line + 1,
			}, nil
		}
		if end < 0 {
			break
		}
		off = next
		line++
	}
	return Split{}, diag.Errorf(diag.Pos{File: file, Line: 1, Col: 1},
		"front matter opened with %q is never closed: add a line with %q after it", delim, delim)
}

func hasDelimLine(src []byte, delim string) bool {
	if !bytes.HasPrefix(src, []byte(delim)) {
		return false
	}
	rest := bytes.TrimLeft(src[len(delim):], " \t")
	return len(rest) == 0 || rest[0] == '\n' || rest[0] == '\r'
}

func trimNewline(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte("\r"))
	return bytes.TrimPrefix(b, []byte("\n"))
}

// Decode decodes a front matter block of the given format. line is the line
// the block starts on in file, so positions are those of the whole file.
// A block beyond the limits (MaxMatter, MaxDepth, MaxValues, MaxKey) is an
// error at the place it crosses one, before any parser sees it.
func Decode(file string, format Format, matter []byte, line int) (*Map, error) {
	switch format {
	case TOML:
		if err := checkTOMLLimits(file, matter, line); err != nil {
			return nil, err
		}
		return decodeTOML(file, matter, line)
	case YAML:
		if err := checkYAMLLimits(file, matter, line); err != nil {
			return nil, err
		}
		return decodeYAML(file, matter, line)
	case None:
		return &Map{Pos: diag.Pos{File: file, Line: 1, Col: 1}}, nil
	}
	return nil, fmt.Errorf("unknown front matter format %d", format)
}
