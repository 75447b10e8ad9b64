package images

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/gif"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/disintegration/imaging"
	"github.com/gen2brain/avif"
	"github.com/gen2brain/webp"
	"github.com/postcard-ssg/postcard/generator/config"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestRotatedGPSFixtureComesOutUpright(t *testing.T) {
	orig := fixture(t, "exif-rotated-gps.jpg")
	_, root := site(t, map[string][]byte{"content/s/pier.jpg": orig})
	p := newProcessor(t, root, Config{})
	sink := newMemSink()
	imgs, errs := p.Process(context.Background(), []Request{{Src: "content/s/pier.jpg", Dir: "s"}}, sink)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	img := imgs["content/s/pier.jpg"]
	if img.Width != 1000 || img.Height != 1600 {
		t.Fatalf("size %dx%d, want upright 1000x1600", img.Width, img.Height)
	}
	var got []int
	for _, v := range img.Fallback().Variants {
		got = append(got, v.Width)
		if v.Height != v.Width*1600/1000 {
			t.Errorf("%s: %dx%d is not portrait 10:16", v.URL, v.Width, v.Height)
		}
	}
	if !reflect.DeepEqual(got, []int{480, 800, 1000}) {
		t.Errorf("widths %v, want [480 800 1000] (never upscaled, the source's own width last)", got)
	}

	stored, err := imaging.Decode(bytes.NewReader(orig), imaging.AutoOrientation(false))
	if err != nil {
		t.Fatal(err)
	}
	upright := storedToUpright(stored, 6)
	wrong := storedToUpright(stored, 8) // turned the other way
	for _, name := range sink.names() {
		out := decodeOutput(t, name, sink.files[name])
		if b := out.Bounds(); b.Dx() >= b.Dy() {
			t.Errorf("%s is %dx%d, not portrait", name, b.Dx(), b.Dy())
			continue
		}
		d, dw := meanDiff(out, upright, 20, 32), meanDiff(out, wrong, 20, 32)
		if d > 6 || dw < 3*d {
			t.Errorf("%s: differs from the upright original by %.1f/255 (from the wrongly turned one by %.1f)", name, d, dw)
		}
	}
}

