package video

// WebM is a Matroska profile, and Matroska is EBML: a tree of elements,
// each an ID (a variable-length integer of 1 to 4 bytes), a size (1 to 8
// bytes; all ones means "unknown": to the end of the parent) and the data.
// A file is an EBML header naming the document type, then a Segment.
// Metadata lives in the Segment's Tags (where a location is written as a
// tag), in Attachments (cover pictures, with their own metadata) and in the
// Info element's Title and DateUTC. Each is overwritten as a Void element
// of the same size.

import (
	"errors"
	"fmt"
	"io"
)

// EBML and Matroska element IDs, with their length marker bits.
const (
	idEBML        = 0x1A45DFA3
	idDocType     = 0x4282
	idSegment     = 0x18538067
	idSeekHead    = 0x114D9B74
	idInfo        = 0x1549A966
	idTitle       = 0x7BA9
	idDateUTC     = 0x4461
	idTracks      = 0x1654AE6B
	idChapters    = 0x1043A770
	idCluster     = 0x1F43B675
	idCues        = 0x1C53BB6B
	idAttachments = 0x1941A469
	idTags        = 0x1254C367
	idVoid        = 0xEC
	idCRC32       = 0xBF
)

// segmentLevel are the elements that end a Cluster of unknown size.
var segmentLevel = map[uint32]bool{
	idSeekHead: true, idInfo: true, idTracks: true, idChapters: true, idCluster: true,
	idCues: true, idAttachments: true, idTags: true, idSegment: true, idEBML: true,
}

// element is an EBML element's header.
type element struct {
	id      uint32
	off     int64 // where the ID starts
	data    int64 // where the data starts
	size    int64 // the data's size; -1 when unknown
	unknown bool
}

func (e element) end() int64 { return e.data + e.size }

type webmScanner struct {
	r       io.ReaderAt
	size    int64
	plan    *Plan
	headers int
}

func scanWebM(r io.ReaderAt, size int64) (*Plan, error) {
	s := &webmScanner{r: r, size: size, plan: &Plan{Format: WebM, Size: size}}
	head, err := s.element(0, size)
	if err != nil || head.id != idEBML || head.unknown {
		return nil, errors.New("not a WebM video: it does not start with an EBML header")
	}
	doc, err := s.docType(head)
	if err != nil {
		return nil, err
	}
	if doc != "webm" && doc != "matroska" {
		return nil, fmt.Errorf("not a WebM video: its document type is %q", doc)
	}
	segments := 0
	for off := head.end(); off < size; {
		e, err := s.element(off, size)
		if err != nil {
			return nil, err
		}
		switch e.id {
		case idSegment:
			segments++
			if e.unknown {
				e.size = size - e.data
			}
			if err := s.segment(e); err != nil {
				return nil, err
			}
		case idVoid, idCRC32:
			if e.unknown {
				return nil, fmt.Errorf("corrupt WebM: element at offset %d has no size", e.off)
			}
		default:
			return nil, fmt.Errorf("corrupt WebM: unexpected element %X at offset %d", e.id, e.off)
		}
		off = e.end()
	}
	if segments == 0 {
		return nil, errors.New("not a playable WebM video: it has no Segment")
	}
	return s.plan, nil
}

// docType reads the EBML header's DocType.
func (s *webmScanner) docType(head element) (string, error) {
	for off := head.data; off < head.end(); {
		e, err := s.element(off, head.end())
		if err != nil {
			return "", err
		}
		if e.unknown {
			return "", fmt.Errorf("corrupt WebM: element at offset %d has no size", e.off)
		}
		if e.id == idDocType {
			if e.size > 64 {
				return "", errors.New("corrupt WebM: DocType too long")
			}
			b := make([]byte, e.size)
			if err := readAt(s.r, b, e.data); err != nil {
				return "", fmt.Errorf("corrupt WebM: %w", err)
			}
			for len(b) > 0 && b[len(b)-1] == 0 {
				b = b[:len(b)-1]
			}
			return string(b), nil
		}
		off = e.end()
	}
	return "", errors.New("not a WebM video: its EBML header names no document type")
}

