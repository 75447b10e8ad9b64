package video

// MP4 (ISO/IEC 14496-12, and QuickTime's movie format it grew from) is a
// tree of boxes: a 32-bit size (1: a 64-bit size follows the type; 0, at
// the top level only: to the end of the file), a four-character type, then
// the payload. Metadata lives in "udta" (user data: ©xyz location, ©mak
// make, ©mod model, ©day date) and "meta" (QuickTime keys such as
// com.apple.quicktime.location.ISO6709, ISO items, XMP) at the top level
// and in moov and each trak, and in XMP "uuid" boxes. Each is overwritten
// as a "free" box of the same size.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// mp4Containers are the boxes Scan descends into looking for metadata.
var mp4Containers = map[string]bool{
	"moov": true, "trak": true, "mdia": true, "minf": true, "stbl": true,
	"edts": true, "dinf": true, "mvex": true, "moof": true, "traf": true,
}

// xmpUUID is the user type of a uuid box holding XMP.
var xmpUUID = []byte{0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC}

type mp4Scanner struct {
	r       io.ReaderAt
	plan    *Plan
	headers int
	hasMoov bool
}

func scanMP4(r io.ReaderAt, size int64) (*Plan, error) {
	s := &mp4Scanner{r: r, plan: &Plan{Format: MP4, Size: size}}
	if size < 8 {
		return nil, errors.New("not an MP4 video: the file is too short")
	}
	var h [8]byte
	if err := readAt(r, h[:], 0); err != nil {
		return nil, fmt.Errorf("not an MP4 video: %w", err)
	}
	if string(h[4:8]) != "ftyp" {
		return nil, errors.New("not an MP4 video: it does not start with an ftyp box")
	}
	if err := s.boxes(0, size, 0); err != nil {
		return nil, err
	}
	if !s.hasMoov {
		return nil, errors.New("not a playable MP4 video: it has no moov box")
	}
	return s.plan, nil
}

// boxes reads the boxes between start and end, depth levels deep.
func (s *mp4Scanner) boxes(start, end int64, depth int) error {
	for off := start; off < end; {
		if end-off < 8 {
			return fmt.Errorf("corrupt MP4: %d stray bytes at offset %d", end-off, off)
		}
		if s.headers++; s.headers > maxHeaders {
			return errors.New("corrupt MP4: too many boxes")
		}
		var h [16]byte
		if err := readAt(s.r, h[:8], off); err != nil {
			return fmt.Errorf("corrupt MP4: box header at offset %d: %w", off, err)
		}
		typ := string(h[4:8])
		size, hdr := int64(binary.BigEndian.Uint32(h[:4])), int64(8)
		switch size {
		case 1:
			if end-off < 16 {
				return fmt.Errorf("corrupt MP4: box %q at offset %d is truncated", typ, off)
			}
			if err := readAt(s.r, h[8:16], off+8); err != nil {
				return fmt.Errorf("corrupt MP4: box header at offset %d: %w", off, err)
			}
			large := binary.BigEndian.Uint64(h[8:16])
			if large > uint64(end-off) {
				return fmt.Errorf("corrupt MP4: box %q at offset %d claims %d bytes, past the end of its parent", typ, off, large)
			}
			size, hdr = int64(large), 16
		case 0:
			if depth > 0 {
				return fmt.Errorf("corrupt MP4: box %q at offset %d has no size inside another box", typ, off)
			}
			size = end - off
		}
		if size < hdr || size > end-off {
			return fmt.Errorf("corrupt MP4: box %q at offset %d claims %d bytes, outside its parent", typ, off, size)
		}
		if depth == 0 && !printable(h[4:8]) {
			return fmt.Errorf("corrupt MP4: box type %q at offset %d is not a box type", typ, off)
		}
		blank := typ == "udta" || typ == "meta"
		if typ == "uuid" {
			if size < hdr+16 {
				return fmt.Errorf("corrupt MP4: uuid box at offset %d is too short", off)
			}
			var u [16]byte
			if err := readAt(s.r, u[:], off+hdr); err != nil {
				return fmt.Errorf("corrupt MP4: uuid box at offset %d: %w", off, err)
			}
			blank = bytes.Equal(u[:], xmpUUID)
		}
		switch {
		case blank:
			head := make([]byte, hdr)
			copy(head, h[:hdr])
			copy(head[4:8], "free")
			s.plan.patches = append(s.plan.patches, patch{off: off, n: size, head: head})
		case mp4Containers[typ]:
			if depth >= maxDepth {
				return fmt.Errorf("corrupt MP4: boxes nested too deep at offset %d", off)
			}
			if err := s.boxes(off+hdr, off+size, depth+1); err != nil {
				return err
			}
		}
		if depth == 0 && typ == "moov" {
			s.hasMoov = true
		}
		off += size
	}
	return nil
}

func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}