// storedToUpright applies orientation o by the specification's mapping.
func storedToUpright(stored image.Image, o int) *image.NRGBA {
	b := stored.Bounds()
	w, h := b.Dx(), b.Dy()
	if o >= 5 {
		w, h = h, w
	}
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	for v := 0; v < h; v++ {
		for u := 0; u < w; u++ {
			x, y := uprightToStored(o, u, v, w, h)
			out.Set(u, v, stored.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

func TestAllEightOrientations(t *testing.T) {
	upright := testPattern(96, 64)
	files := map[string][]byte{}
	for o := 1; o <= 8; o++ {
		stored := storedFor(upright, o)
		files[path.Join("o", string(rune('0'+o))+".jpg")] = withJPEGExif(encodeJPEG(t, stored), exifOrientation(o))
		files[path.Join("o", string(rune('0'+o))+".png")] = withPNGExif(encodePNG(t, stored), exifOrientation(o))
	}
	var buf bytes.Buffer
	stored6 := storedFor(upright, 6)
	if err := webp.Encode(&buf, stored6, webp.Options{Lossless: true}); err != nil {
		t.Fatal(err)
	}
	files["o/6.webp"] = withWebPExif(t, buf.Bytes(), exifOrientation(6), stored6.Rect.Dx(), stored6.Rect.Dy())

	_, root := site(t, files)
	p := newProcessor(t, root, Config{Widths: []int{48, 96}})
	var reqs []Request
	for name := range files {
		reqs = append(reqs, Request{Src: name, Dir: "out/" + strings.ReplaceAll(name, ".", "-")})
	}
	sink := newMemSink()
	imgs, errs := p.Process(context.Background(), reqs, sink)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, r := range reqs {
		img := imgs[r.Src]
		if img.Width != 96 || img.Height != 64 {
			t.Errorf("%s: %dx%d, want upright 96x64", r.Src, img.Width, img.Height)
			continue
		}
		for _, s := range img.Sources {
			v := s.Variants[len(s.Variants)-1]
			name := strings.TrimPrefix(v.URL, "/")
			out := decodeOutput(t, name, sink.files[name])
			if d := meanDiff(out, upright, 12, 8); d > 8 {
				t.Errorf("%s (%s): differs from the upright picture by %.1f/255", r.Src, s.Format, d)
			}
		}
	}
}

// withWebPExif wraps a simple WebP into an extended one with an EXIF chunk.
func withWebPExif(t testing.TB, simple, tiff []byte, w, h int) []byte {
	t.Helper()
	if string(simple[12:16]) != "VP8L" && string(simple[12:16]) != "VP8 " {
		t.Fatalf("unexpected WebP chunk %q", simple[12:16])
	}
	le32 := func(v int) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }
	var body bytes.Buffer
	body.WriteString("WEBP")
	body.WriteString("VP8X")
	body.Write(le32(10))
	body.Write([]byte{0x08, 0, 0, 0}) // EXIF flag
	body.Write(le32(w - 1)[:3])
	body.Write(le32(h - 1)[:3])
	body.Write(simple[12:])
	body.WriteString("EXIF")
	body.Write(le32(len(tiff)))
	body.Write(tiff)
	if len(tiff)%2 == 1 {
		body.WriteByte(0)
	}
	var out bytes.Buffer
	out.WriteString("RIFF")
	out.Write(le32(body.Len()))
	out.Write(body.Bytes())
	return out.Bytes()
}

// Strings of the fixture's metadata that no published file may carry.
var privateStrings = []string{
	"PhoneMaker", "Pocket 12", "Private Person", "2026:09:14", "Exif\x00", "GPS",
	"http://ns.adobe.com", "xmpmeta", "ICC_PROFILE",
}

func TestNoMetadataInOutputs(t *testing.T) {
	_, root := site(t, map[string][]byte{
		"content/a/pier.jpg":   fixture(t, "exif-rotated-gps.jpg"),
		"content/b/phone.heic": fixture(t, "phone-photo.heic"),
	})
	p := newProcessor(t, root, Config{Widths: []int{480, 1200}, Formats: []string{"avif", "webp", "jpeg"}})
	sink := newMemSink()
	_, errs := p.Process(context.Background(), []Request{
		{Src: "content/a/pier.jpg", Dir: "a", Card: true},
		{Src: "content/b/phone.heic", Dir: "b", Card: true},
	}, sink)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(sink.files) != 2*(2*3+1) {
		t.Errorf("%d files published, want 14: %v", len(sink.files), sink.names())
	}
	for name, data := range sink.files {
		for _, s := range privateStrings {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s contains %q", name, s)
			}
		}
	}

	exiftool, err := exec.LookPath("exiftool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("exiftool is not installed (Debian: libimage-exiftool-perl); CI must run this check")
		}
		t.Skip("exiftool not installed; the byte scan above still ran")
	}
	dir := t.TempDir()
	for name, data := range sink.files {
		p := filepath.Join(dir, strings.ReplaceAll(name, "/", "_"))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(exiftool, "-a", "-G1", p).CombinedOutput()
		if err != nil {
			t.Fatalf("exiftool %s: %v\n%s", name, err, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			group, _, _ := strings.Cut(line, "]")
			group = strings.TrimPrefix(group, "[")
			switch {
			case strings.HasPrefix(group, "GPS"), strings.HasPrefix(group, "IFD"), strings.HasPrefix(group, "ExifIFD"),
				strings.HasPrefix(group, "XMP"), strings.HasPrefix(group, "ICC"), strings.HasPrefix(group, "IPTC"),
				strings.HasPrefix(group, "MakerNotes"), strings.Contains(line, "Artist"), strings.Contains(line, "Make"),
				strings.Contains(line, "Model"), strings.Contains(line, "Date/Time Original"):
				t.Errorf("%s: exiftool shows metadata: %s", name, line)
			}
		}
	}
}

func TestHEICAcceptedAndNeverPublished(t *testing.T) {
	heic := fixture(t, "phone-photo.heic")
	_, root := site(t, map[string][]byte{"content/x/phone.heic": heic})
	p := newProcessor(t, root, Config{Widths: []int{480, 800}})
	sink := newMemSink()
	imgs, errs := p.Process(context.Background(), []Request{{Src: "content/x/phone.heic", Dir: "x"}}, sink)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	img := imgs["content/x/phone.heic"]
	if img.Width != 2560 || img.Height != 1600 {
		t.Errorf("size %dx%d, want 2560x1600", img.Width, img.Height)
	}
	if got := []string{img.Sources[0].Format, img.Sources[1].Format}; !reflect.DeepEqual(got, []string{"webp", "jpeg"}) {
		t.Errorf("formats %v, want [webp jpeg]", got)
	}
	for name, data := range sink.files {
		if strings.HasSuffix(name, ".heic") || bytes.Equal(data, heic) || hasBrand(data, "heic", "mif1") {
			t.Errorf("%s: HEIC published", name)
		}
		if out := decodeOutput(t, name, data); out.Bounds().Dx() != 480 && out.Bounds().Dx() != 800 {
			t.Errorf("%s: width %d", name, out.Bounds().Dx())
		}
	}
}

func TestOriginalsNeverPublished(t *testing.T) {
	jpg := encodeJPEG(t, testPattern(300, 200))
	_, root := site(t, map[string][]byte{"a.jpg": jpg})
	p := newProcessor(t, root, Config{Widths: []int{300}, Formats: []string{"jpeg"}})
	sink := newMemSink()
	if _, errs := p.Process(context.Background(), []Request{{Src: "a.jpg"}}, sink); len(errs) > 0 {
		t.Fatal(errs)
	}
	for name, data := range sink.files {
		if bytes.Equal(data, jpg) {
			t.Errorf("%s is the original file", name)
		}
	}
}

func TestBombRefusedBeforeDecoding(t *testing.T) {
	_, root := site(t, map[string][]byte{
		"content/x/bomb.png": fixture(t, "bomb-40000px.png"),
		"content/x/ok.jpg":   encodeJPEG(t, testPattern(64, 48)),
	})
	p := newProcessor(t, root, Config{})
	imgs, errs := p.Process(context.Background(), []Request{{Src: "content/x/bomb.png"}, {Src: "content/x/ok.jpg"}}, newMemSink())
	if len(errs) != 1 {
		t.Fatalf("errors %v, want one", errs)
	}
	want := "content/x/bomb.png: image is 40000x40000 (1600.0 megapixels), over the 60 megapixel limit"
	if errs[0].Error() != want {
		t.Errorf("error %q, want %q", errs[0], want)
	}
	var e *Error
	if !errors.As(errs[0], &e) || e.Src != "content/x/bomb.png" {
		t.Errorf("error %#v is not an *Error for the bomb", errs[0])
	}
	if imgs["content/x/ok.jpg"] == nil {
		t.Error("the good image beside the bomb was not processed")
	}
	if s := p.Stats(); s.Decoded != 1 || s.DecodedPixels != 64*48 || s.Failed != 1 {
		t.Errorf("stats %+v: the bomb must not be decoded", s)
	}
}

func TestFileSizeCap(t *testing.T) {
	_, root := site(t, map[string][]byte{"big.jpg": encodeJPEG(t, testPattern(400, 300))})
	p := newProcessor(t, root, Config{MaxBytes: 1000})
	_, errs := p.Process(context.Background(), []Request{{Src: "big.jpg"}}, newMemSink())
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "big.jpg: file is ") || !strings.HasSuffix(errs[0].Error(), "over the 1000 bytes limit") {
		t.Errorf("errors %v", errs)
	}
}

func TestCorruptAndUnsupportedFilesAreErrors(t *testing.T) {
	jpg := fixture(t, "exif-rotated-gps.jpg")
	heic := fixture(t, "phone-photo.heic")
	pngData := encodePNG(t, testPattern(200, 100))
	var gifBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, testPattern(50, 50), nil); err != nil {
		t.Fatal(err)
	}
	var webpBuf bytes.Buffer
	if err := webp.Encode(&webpBuf, testPattern(64, 64)); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		data []byte
		want string
	}{
		"truncated.jpg":   {jpg[:len(jpg)/2], "corrupt or unreadable JPEG"},
		"header-only.jpg": {jpg[:200], "corrupt or unreadable JPEG"},
		"truncated.png":   {pngData[:len(pngData)/2], "corrupt or unreadable PNG"},
		"truncated.gif":   {gifBuf.Bytes()[:gifBuf.Len()/2], "corrupt or unreadable GIF"},
		"truncated.webp":  {webpBuf.Bytes()[:webpBuf.Len()/2], "corrupt or unreadable WEBP"},
		"truncated.heic":  {heic[:len(heic)/3], "corrupt or unreadable HEIC"},
		"garbage.jpg":     {append([]byte{0xFF, 0xD8, 0xFF}, bytes.Repeat([]byte{0x42}, 500)...), "corrupt or unreadable JPEG"},
		"notes.txt":       {[]byte("hello"), "not an image Postcard can read"},
		"empty.jpg":       {nil, "not an image Postcard can read"},
		"fake.png":        {[]byte("\x89PNG\r\n\x1a\n\x00\x00"), "corrupt or unreadable PNG"},
		"movie.avif":      {[]byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"), "AVIF sources are not supported"},
		"no-eoi.jpg":      {jpg[:len(jpg)-2], "corrupt or unreadable JPEG"},
	}
	files := map[string][]byte{}
	var reqs []Request
	for name, c := range cases {
		files[name] = c.data
		reqs = append(reqs, Request{Src: name})
	}
	_, root := site(t, files)
	p := newProcessor(t, root, Config{Widths: []int{32}})
	_, errs := p.Process(context.Background(), reqs, newMemSink())
	got := map[string]string{}
	for _, err := range errs {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%v is not an *Error", err)
		}
		got[e.Src] = err.Error()
	}
	for name, c := range cases {
		if c.want == "" {
			if got[name] != "" {
				t.Errorf("%s: unexpected error %s", name, got[name])
			}
			continue
		}
		if !strings.HasPrefix(got[name], name+": "+c.want) {
			t.Errorf("%s: error %q, want it to start with %q", name, got[name], name+": "+c.want)
		}
	}
}

