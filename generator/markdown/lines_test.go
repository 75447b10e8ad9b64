package markdown

import (
	"slices"
	"testing"
)

func TestLines(t *testing.T) {
	m := New()
	cases := []struct {
		src  string
		max  int
		want []string
		more bool
	}{
		{"The lake holds\nthe *last* light,\n\nand the boats\nlean in.", 10, []string{"The lake holds", "the last light,", "and the boats", "lean in."}, false},
		{"one\ntwo\nthree\nfour", 2, []string{"one", "two"}, true},
		{"# Title\n\nA paragraph ![alt](x.jpg) of prose\nwrapped in the source.", 5, []string{"A paragraph of prose", "wrapped in the source."}, false},
		{"", 3, nil, false},
	}
	for _, c := range cases {
		got, more := m.Parse([]byte(c.src)).Lines(c.max)
		if !slices.Equal(got, c.want) || more != c.more {
			t.Errorf("Lines(%q, %d) = %q, %v; want %q, %v", c.src, c.max, got, more, c.want, c.more)
		}
	}
}
