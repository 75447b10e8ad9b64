package video

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// strip runs a file through Scan and Plan.Reader, one byte at a time so
// every patch is applied across read boundaries.
func strip(t testing.TB, data []byte, f Format) []byte {
	t.Helper()
	p, err := Scan(bytes.NewReader(data), int64(len(data)), f)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	out, err := io.ReadAll(p.Reader(iotest.OneByteReader(bytes.NewReader(data))))
	if err != nil {
		t.Fatalf("reading the stripped video: %v", err)
	}
	return out
}

// mp4Tree lists the boxes Scan descends into, as "depth type offset size".
func mp4Tree(t testing.TB, data []byte) []string {
	var out []string
	var walk func(start, end int64, depth int)
	walk = func(start, end int64, depth int) {
		for off := start; off < end; {
			size := int64(binary.BigEndian.Uint32(data[off:]))
			typ := string(data[off+4 : off+8])
			out = append(out, fmt.Sprintf("%d %s %d %d", depth, typ, off, size))
			if mp4Containers[typ] {
				walk(off+8, off+size, depth+1)
			}
			off += size
		}
	}
	walk(0, int64(len(data)), 0)
	return out
}

func TestMP4LocationIsRemoved(t *testing.T) {
	in := readFixture(t, "location.mp4")
	if !bytes.Contains(in, []byte(location)) {
		t.Fatal("the fixture carries no location")
	}
	out := strip(t, in, MP4)
	if len(out) != len(in) {
		t.Fatalf("size %d, want %d", len(out), len(in))
	}
	for _, leak := range []string{location, "\xa9xyz", "ISO6709", "Pixel 9"} {
		if bytes.Contains(out, []byte(leak)) {
			t.Errorf("the stripped video still holds %q", leak)
		}
	}
	// The same boxes at the same places, the metadata ones now free.
	want := mp4Tree(t, in)
	for i, l := range want {
		want[i] = strings.NewReplacer(" udta ", " free ", " meta ", " free ").Replace(l)
	}
	got := mp4Tree(t, out)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("structure changed:\ngot\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := strings.Count(strings.Join(got, "\n"), " free "); n != 3 {
		t.Errorf("%d free boxes, want 3 (moov/udta, moov/meta, trak/udta)", n)
	}
	// The chunk offset still points at the frame.
	i := bytes.Index(out, []byte("stco"))
	off := binary.BigEndian.Uint32(out[i+12:])
	if !bytes.HasPrefix(out[off:], []byte("one video frame")) {
		t.Errorf("stco offset %d no longer points at the frame", off)
	}
	// Everything outside the removed boxes is unchanged.
	p, _ := Scan(bytes.NewReader(in), int64(len(in)), MP4)
	assertOnlyPatched(t, p, in, out)
}

// webmTree lists the Segment's children and the Info's, as "id offset size".
func webmTree(t testing.TB, data []byte) []string {
	s := &webmScanner{r: bytes.NewReader(data), size: int64(len(data))}
	var out []string
	var list func(start, end int64, depth int)
	list = func(start, end int64, depth int) {
		for off := start; off < end; {
			e, err := s.element(off, end)
			if err != nil {
				t.Fatalf("reading the stripped WebM: %v", err)
			}
			out = append(out, fmt.Sprintf("%d %X %d %d", depth, e.id, e.off, e.end()-e.off))
			if e.id == idSegment || e.id == idInfo {
				list(e.data, e.end(), depth+1)
			}
			off = e.end()
		}
	}
	list(0, int64(len(data)), 0)
	return out
}

func TestWebMLocationIsRemoved(t *testing.T) {
	in := readFixture(t, "location.webm")
	if !bytes.Contains(in, []byte(location)) {
		t.Fatal("the fixture carries no location")
	}
	out := strip(t, in, WebM)
	if len(out) != len(in) {
		t.Fatalf("size %d, want %d", len(out), len(in))
	}
	for _, leak := range []string{location, "RECORDING_LOCATION", "Anna's walk"} {
		if bytes.Contains(out, []byte(leak)) {
			t.Errorf("the stripped video still holds %q", leak)
		}
	}
	want := webmTree(t, in)
	for i, l := range want {
		for _, id := range []uint32{idTags, idTitle, idDateUTC} {
			l = strings.Replace(l, fmt.Sprintf(" %X ", id), fmt.Sprintf(" %X ", idVoid), 1)
		}
		want[i] = l
	}
	got := webmTree(t, out)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("structure changed:\ngot\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The stripped file is still one a scan accepts, with nothing left to remove.
	p, err := Scan(bytes.NewReader(out), int64(len(out)), WebM)
	if err != nil || p.Removed() != 0 {
		t.Errorf("rescan: %v, %d regions", err, p.Removed())
	}
	p, _ = Scan(bytes.NewReader(in), int64(len(in)), WebM)
	assertOnlyPatched(t, p, in, out)
}

func assertOnlyPatched(t *testing.T, p *Plan, in, out []byte) {
	t.Helper()
	inPatch := make([]bool, len(in))
	for _, pt := range p.patches {
		for i := pt.off; i < pt.off+pt.n; i++ {
			inPatch[i] = true
		}
	}
	for i := range in {
		if !inPatch[i] && in[i] != out[i] {
			t.Fatalf("byte %d changed outside the metadata", i)
		}
	}
}

func TestVoidSizes(t *testing.T) {
	// Every element length a Void can replace, from the shortest.
	for total := int64(2); total < 300; total++ {
		data := make([]byte, total)
		s := &webmScanner{plan: &Plan{}}
		s.blank(element{off: 0, data: 1, size: total - 1})
		copy(data, s.plan.patches[0].head)
		s.r, s.size = bytes.NewReader(data), total
		e, err := s.element(0, total)
		if err != nil || e.id != idVoid || e.end() != total {
			t.Fatalf("total %d: %+v, %v", total, e, err)
		}
	}
}

func TestRefused(t *testing.T) {
	mp4 := readFixture(t, "location.mp4")
	webm := readFixture(t, "location.webm")
	grown := bytes.Clone(mp4)
	binary.BigEndian.PutUint32(grown[0x1c:], 0xFFFF) // moov's size, past the end
	for _, c := range []struct {
		name string
		data []byte
		f    Format
		want string
	}{
		{"html as mp4", []byte("<html><script>alert(document.cookie)</script></html>"), MP4, "does not start with an ftyp box"},
		{"svg as webm", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), WebM, "does not start with an EBML header"},
		{"webm as mp4", webm, MP4, "ftyp"},
		{"mp4 as webm", mp4, WebM, "EBML header"},
		{"empty", nil, MP4, "too short"},
		{"truncated mp4", mp4[:len(mp4)-5], MP4, "outside its parent"},
		{"box past its parent", grown, MP4, "outside its parent"},
		{"no moov", mp4[:0x1c], MP4, "no moov"},
		{"truncated webm", webm[:len(webm)-3], WebM, "past the end"},
		{"matroska header only", webm[:0x24], WebM, "no Segment"},
	} {
		_, err := Scan(bytes.NewReader(c.data), int64(len(c.data)), c.f)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
}

func TestReaderFailsOnShortSource(t *testing.T) {
	in := readFixture(t, "location.mp4")
	p, err := Scan(bytes.NewReader(in), int64(len(in)), MP4)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(p.Reader(bytes.NewReader(in[:100]))); err != io.ErrUnexpectedEOF {
		t.Errorf("err = %v, want unexpected EOF", err)
	}
}
