package content

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
)

// TestReadLimited: a file is read whole into a buffer of its size, which
// a story's Doc keeps for the whole build; a file over the limit is
// refused without reading more than one byte past it.
func TestReadLimited(t *testing.T) {
	for _, size := range []int{0, 1, 511, 512, 2700, 70_000} {
		data := bytes.Repeat([]byte("x"), size)
		fsys := fstest.MapFS{"a.md": {Data: data}}
		got, err := readLimited(fsys, "a.md", 100_000)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("size %d: %d bytes, %v", size, len(got), err)
		}
		if cap(got) > size+1 {
			t.Errorf("size %d: read into %d bytes", size, cap(got))
		}
	}
	fsys := fstest.MapFS{"big.md": {Data: bytes.Repeat([]byte("x"), 101)}}
	if _, err := readLimited(fsys, "big.md", 100); err == nil || !strings.Contains(err.Error(), "larger than the 100 bytes") {
		t.Errorf("a file over the limit: %v", err)
	}
}
