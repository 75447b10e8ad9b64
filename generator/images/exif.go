package images

// A small reader of the one EXIF field the pipeline uses, Orientation. It
// reads outside input, so it checks every offset and never panics
// (FuzzDecodeHeader feeds it random files). Everything else in the EXIF
// block, GPS included, is dropped with the rest of the original's metadata
// when the pixels are re-encoded.

import (
	"bytes"
	"encoding/binary"
)

// orientation returns the EXIF orientation (1 to 8) of a source, 1 when it
// has none or an invalid one.
//
// HEIC is always 1 here: in HEIF the rotation and mirroring are the irot and
// imir boxes, which the decoder applies (its reported size is already
// upright), and an EXIF orientation inside a HEIF file is informative only.
// Applying it too would turn iPhone photos twice.
func orientation(data []byte, f format) int {
	var tiff []byte
	switch f {
	case formatJPEG:
		tiff = jpegExif(data)
	case formatPNG:
		tiff = pngExif(data)
	case formatWebP:
		tiff = webpExif(data)
	}
	o := tiffOrientation(tiff)
	if o < 1 || o > 8 {
		return 1
	}
	return o
}

var exifHeader = []byte("Exif\x00\x00")

// jpegExif returns the TIFF block of a JPEG's APP1 Exif segment.
func jpegExif(data []byte) []byte {
	var tiff []byte
	jpegSegments(data, func(marker byte, seg []byte) bool {
		if marker == 0xE1 && bytes.HasPrefix(seg, exifHeader) {
			tiff = seg[len(exifHeader):]
			return false
		}
		return true
	})
	return tiff
}

// jpegProgressive reports whether a JPEG's frame is progressive (SOF2,
// SOF6, SOF10 or SOF14).
func jpegProgressive(data []byte) bool {
	prog := false
	jpegSegments(data, func(marker byte, seg []byte) bool {
		switch marker {
		case 0xC2, 0xC6, 0xCA, 0xCE:
			prog = true
			return false
		case 0xC0, 0xC1, 0xC3, 0xC5, 0xC7, 0xC9, 0xCB, 0xCD, 0xCF:
			return false
		}
		return true
	})
	return prog
}

// jpegSegments calls fn with each marker segment before the first scan,
// until fn returns false.
func jpegSegments(data []byte, fn func(marker byte, seg []byte) bool) {
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image
			return
		}
		if marker >= 0xD0 && marker <= 0xD7 || marker == 0x01 {
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return
		}
		if !fn(marker, data[i+4:i+2+n]) {
			return
		}
		i += 2 + n
	}
}

// pngExif returns the TIFF block of a PNG's eXIf chunk.
func pngExif(data []byte) []byte {
	return bytes.TrimPrefix(pngChunk(data, "eXIf"), exifHeader)
}

// pngChunk returns the payload of a PNG's first chunk of the given type
// among those before the image data (where metadata chunks must be), or nil.
func pngChunk(data []byte, typ string) []byte {
	i := 8
	for i+12 <= len(data) {
		n := int(binary.BigEndian.Uint32(data[i:]))
		t := string(data[i+4 : i+8])
		if n < 0 || n > len(data)-i-12 {
			return nil
		}
		switch t {
		case typ:
			return data[i+8 : i+8+n]
		case "IDAT", "IEND":
			return nil
		}
		i += 12 + n
	}
	return nil
}

// webpExif returns the TIFF block of a WebP's EXIF chunk.
func webpExif(data []byte) []byte {
	return bytes.TrimPrefix(webpChunk(data, "EXIF"), exifHeader)
}

// webpChunk returns the payload of a WebP (RIFF) file's first chunk of the
// given type, or nil.
func webpChunk(data []byte, fourcc string) []byte {
	i := 12
	for i+8 <= len(data) {
		typ := string(data[i : i+4])
		n := int(binary.LittleEndian.Uint32(data[i+4:]))
		if n < 0 || n > len(data)-i-8 {
			return nil
		}
		if typ == fourcc {
			return data[i+8 : i+8+n]
		}
		i += 8 + n + n&1
	}
	return nil
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF block, 0 if absent.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	if bo.Uint16(t[2:]) != 42 {
		return 0
	}
	off := int64(bo.Uint32(t[4:]))
	if off < 8 || off+2 > int64(len(t)) {
		return 0
	}
	n := int64(bo.Uint16(t[off:]))
	for k := int64(0); k < n; k++ {
		e := off + 2 + 12*k
		if e+12 > int64(len(t)) {
			return 0
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		switch bo.Uint16(t[e+2:]) { // type
		case 3: // SHORT
			return int(bo.Uint16(t[e+8:]))
		case 4: // LONG, seen in the wild
			return int(bo.Uint32(t[e+8:]))
		}
		return 0
	}
	return 0
}
