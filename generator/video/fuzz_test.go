package video

import (
	"bytes"
	"io"
	"testing"
)

// fuzzScan checks that a scan of any input ends without a panic, and that
// a plan it returns streams exactly the input's size, every patch inside
// the file and none overlapping.
func fuzzScan(t *testing.T, data []byte, f Format) {
	p, err := Scan(bytes.NewReader(data), int64(len(data)), f)
	if err != nil {
		return
	}
	var last int64
	for _, pt := range p.patches {
		if pt.off < last || pt.n < int64(len(pt.head)) || pt.off+pt.n > int64(len(data)) {
			t.Fatalf("bad patch %+v after %d in %d bytes", pt, last, len(data))
		}
		last = pt.off + pt.n
	}
	n, err := io.Copy(io.Discard, p.Reader(bytes.NewReader(data)))
	if err != nil || n != int64(len(data)) {
		t.Fatalf("streamed %d of %d bytes: %v", n, len(data), err)
	}
}

func FuzzMP4(f *testing.F) {
	f.Add(readFixture(f, "location.mp4"))
	f.Add([]byte("\x00\x00\x00\x10ftypisom\x00\x00\x00\x00\x00\x00\x00\x01moov\x00\x00\x00\x00\x00\x00\x00\x10"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, data, MP4) })
}

func FuzzWebM(f *testing.F) {
	f.Add(readFixture(f, "location.webm"))
	f.Add([]byte("\x1a\x45\xdf\xa3\x84\x42\x82\x81w\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, data, WebM) })
}
