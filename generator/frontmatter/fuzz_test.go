package frontmatter

import (
	"strings"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/generator/diag"
)

// FuzzFrontMatter feeds outside input through splitting, decoding and a
// schema read: none may panic, and errors must carry the file's name.
func FuzzFrontMatter(f *testing.F) {
	for _, s := range []string{
		"+++\ntitle = \"x\"\ntags = [\"a\", \"b\"]\ncover = { src = \"a.jpg\", alt = \"A\" }\n[rights]\nlicense = \"CC0-1.0\"\n+++\nbody",
		"---\ntitle: x\ndate: 2026-01-02\ngallery:\n  - src: a.jpg\n    alt: A\n---\n",
		"+++\n[[winners]]\nentry = 'x'\nplace = 1\n+++\n",
		"---\na: &x [1]\nb: *x\n---\n",
		"+++\nnote = \"\"\"\nmulti = 1\n\"\"\"\n+++\n",
		"---\n{a: [b, {c: d}]}\n---\n",
		"+++\ntitle = " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n+++\n",
		"+++\n" + strings.Repeat("a.", 20) + "b = 1\n[x." + strings.Repeat("y.", 20) + "z]\n+++\n",
		"+++\nt = " + strings.Repeat("{a=", 20) + "1" + strings.Repeat("}", 20) + "\n+++\n",
		"---\ntitle: " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n---\n",
		"---\nq: 'it''s [' \nr: \"[{\\\"\" # [[[\n---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := SplitFile("f.md", src)
		if err != nil {
			return
		}
		var m *Map
		decode := func() { m, err = Decode("f.md", s.Format, s.Matter, s.MatterLine) }
		if len(src) < 2048 {
			decode()
		} else if n := allocated(decode); n > uint64(1<<20+400*len(src)) {
			// Memory stays proportional to the input, whatever its shape
			// (measured on larger inputs only, where a square would show).
			t.Fatalf("%d bytes allocated for %d bytes of input", n, len(src))
		}
		if err != nil {
			if de, ok := err.(*diag.Error); !ok || de.Pos.File != "f.md" {
				t.Fatalf("error without place: %v", err)
			}
			return
		}
		var errs diag.List
		fs := NewFields(m, "", &errs)
		fs.String("title", true)
		fs.Strings("tags", false)
		fs.Date("date", false, time.UTC)
		fs.Int("n", 0, 0, 10)
		for _, g := range fs.Tables("gallery") {
			g.String("src", true)
			g.Done()
		}
		if r := fs.Table("rights", false); r != nil {
			r.Done()
		}
		fs.Done()
		for _, e := range errs.Errors() {
			if e.Pos.File != "f.md" {
				t.Fatalf("error without file: %v", e)
			}
		}
	})
}
