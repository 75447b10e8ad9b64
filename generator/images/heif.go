package images

// A reader of the size of a HEIF (HEIC) file's primary image, from its
// boxes, without decoding. The HEIC decoder's own DecodeConfig reads only
// the first 32 KiB, but phones often write the metadata after the pixel
// data. Outside input: every length is checked.

import (
	"encoding/binary"
	"errors"
)

var errNoHEIFSize = errors.New("no image size in the HEIF metadata")

// heifSize returns the stored size of the primary image of a HEIF file.
func heifSize(data []byte) (w, h int, err error) {
	meta, ok := findBox(data, "meta")
	if !ok || len(meta) < 4 {
		return 0, 0, errNoHEIFSize
	}
	meta = meta[4:] // FullBox version and flags
	primary := -1
	if pitm, ok := findBox(meta, "pitm"); ok && len(pitm) >= 6 {
		if pitm[0] == 0 {
			primary = int(binary.BigEndian.Uint16(pitm[4:]))
		} else if len(pitm) >= 8 {
			primary = int(binary.BigEndian.Uint32(pitm[4:]))
		}
	}
	iprp, ok := findBox(meta, "iprp")
	if !ok {
		return 0, 0, errNoHEIFSize
	}
	ipco, ok := findBox(iprp, "ipco")
	if !ok {
		return 0, 0, errNoHEIFSize
	}
	var props [][2]int // ispe sizes by property index (0 when not ispe)
	var largest [2]int
	for b := range boxes(ipco) {
		var s [2]int
		if b.typ == "ispe" && len(b.body) >= 12 {
			s = [2]int{int(binary.BigEndian.Uint32(b.body[4:])), int(binary.BigEndian.Uint32(b.body[8:]))}
			if s[0]*s[1] > largest[0]*largest[1] {
				largest = s
			}
		}
		props = append(props, s)
		if len(props) > 1<<16 {
			break
		}
	}
	if ipma, ok := findBox(iprp, "ipma"); ok && primary >= 0 {
		if s, ok := primarySize(ipma, primary, props); ok {
			return s[0], s[1], nil
		}
	}
	if largest[0] > 0 && largest[1] > 0 {
		return largest[0], largest[1], nil
	}
	return 0, 0, errNoHEIFSize
}

// primarySize finds the ispe property associated with the primary item.
func primarySize(ipma []byte, primary int, props [][2]int) ([2]int, bool) {
	if len(ipma) < 8 {
		return [2]int{}, false
	}
	version, flags := ipma[0], ipma[3]
	n := int(binary.BigEndian.Uint32(ipma[4:]))
	p := ipma[8:]
	for range min(n, 1<<16) {
		var id int
		if version < 1 {
			if len(p) < 3 {
				return [2]int{}, false
			}
			id, p = int(binary.BigEndian.Uint16(p)), p[2:]
		} else {
			if len(p) < 5 {
				return [2]int{}, false
			}
			id, p = int(binary.BigEndian.Uint32(p)), p[4:]
		}
		count := int(p[0])
		p = p[1:]
		for range count {
			var idx int
			if flags&1 != 0 {
				if len(p) < 2 {
					return [2]int{}, false
				}
				idx, p = int(binary.BigEndian.Uint16(p)&0x7fff), p[2:]
			} else {
				if len(p) < 1 {
					return [2]int{}, false
				}
				idx, p = int(p[0]&0x7f), p[1:]
			}
			if id == primary && idx >= 1 && idx <= len(props) && props[idx-1][0] > 0 {
				return props[idx-1], true
			}
		}
	}
	return [2]int{}, false
}

type box struct {
	typ  string
	body []byte
}

// boxes iterates over the ISO BMFF boxes in data, stopping at the first
// malformed one.
func boxes(data []byte) func(yield func(box) bool) {
	return func(yield func(box) bool) {
		for len(data) >= 8 {
			size := uint64(binary.BigEndian.Uint32(data))
			typ := string(data[4:8])
			hdr := uint64(8)
			switch size {
			case 0:
				size = uint64(len(data))
			case 1:
				if len(data) < 16 {
					return
				}
				size, hdr = binary.BigEndian.Uint64(data[8:]), 16
			}
			if size < hdr || size > uint64(len(data)) {
				return
			}
			if !yield(box{typ, data[hdr:size]}) {
				return
			}
			data = data[size:]
		}
	}
}

// findBox returns the body of the first box of type typ in data.
func findBox(data []byte, typ string) ([]byte, bool) {
	for b := range boxes(data) {
		if b.typ == typ {
			return b.body, true
		}
	}
	return nil, false
}
