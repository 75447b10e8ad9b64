package frontmatter

import (
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/postcard-ssg/postcard/generator/diag"
)

// maxYAMLDepth bounds nesting so hostile input cannot exhaust the stack.
const maxYAMLDepth = 64

func decodeYAML(file string, src []byte, line int) (*Map, error) {
	start := diag.Pos{File: file, Line: line, Col: 1}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		pos := start
		msg := err.Error()
		hint := ""
		var se interface {
			GetToken() *token.Token
			GetMessage() string
		}
		if errors.As(err, &se) {
			if tk := se.GetToken(); tk != nil && tk.Position != nil {
				pos = diag.Pos{File: file, Line: line + tk.Position.Line - 1, Col: tk.Position.Column}
				hint = syntaxHint(YAML, lineAt(src, tk.Position.Line))
			}
			msg = se.GetMessage()
		}
		return nil, diag.Errorf(pos, "invalid YAML: %s%s", msg, hint)
	}
	d := &yamlDecoder{file: file, line: line}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return newMap(start), nil
	}
	if len(f.Docs) > 1 {
		return nil, diag.Errorf(start, "invalid YAML: front matter holds more than one document")
	}
	v, err := d.value(f.Docs[0].Body, 0)
	if err != nil {
		return nil, err
	}
	switch v.Kind {
	case KindMap:
		return v.Map, nil
	case KindNull:
		return newMap(start), nil
	}
	return nil, diag.Errorf(v.Pos, "front matter must be a mapping of keys to values, not %s", v.Kind)
}

type yamlDecoder struct {
	file string
	line int
}

func (d *yamlDecoder) pos(n ast.Node) diag.Pos {
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return diag.Pos{File: d.file, Line: d.line}
	}
	return diag.Pos{File: d.file, Line: d.line + tk.Position.Line - 1, Col: tk.Position.Column}
}

func (d *yamlDecoder) value(n ast.Node, depth int) (*Value, error) {
	if depth > maxYAMLDepth {
		return nil, diag.Errorf(d.pos(n), "YAML nested too deeply")
	}
	pos := d.pos(n)
	switch x := n.(type) {
	case *ast.MappingNode:
		if len(x.Values) > 0 {
			pos = d.pos(x.Values[0].Key) // a block mapping starts at its first key
		}
		m := newMap(pos)
		for _, mv := range x.Values {
			if err := d.pair(m, mv, depth); err != nil {
				return nil, err
			}
		}
		return &Value{Kind: KindMap, Pos: pos, Map: m}, nil
	case *ast.MappingValueNode:
		pos = d.pos(x.Key)
		m := newMap(pos)
		if err := d.pair(m, x, depth); err != nil {
			return nil, err
		}
		return &Value{Kind: KindMap, Pos: pos, Map: m}, nil
	case *ast.SequenceNode:
		v := &Value{Kind: KindList, Pos: pos}
		for _, e := range x.Values {
			ev, err := d.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			v.List = append(v.List, ev)
		}
		return v, nil
	case *ast.StringNode:
		return stringValue(pos, x.Value, x.Token), nil
	case *ast.LiteralNode:
		return &Value{Kind: KindString, Pos: pos, Str: x.Value.Value}, nil
	case *ast.IntegerNode:
		switch i := x.Value.(type) {
		case int64:
			return &Value{Kind: KindInt, Pos: pos, Int: i}, nil
		case uint64:
			if i > math.MaxInt64 {
				return nil, diag.Errorf(pos, "integer %d is too large", i)
			}
			return &Value{Kind: KindInt, Pos: pos, Int: int64(i)}, nil
		}
		return &Value{Kind: KindString, Pos: pos, Str: x.String()}, nil
	case *ast.FloatNode:
		return &Value{Kind: KindFloat, Pos: pos, Float: x.Value}, nil
	case *ast.BoolNode:
		return &Value{Kind: KindBool, Pos: pos, Bool: x.Value}, nil
	case *ast.NullNode:
		return &Value{Kind: KindNull, Pos: pos}, nil
	case *ast.TagNode:
		return d.value(x.Value, depth+1)
	case *ast.AnchorNode:
		return d.value(x.Value, depth+1)
	case *ast.AliasNode:
		return nil, diag.Errorf(pos, "YAML aliases (*name) are not supported in front matter: write the value out")
	case *ast.InfinityNode, *ast.NanNode:
		return nil, diag.Errorf(pos, "infinite or NaN numbers are not allowed")
	}
	return nil, diag.Errorf(pos, "unsupported YAML value %q", n.String())
}

func (d *yamlDecoder) pair(m *Map, mv *ast.MappingValueNode, depth int) error {
	if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
		return diag.Errorf(d.pos(mv.Key), "YAML merge keys (<<) are not supported in front matter")
	}
	kv, err := d.value(mv.Key, depth+1)
	if err != nil {
		return err
	}
	var key string
	switch kv.Kind {
	case KindString:
		key = kv.Str
	case KindInt:
		key = strconv.FormatInt(kv.Int, 10)
	case KindDate:
		key = mv.Key.String()
	default:
		return diag.Errorf(kv.Pos, "a key must be a string, not %s", kv.Kind)
	}
	if _, dup := m.Values[key]; dup {
		return diag.Errorf(kv.Pos, "key %q is defined twice", key)
	}
	var v *Value
	if mv.Value == nil {
		v = &Value{Kind: KindNull, Pos: kv.Pos}
	} else if v, err = d.value(mv.Value, depth+1); err != nil {
		return err
	}
	m.set(key, kv.Pos, v)
	return nil
}

// stringValue types a plain YAML scalar: dates and date-times written
// unquoted become dates, as YAML 1.1 timestamps do.
func stringValue(pos diag.Pos, s string, tk *token.Token) *Value {
	quoted := tk != nil && (tk.Type == token.DoubleQuoteType || tk.Type == token.SingleQuoteType)
	if !quoted {
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return &Value{Kind: KindDate, Pos: pos, Time: t, DateOnly: true, Local: true}
		}
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return &Value{Kind: KindDate, Pos: pos, Time: t}
		}
		for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
			if t, err := time.Parse(layout, s); err == nil {
				return &Value{Kind: KindDate, Pos: pos, Time: t, Local: true}
			}
		}
	}
	return &Value{Kind: KindString, Pos: pos, Str: s}
}
