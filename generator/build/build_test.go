package build

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite golden files")

// now is the clock of every test build: inside the open contest's voting window.
var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

var (
	imageStub = regexp.MustCompile(`^#jpeg (\d+)x(\d+)\s*$`)
	videoStub = regexp.MustCompile(`^#video ([a-z0-9.]+)\s*$`)
)

// writeSite writes a txtar fixture site into a temporary folder. A file
// whose content is "#jpeg WxH" becomes a real JPEG of that size, and one
// whose content is "#video NAME" a copy of generator/video/testdata/NAME, a
// video that carries the place it was filmed.
func writeSite(t testing.TB, archive []byte) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range txtar.Parse(archive).Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		data := f.Data
		if m := imageStub.FindSubmatch(data); m != nil {
			var w, h int
			fmt.Sscan(string(m[1]), &w)
			fmt.Sscan(string(m[2]), &h)
			data = testJPEG(t, w, h)
		}
		if m := videoStub.FindSubmatch(data); m != nil {
			var err error
			if data, err = os.ReadFile(filepath.Join("..", "video", "testdata", string(m[1]))); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func testJPEG(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func loadFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sites", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func buildFixture(t testing.TB, name string, o Options) (*Result, error) {
	t.Helper()
	o.Source = writeSite(t, loadFixture(t, name))
	if o.Now.IsZero() {
		o.Now = now
	}
	return Run(context.Background(), o)
}

func mustBuild(t testing.TB, name string, o Options) *Result {
	t.Helper()
	res, err := buildFixture(t, name, o)
	if err != nil {
		t.Fatalf("build %s: %v", name, err)
	}
	return res
}

// file returns an output file's content or fails.
func file(t testing.TB, res *Result, name string) string {
	t.Helper()
	b, ok := res.Files.Get(name)
	if !ok {
		t.Fatalf("no output file %s; have %s", name, strings.Join(res.Files.Names(), " "))
	}
	return string(b)
}

// assertLines checks that each wanted line occurs in file, in order, each
// after the previous one (whitespace at the ends of lines ignored).
func assertLines(t testing.TB, res *Result, name string, want ...string) {
	t.Helper()
	content := file(t, res, name)
	rest := content
	for _, w := range want {
		i := strings.Index(rest, strings.TrimSpace(w))
		if i < 0 {
			if strings.Contains(content, strings.TrimSpace(w)) {
				t.Errorf("%s: %q is there, but not after the lines before it", name, w)
			} else {
				t.Errorf("%s: missing %q", name, w)
			}
			continue
		}
		rest = rest[i+len(strings.TrimSpace(w)):]
	}
	if t.Failed() && testing.Verbose() {
		t.Logf("%s:\n%s", name, content)
	}
}

func assertNoFile(t testing.TB, res *Result, name string) {
	t.Helper()
	if _, ok := res.Files.Get(name); ok {
		t.Errorf("output has %s, which it must not", name)
	}
}

// manifestJSON is the contest manifest as the build writes it.
func manifestJSON(t testing.TB, res *Result) []byte {
	t.Helper()
	b, err := res.Manifest.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return b
}