// segment reads a Segment's children, planning to blank the metadata.
func (s *webmScanner) segment(seg element) error {
	for off := seg.data; off < seg.end(); {
		e, err := s.element(off, seg.end())
		if err != nil {
			return err
		}
		if e.unknown {
			if e.id != idCluster {
				return fmt.Errorf("corrupt WebM: element %X at offset %d has no size", e.id, e.off)
			}
			end, err := s.cluster(e, seg.end())
			if err != nil {
				return err
			}
			off = end
			continue
		}
		switch e.id {
		case idTags, idAttachments:
			s.blank(e)
		case idInfo:
			if err := s.info(e); err != nil {
				return err
			}
		}
		off = e.end()
	}
	return nil
}

// info blanks the Segment Info's Title and DateUTC.
func (s *webmScanner) info(info element) error {
	for off := info.data; off < info.end(); {
		e, err := s.element(off, info.end())
		if err != nil {
			return err
		}
		if e.unknown {
			return fmt.Errorf("corrupt WebM: element %X at offset %d has no size", e.id, e.off)
		}
		if e.id == idTitle || e.id == idDateUTC {
			s.blank(e)
		}
		off = e.end()
	}
	return nil
}

// cluster finds where a Cluster of unknown size ends: at the first element
// that belongs to the Segment, or at the Segment's end.
func (s *webmScanner) cluster(c element, end int64) (int64, error) {
	off := c.data
	for off < end {
		e, err := s.element(off, end)
		if err != nil {
			return 0, err
		}
		if segmentLevel[e.id] {
			return off, nil
		}
		if e.unknown {
			return 0, fmt.Errorf("corrupt WebM: element %X at offset %d has no size", e.id, e.off)
		}
		off = e.end()
	}
	return off, nil
}

// blank plans to overwrite e, header and data, with a Void element of the
// same total size: its ID (one byte), a size field of up to 8 bytes (EBML
// allows sizes written longer than needed) and zeros.
func (s *webmScanner) blank(e element) {
	total := e.end() - e.off
	m := min(int64(8), total-1)
	v := uint64(total - 1 - m)
	head := make([]byte, 1+m)
	head[0] = idVoid
	for i := m; i >= 1; i-- {
		head[i] = byte(v)
		v >>= 8
	}
	head[1] |= 0x80 >> (m - 1)
	s.plan.patches = append(s.plan.patches, patch{off: e.off, n: total, head: head})
}

// element reads the header of the element at off, which must end by end.
func (s *webmScanner) element(off, end int64) (element, error) {
	e := element{off: off}
	if s.headers++; s.headers > maxHeaders {
		return e, errors.New("corrupt WebM: too many elements")
	}
	var b [12]byte
	n := min(int64(len(b)), end-off)
	if n < 2 {
		return e, fmt.Errorf("corrupt WebM: truncated element at offset %d", off)
	}
	if err := readAt(s.r, b[:n], off); err != nil {
		return e, fmt.Errorf("corrupt WebM: element at offset %d: %w", off, err)
	}
	idLen := vintLen(b[0])
	if idLen == 0 || idLen > 4 || int64(idLen) >= n {
		return e, fmt.Errorf("corrupt WebM: bad element ID at offset %d", off)
	}
	for _, c := range b[:idLen] {
		e.id = e.id<<8 | uint32(c)
	}
	sizeLen := vintLen(b[idLen])
	if sizeLen == 0 || int64(idLen+sizeLen) > n {
		return e, fmt.Errorf("corrupt WebM: bad element size at offset %d", off)
	}
	raw := b[idLen : idLen+sizeLen]
	v := uint64(raw[0] & (0xFF >> sizeLen))
	for _, c := range raw[1:] {
		v = v<<8 | uint64(c)
	}
	e.data = off + int64(idLen+sizeLen)
	if v == 1<<(7*sizeLen)-1 {
		e.unknown = true
		e.size = end - e.data
		return e, nil
	}
	if v > uint64(end-e.data) {
		return e, fmt.Errorf("corrupt WebM: element %X at offset %d claims %d bytes, past the end of its parent", e.id, off, v)
	}
	e.size = int64(v)
	return e, nil
}

// vintLen is the length of the variable-length integer starting with b, or
// 0 if b starts none.
func vintLen(b byte) int {
	for i := range 8 {
		if b&(0x80>>i) != 0 {
			return i + 1
		}
	}
	return 0
}
