// Package video makes a story's own video file fit to publish.
//
// A phone writes more into a video than pictures and sound: the place it was
// filmed (QuickTime's ©xyz and com.apple.quicktime.location.ISO6709, a
// Matroska tag), the phone's model, the owner's name. Postcard publishes a
// contributor's video only after those are gone, and refuses a file whose
// container it cannot read, so nothing but a video reaches the site under a
// video's name.
//
// Videos are large, so nothing here reads one whole: Scan reads only box or
// element headers (seeking past the frames) and returns a Plan of the
// metadata regions; Plan.Reader then streams the file with each region
// overwritten in place by padding of the same size (a "free" box in MP4, a
// Void element in WebM). Sizes and offsets are unchanged, so the sample
// tables' chunk offsets and the WebM seek and cue positions stay valid.
package video

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Format is a container format Postcard publishes.
type Format string

// The formats, named by their file extension.
const (
	MP4  Format = "mp4"  // ISO base media (MP4, and QuickTime-style MOV in an .mp4)
	WebM Format = "webm" // WebM and Matroska
)

// FormatOf returns the format a file name's extension claims, or "".
func FormatOf(name string) Format {
	switch strings.ToLower(path.Ext(name)) {
	case ".mp4":
		return MP4
	case ".webm":
		return WebM
	}
	return ""
}

// maxHeaders bounds the boxes or elements Scan reads, so a file made of
// nothing but tiny headers costs a bounded amount of work.
const maxHeaders = 1 << 22

// maxDepth bounds how deep Scan descends into nested boxes or elements.
const maxDepth = 8

// patch is a region of the file to overwrite: head at off, then zeros up to
// off+n.
type patch struct {
	off, n int64
	head   []byte
}

// Plan is what Scan found in one file: its size and the metadata regions to
// overwrite.
type Plan struct {
	Format  Format
	Size    int64
	patches []patch // in file order, never overlapping
}

// Removed counts the metadata regions the plan overwrites.
func (p *Plan) Removed() int { return len(p.patches) }

// Scan reads the structure of the size-byte file r in format f and plans
// the removal of its metadata. It reads headers only, never the frames. An
// error says why the file is not a video Postcard can publish.
func Scan(r io.ReaderAt, size int64, f Format) (*Plan, error) {
	switch f {
	case MP4:
		return scanMP4(r, size)
	case WebM:
		return scanWebM(r, size)
	}
	return nil, fmt.Errorf("unknown video format %q", f)
}

// errTruncated is a header or element that runs past the end of the file
// or of its parent.
var errTruncated = errors.New("the file is truncated or corrupt")

// readAt fills b from r at off, treating a short read as truncation.
func readAt(r io.ReaderAt, b []byte, off int64) error {
	n, err := r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || err == io.EOF {
		return errTruncated
	}
	return err
}

// Reader streams src, the file the plan was made from read from its start,
// with the plan's regions overwritten. It yields exactly p.Size bytes and
// fails if src is shorter.
func (p *Plan) Reader(src io.Reader) io.Reader {
	return &planReader{p: p, src: src}
}

type planReader struct {
	p    *Plan
	src  io.Reader
	pos  int64
	next int // the first patch not wholly behind pos
}

func (r *planReader) Read(b []byte) (int, error) {
	if r.pos >= r.p.Size {
		return 0, io.EOF
	}
	if rest := r.p.Size - r.pos; int64(len(b)) > rest {
		b = b[:rest]
	}
	n, err := r.src.Read(b)
	start, end := r.pos, r.pos+int64(n)
	for i := r.next; i < len(r.p.patches); i++ {
		pt := r.p.patches[i]
		if pt.off >= end {
			break
		}
		lo, hi := max(pt.off, start), min(pt.off+pt.n, end)
		for x := lo; x < hi; x++ {
			c := byte(0)
			if k := x - pt.off; k < int64(len(pt.head)) {
				c = pt.head[k]
			}
			b[x-start] = c
		}
		if pt.off+pt.n <= end {
			r.next = i + 1
		}
	}
	r.pos = end
	if err == io.EOF {
		if r.pos < r.p.Size {
			return n, io.ErrUnexpectedEOF
		}
		if n == 0 {
			return 0, io.EOF
		}
		err = nil
	}
	return n, err
}