func TestPathsCannotLeaveTheSite(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.jpg")
	if err := os.WriteFile(secret, encodeJPEG(t, testPattern(40, 30)), 0o644); err != nil {
		t.Fatal(err)
	}
	dir, root := site(t, map[string][]byte{
		"content/ok.jpg":        encodeJPEG(t, testPattern(40, 30)),
		"votes.db.secret":       encodeJPEG(t, testPattern(40, 30)),
		"content/pier/real.jpg": encodeJPEG(t, testPattern(40, 30)),
	})
	if err := os.Symlink(secret, filepath.Join(dir, "content", "link.jpg")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	// Links that stay inside the site, which os.Root alone would follow.
	if err := os.Symlink("../votes.db.secret", filepath.Join(dir, "content", "in-site.jpg")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("pier", filepath.Join(dir, "content", "folder")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "content", "out")); err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(dir, secret)
	bad := []Request{
		{Src: filepath.ToSlash(rel)},
		{Src: "../" + filepath.Base(outside) + "/secret.jpg"},
		{Src: secret},
		{Src: "/etc/passwd"},
		{Src: "content/../content/ok.jpg"},
		{Src: "content/link.jpg"},
		{Src: "content/out/secret.jpg"},
		{Src: "content/in-site.jpg"},
		{Src: "content/folder/real.jpg"},
		{Src: "content/ok.jpg", Dir: "../elsewhere"},
		{Src: `content\ok.jpg`},
	}
	for _, r := range bad {
		p := newProcessor(t, root, Config{Widths: []int{40}})
		sink := newMemSink()
		imgs, errs := p.Process(context.Background(), []Request{r}, sink)
		if len(errs) != 1 || len(imgs) != 0 || len(sink.files) != 0 {
			t.Errorf("%+v: got images %v, files %v, errors %v; want it refused", r, imgs, sink.names(), errs)
			continue
		}
		t.Logf("%+v: %v", r, errs[0])
	}
}

func TestTransparencyKeepsPNG(t *testing.T) {
	img := testPattern(120, 80)
	for y := 0; y < 40; y++ {
		for x := 0; x < 120; x++ {
			img.SetNRGBA(x, y, color.NRGBA{0, 0, 0, 0})
		}
	}
	_, root := site(t, map[string][]byte{"logo.png": encodePNG(t, img)})
	p := newProcessor(t, root, Config{Widths: []int{60, 120}})
	sink := newMemSink()
	imgs, errs := p.Process(context.Background(), []Request{{Src: "logo.png", Dir: "l"}}, sink)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got := imgs["logo.png"]
	if !got.Transparent || got.Fallback().Format != "png" || got.Fallback().MIME != "image/png" {
		t.Fatalf("image %+v: want transparent with a PNG fallback", got)
	}
	for _, s := range got.Sources {
		for _, v := range s.Variants {
			name := strings.TrimPrefix(v.URL, "/")
			out := decodeOutput(t, name, sink.files[name])
			_, _, _, a := out.At(v.Width/2, v.Height/8).RGBA()
			_, _, _, b := out.At(v.Width/2, v.Height*7/8).RGBA()
			if a > 0x1000 || b < 0xF000 {
				t.Errorf("%s: alpha %d (top) and %d (bottom), want transparent then opaque", name, a>>8, b>>8)
			}
		}
	}
	if strings.Contains(string(got.Picture("logo", PictureOptions{})), "background") {
		t.Error("a transparent image got a placeholder background")
	}
}

func TestGIFFirstFrame(t *testing.T) {
	pal := color.Palette{color.NRGBA{255, 0, 0, 255}, color.NRGBA{0, 0, 255, 255}}
	frame := func(i uint8) *image.Paletted {
		p := image.NewPaletted(image.Rect(0, 0, 40, 40), pal)
		for k := range p.Pix {
			p.Pix[k] = i
		}
		return p
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{frame(0), frame(1)}, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	_, root := site(t, map[string][]byte{"anim.gif": buf.Bytes()})
	p := newProcessor(t, root, Config{Widths: []int{40}})
	sink := newMemSink()
	imgs, errs := p.Process(context.Background(), []Request{{Src: "anim.gif"}}, sink)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	v := imgs["anim.gif"].Fallback().Variants[0]
	out := decodeOutput(t, v.URL[1:], sink.files[v.URL[1:]])
	if r, _, b, _ := out.At(20, 20).RGBA(); r < 0xE000 || b > 0x2000 {
		t.Errorf("centre pixel r=%d b=%d, want the first (red) frame", r>>8, b>>8)
	}
}

func TestWarmBuildDecodesNothing(t *testing.T) {
	files := map[string][]byte{
		"content/a/pier.jpg":   fixture(t, "exif-rotated-gps.jpg"),
		"content/b/phone.heic": fixture(t, "phone-photo.heic"),
		"content/c/logo.png":   encodePNG(t, testPattern(50, 40)),
	}
	_, root := site(t, files)
	cfg := Config{Widths: []int{300, 600}, CacheDir: t.TempDir()}
	reqs := []Request{{Src: "content/a/pier.jpg", Dir: "a", Card: true}, {Src: "content/b/phone.heic", Dir: "b"}, {Src: "content/c/logo.png", Dir: "c"}}

	cold := newProcessor(t, root, cfg)
	coldSink := newMemSink()
	coldImgs, errs := cold.Process(context.Background(), reqs, coldSink)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if s := cold.Stats(); s.Decoded != 3 || s.Cached != 0 {
		t.Fatalf("cold stats %+v", s)
	}

	warm := newProcessor(t, root, cfg)
	warmSink := newMemSink()
	warmImgs, errs := warm.Process(context.Background(), reqs, warmSink)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if s := warm.Stats(); s.Decoded != 0 || s.DecodedPixels != 0 || s.Cached != 3 || s.CacheWrites != 0 {
		t.Errorf("warm stats %+v: want nothing decoded, all 3 from the cache", s)
	}
	if !reflect.DeepEqual(coldImgs, warmImgs) {
		t.Errorf("warm images differ from cold ones")
	}
	if !reflect.DeepEqual(coldSink.files, warmSink.files) {
		t.Errorf("warm files differ from cold ones: %v vs %v", coldSink.names(), warmSink.names())
	}

	// A lowered pixel limit applies to cached images too.
	strict := newProcessor(t, root, Config{Widths: cfg.Widths, CacheDir: cfg.CacheDir, MaxPixels: 1_000_000})
	_, errs = strict.Process(context.Background(), reqs, newMemSink())
	if len(errs) != 2 || !strings.Contains(errs[0].Error(), "over the 1 megapixel limit") || strict.Stats().Decoded != 0 {
		t.Errorf("with a 1 megapixel limit: errors %v, stats %+v", errs, strict.Stats())
	}

	// A changed setting misses; a changed photo misses; the rest still hit.
	files["content/c/logo.png"] = encodePNG(t, testPattern(52, 40))
	_, root2 := site(t, files)
	third := newProcessor(t, root2, cfg)
	if _, errs := third.Process(context.Background(), reqs, newMemSink()); len(errs) > 0 {
		t.Fatal(errs)
	}
	if s := third.Stats(); s.Decoded != 1 || s.Cached != 2 {
		t.Errorf("after changing one photo: stats %+v, want 1 decoded and 2 cached", s)
	}
}

func TestConcurrentBuildsShareTheCache(t *testing.T) {
	files := map[string][]byte{}
	var reqs []Request
	for i := range 6 {
		name := "content/p" + string(rune('a'+i)) + ".jpg"
		files[name] = encodeJPEG(t, testPattern(200+10*i, 150))
		reqs = append(reqs, Request{Src: name, Card: i%2 == 0})
	}
	_, root := site(t, files)
	cfg := Config{Widths: []int{50, 100}, CacheDir: t.TempDir()}
	var wg sync.WaitGroup
	sinks := make([]*memSink, 2)
	procs := make([]*Processor, 2)
	for i := range 2 {
		sinks[i] = newMemSink()
		procs[i] = newProcessor(t, root, cfg)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, errs := procs[i].Process(context.Background(), reqs, sinks[i]); len(errs) > 0 {
				t.Error(errs)
			}
		}()
	}
	wg.Wait()
	if !reflect.DeepEqual(sinks[0].files, sinks[1].files) {
		t.Error("two concurrent builds published different files")
	}
	// Pruning by one build keeps what both used; a third, warm, decodes nothing.
	if _, err := procs[0].Prune(); err != nil {
		t.Fatal(err)
	}
	warm := newProcessor(t, root, cfg)
	if _, errs := warm.Process(context.Background(), reqs, newMemSink()); len(errs) > 0 {
		t.Fatal(errs)
	}
	if s := warm.Stats(); s.Decoded != 0 {
		t.Errorf("after prune, warm stats %+v", s)
	}
}

func TestPruneRemovesUnusedEntries(t *testing.T) {
	_, root := site(t, map[string][]byte{"a.jpg": encodeJPEG(t, testPattern(200, 100))})
	cache := t.TempDir()
	reqs := []Request{{Src: "a.jpg"}}
	old := newProcessor(t, root, Config{Widths: []int{50, 100}, Quality: 70, CacheDir: cache})
	if _, errs := old.Process(context.Background(), reqs, newMemSink()); len(errs) > 0 {
		t.Fatal(errs)
	}
	before := countFiles(t, cache)
	if before != 5 { // 2 widths x 2 formats + the entry
		t.Fatalf("%d cache files, want 5", before)
	}
	// Make the first build's entries look older than the next build.
	backdate(t, cache)
	cur := newProcessor(t, root, Config{Widths: []int{50, 100}, Quality: 80, CacheDir: cache})
	if _, errs := cur.Process(context.Background(), reqs, newMemSink()); len(errs) > 0 {
		t.Fatal(errs)
	}
	n, err := cur.Prune()
	if err != nil {
		t.Fatal(err)
	}
	if n != 5 || countFiles(t, cache) != 5 {
		t.Errorf("pruned %d, %d left; want 5 pruned and 5 left", n, countFiles(t, cache))
	}
	again := newProcessor(t, root, Config{Widths: []int{50, 100}, Quality: 80, CacheDir: cache})
	if _, errs := again.Process(context.Background(), reqs, newMemSink()); len(errs) > 0 || again.Stats().Cached != 1 {
		t.Errorf("after prune: errors %v, stats %+v", errs, again.Stats())
	}
}

func TestDuplicateSourcesProcessedOnce(t *testing.T) {
	_, root := site(t, map[string][]byte{"a.jpg": encodeJPEG(t, testPattern(200, 100))})
	p := newProcessor(t, root, Config{Widths: []int{100}})
	imgs, errs := p.Process(context.Background(), []Request{{Src: "a.jpg", Dir: "x"}, {Src: "a.jpg", Dir: "y", Card: true}}, newMemSink())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if s := p.Stats(); s.Sources != 1 || s.Decoded != 1 {
		t.Errorf("stats %+v, want one source", s)
	}
	if img := imgs["a.jpg"]; img.Card == nil || !strings.HasPrefix(img.Card.URL, "/x/") {
		t.Errorf("image %+v: want the first request's folder and a card", img)
	}
}

func TestCardFollowsFocus(t *testing.T) {
	// A tall image: a red band at the top, blue at the bottom.
	img := image.NewNRGBA(image.Rect(0, 0, 1200, 2000))
	for y := 0; y < 2000; y++ {
		c := color.NRGBA{0, 0, 255, 255}
		if y < 600 {
			c = color.NRGBA{255, 0, 0, 255}
		}
		for x := 0; x < 1200; x++ {
			img.SetNRGBA(x, y, c)
		}
	}
	_, root := site(t, map[string][]byte{"tall.png": encodePNG(t, img)})
	for _, tc := range []struct {
		focus string
		red   bool
	}{{"top", true}, {"bottom", false}, {"0.5,0.1", true}} {
		f, err := ParseFocus(tc.focus)
		if err != nil {
			t.Fatal(err)
		}
		p := newProcessor(t, root, Config{Widths: []int{100}})
		sink := newMemSink()
		imgs, errs := p.Process(context.Background(), []Request{{Src: "tall.png", Card: true, Focus: f}}, sink)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		c := imgs["tall.png"].Card
		if c.Width != 1200 || c.Height != 630 || !strings.HasSuffix(c.URL, ".jpg") {
			t.Fatalf("card %+v", c)
		}
		out := decodeOutput(t, c.URL[1:], sink.files[c.URL[1:]])
		r, _, b, _ := out.At(600, 315).RGBA()
		if (r > b) != tc.red {
			t.Errorf("focus %s: card centre r=%d b=%d", tc.focus, r>>8, b>>8)
		}
	}
}

func TestCardRect(t *testing.T) {
	cases := []struct {
		w, h       int
		f          Focus
		want       image.Rectangle
		outW, outH int
	}{
		{2400, 1260, Focus{}, image.Rect(0, 0, 2400, 1260), 1200, 630},
		{2400, 2400, Focus{}, image.Rect(0, 570, 2400, 1830), 1200, 630},
		{2400, 2400, Focus{X: 0.5, Y: 0}, image.Rect(0, 0, 2400, 1260), 1200, 630},
		{4000, 1000, Focus{X: 1, Y: 0.5}, image.Rect(2095, 0, 4000, 1000), 1200, 630},
		{600, 400, Focus{}, image.Rect(0, 43, 600, 358), 600, 315},
	}
	for _, c := range cases {
		r, w, h := cardRect(c.w, c.h, c.f)
		if r != c.want || w != c.outW || h != c.outH {
			t.Errorf("cardRect(%d, %d, %v) = %v %dx%d, want %v %dx%d", c.w, c.h, c.f, r, w, h, c.want, c.outW, c.outH)
		}
	}
}

func TestParseFocus(t *testing.T) {
	for in, want := range map[string]Focus{
		"": {X: 0.5, Y: 0.5}, "center": {X: 0.5, Y: 0.5}, "top": {X: 0.5}, "Bottom": {X: 0.5, Y: 1},
		"left": {Y: 0.5}, "right": {X: 1, Y: 0.5}, "top-right": {X: 1}, "right-top": {X: 1},
		"bottom-left": {Y: 1}, "0.3,0.7": {X: 0.3, Y: 0.7}, " 1 , 0 ": {X: 1},
	} {
		got, err := ParseFocus(in)
		if err != nil || got != want {
			t.Errorf("ParseFocus(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	tl, _ := ParseFocus("top-left")
	if x, y := tl.point(); x != 0 || y != 0 {
		t.Errorf("top-left reads as %v,%v", x, y)
	}
	if x, y := (Focus{}).point(); x != 0.5 || y != 0.5 {
		t.Errorf("zero Focus reads as %v,%v, want the centre", x, y)
	}
	for _, bad := range []string{"middle", "1.5,0", "0.2", "a,b", "-0.1,0.5", "NaN,0.5"} {
		if _, err := ParseFocus(bad); err == nil {
			t.Errorf("ParseFocus(%q) accepted", bad)
		}
	}
}

func TestPictureGolden(t *testing.T) {
	img := &Image{
		Src: "content/stories/pier/pier.jpg", Width: 2560, Height: 1600,
		Sources: []Source{
			{Format: "webp", MIME: "image/webp", Variants: []Variant{
				{URL: "/stories/pier/pier-480w-aaaaaaaa.webp", Width: 480, Height: 300},
				{URL: "/stories/pier/pier-1200w-bbbbbbbb.webp", Width: 1200, Height: 750},
			}},
			{Format: "jpeg", MIME: "image/jpeg", Variants: []Variant{
				{URL: "/stories/pier/pier-480w-cccccccc.jpg", Width: 480, Height: 300},
				{URL: "/stories/pier/pier-1200w-dddddddd.jpg", Width: 1200, Height: 750},
			}},
		},
		Placeholder: "data:image/webp;base64,UklGRg==",
		Color:       "#6b7078",
	}
	var b strings.Builder
	b.WriteString(string(img.Picture(`A "wooden" pier <fading> & fog`, PictureOptions{})) + "\n")
	b.WriteString(string(img.Picture("Eager", PictureOptions{Eager: true, Sizes: "(min-width: 60em) 50vw, 100vw", Class: `cover "wide"`})) + "\n")
	img.Placeholder = "data:x);background:url(https://evil.example/)"
	b.WriteString(string(img.Picture("Bad placeholder falls back to the colour", PictureOptions{})) + "\n")
	golden := filepath.Join("testdata", "picture.golden.html")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err, "(run go test -update to create it)")
	}
	if b.String() != string(want) {
		t.Errorf("Picture markup changed (go test -update rewrites it):\n got: %s\nwant: %s", b.String(), want)
	}
}

func TestStemAndURL(t *testing.T) {
	for in, want := range map[string]string{
		"content/a/Pier at Dawn.JPG": "pier-at-dawn", "x/ÄÖ.png": "image", "a/b/IMG_0001.heic": "img-0001", "a/.jpg": "image",
	} {
		if got := stemOf(in); got != want {
			t.Errorf("stemOf(%q) = %q, want %q", in, got, want)
		}
	}
	if got := urlOf("stories/café au lait", "x.jpg"); got != "/stories/caf%C3%A9%20au%20lait/x.jpg" {
		t.Errorf("urlOf = %q", got)
	}
	if got := urlOf("", "x.jpg"); got != "/x.jpg" {
		t.Errorf("urlOf root = %q", got)
	}
}

func TestConfigDefaultsAndErrors(t *testing.T) {
	c, err := Config{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	site := config.Default().Images
	if !reflect.DeepEqual(c.Widths, site.Widths) || !reflect.DeepEqual(c.Formats, site.Formats) || c.Quality != 78 ||
		c.MaxPixels != 60_000_000 || c.MaxBytes != 50<<20 || c.MemoryBudget != DefaultMemoryBudget {
		t.Errorf("defaults %+v", c)
	}
	for _, bad := range []Config{{Widths: []int{0}}, {Formats: []string{"bmp"}}, {Quality: 101}, {Formats: []string{"gif"}}} {
		if _, err := bad.withDefaults(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	root, _ := os.OpenRoot(t.TempDir())
	defer root.Close()
	if _, err := New(root, Config{CacheDir: "relative/cache"}); err == nil {
		t.Error("relative cache folder accepted")
	}
}

func TestCancelledContext(t *testing.T) {
	_, root := site(t, map[string][]byte{"a.jpg": encodeJPEG(t, testPattern(50, 50))})
	p := newProcessor(t, root, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, errs := p.Process(ctx, []Request{{Src: "a.jpg"}}, newMemSink())
	if len(errs) == 0 || !errors.Is(errs[len(errs)-1], context.Canceled) {
		t.Errorf("errors %v, want context.Canceled", errs)
	}
}

func countFiles(t testing.TB, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func backdate(t testing.TB, dir string) {
	t.Helper()
	old := time.Now().Add(-3 * time.Hour)
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chtimes(p, old, old)
		}
		return nil
	})
}

// linkSink publishes by hard links into a folder, like a disk output would.
type linkSink struct {
	dir   string
	links int
	mu    sync.Mutex
}

func (l *linkSink) ConcurrentWrites() {}

func (l *linkSink) path(name string) (string, error) {
	p := filepath.Join(l.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	os.Remove(p)
	return p, nil
}

func (l *linkSink) WriteFile(name string, data []byte) error {
	p, err := l.path(name)
	if err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

func (l *linkSink) LinkFile(name, cached string) error {
	p, err := l.path(name)
	if err != nil {
		return err
	}
	l.mu.Lock()
	l.links++
	l.mu.Unlock()
	return os.Link(cached, p)
}

func TestLinkSinkAndStatIndex(t *testing.T) {
	dir, root := site(t, map[string][]byte{
		"content/a.jpg": encodeJPEG(t, testPattern(300, 200)),
		"content/b.png": encodePNG(t, testPattern(200, 300)),
	})
	old := time.Now().Add(-time.Hour)
	for _, f := range []string{"content/a.jpg", "content/b.png"} {
		if err := os.Chtimes(filepath.Join(dir, f), old, old); err != nil {
			t.Fatal(err)
		}
	}
	cfg := Config{Widths: []int{100, 200}, CacheDir: t.TempDir()}
	reqs := []Request{{Src: "content/a.jpg", Dir: "a", Card: true}, {Src: "content/b.png", Dir: "b"}}
	var published map[string][]byte
	for run := range 2 {
		out := t.TempDir()
		sink := &linkSink{dir: out}
		p := newProcessor(t, root, cfg)
		imgs, errs := p.Process(context.Background(), reqs, sink)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		s := p.Stats()
		if sink.links != 9 || s.Written != 9 {
			t.Errorf("run %d: %d links, stats %+v; want 9 files linked", run, sink.links, s)
		}
		if run == 1 && (s.Hashed != 0 || s.Decoded != 0 || s.Cached != 2) {
			t.Errorf("warm run: stats %+v, want no source read, none decoded", s)
		}
		files := map[string][]byte{}
		for _, img := range imgs {
			for _, src := range img.Sources {
				for _, v := range src.Variants {
					p := filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(v.URL, "/")))
					data, err := os.ReadFile(p)
					if err != nil {
						t.Fatal(err)
					}
					st, _ := os.Stat(p)
					if st.Mode().Perm()&0o044 != 0o044 {
						t.Errorf("%s: mode %v, want readable by all", p, st.Mode())
					}
					files[v.URL] = data
				}
			}
		}
		if run == 1 && !reflect.DeepEqual(files, published) {
			t.Error("warm run published different files")
		}
		published = files
	}
}

func TestLargeDownscaleMatchesTheSource(t *testing.T) {
	pattern := testPattern(2001, 1001) // odd sizes: halving drops an edge
	alpha := testPattern(1600, 800)
	for i := 3; i < len(alpha.Pix); i += 4 * 7 {
		alpha.Pix[i] = 0 // every seventh pixel transparent
	}
	_, root := site(t, map[string][]byte{"big.jpg": encodeJPEG(t, pattern), "alpha.png": encodePNG(t, alpha)})
	p := newProcessor(t, root, Config{Widths: []int{150, 400}})
	sink := newMemSink()
	imgs, errs := p.Process(context.Background(), []Request{{Src: "big.jpg"}, {Src: "alpha.png"}}, sink)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for src, want := range map[string]image.Image{"big.jpg": pattern, "alpha.png": testPattern(1600, 800)} {
		for _, s := range imgs[src].Sources {
			for _, v := range s.Variants {
				out := decodeOutput(t, v.URL[1:], sink.files[v.URL[1:]])
				if d := meanDiff(out, want, 30, 15); d > 6 {
					t.Errorf("%s: differs from the source by %.1f/255", v.URL, d)
				}
			}
		}
	}
}

func TestAVIFIsAnOption(t *testing.T) {
	_, root := site(t, map[string][]byte{
		"a/pier.jpg": fixture(t, "exif-rotated-gps.jpg"),
		"b/logo.png": encodePNG(t, func() *image.NRGBA {
			img := testPattern(80, 60)
			for i := 3; i < len(img.Pix)/2; i += 4 {
				img.Pix[i] = 0
			}
			return img
		}()),
	})
	p := newProcessor(t, root, Config{Widths: []int{200}, Formats: []string{"webp", "avif", "jpeg"}})
	sink := newMemSink()
	imgs, errs := p.Process(context.Background(), []Request{{Src: "a/pier.jpg"}, {Src: "b/logo.png"}}, sink)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for src, want := range map[string][]string{"a/pier.jpg": {"avif", "webp", "jpeg"}, "b/logo.png": {"avif", "webp", "png"}} {
		var got []string
		for _, s := range imgs[src].Sources {
			got = append(got, s.Format)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: formats %v, want %v", src, got, want)
		}
		a := imgs[src].Sources[0]
		if a.MIME != "image/avif" || !strings.HasSuffix(a.Variants[0].URL, ".avif") {
			t.Errorf("%s: AVIF source %+v", src, a)
		}
		data := sink.files[a.Variants[0].URL[1:]]
		for _, s := range privateStrings {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s contains %q", a.Variants[0].URL, s)
			}
		}
		out, err := avif.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		fb := imgs[src].Fallback().Variants[0]
		ref := decodeOutput(t, fb.URL[1:], sink.files[fb.URL[1:]])
		// Compare the opaque lower half; transparent pixels have no colour.
		lower := func(m image.Image) image.Image {
			b := m.Bounds()
			return m.(interface {
				SubImage(image.Rectangle) image.Image
			}).SubImage(image.Rect(b.Min.X, b.Min.Y+b.Dy()/2+2, b.Max.X, b.Max.Y))
		}
		if d := meanDiff(lower(out), lower(ref), 10, 5); d > 8 {
			t.Errorf("%s: AVIF differs from the fallback by %.1f/255", src, d)
		}
		if src == "b/logo.png" {
			if _, _, _, a := out.At(5, 2).RGBA(); a > 0x1000 {
				t.Errorf("%s: AVIF lost its transparency (alpha %d)", src, a>>8)
			}
		}
	}
	if html := string(imgs["a/pier.jpg"].Picture("pier", PictureOptions{})); strings.Index(html, "image/avif") > strings.Index(html, "image/webp") {
		t.Errorf("AVIF must come before WebP: %s", html)
	}
}
