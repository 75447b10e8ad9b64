package video

// The fixtures in testdata are videos the way a phone writes them, with
// the place they were filmed, built here box by box (no frames a player
// could decode: the container is what Postcard reads). Regenerate them
// with
//
//	go test ./generator/video -run TestFixtures -update

import (
	"bytes"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the video fixtures in testdata")

// location is what the fixtures carry, as phones write it (ISO 6709).
const location = "+60.1699+024.9384/"

func TestFixtures(t *testing.T) {
	for name, data := range map[string][]byte{"location.mp4": fixtureMP4(), "location.webm": fixtureWebM()} {
		p := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("%s is out of date: run go test ./generator/video -run TestFixtures -update", p)
		}
	}
}

// box is an MP4 box of the given type around the payloads.
func box(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(b, typ...), body...)
}

// full is a full box: version 0 and no flags before the payload.
func full(typ string, payload ...[]byte) []byte {
	return box(typ, append([][]byte{{0, 0, 0, 0}}, payload...)...)
}

func u32(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return b
}

var identity = u32(0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)

// fixtureMP4 is a one-sample video track with the location in
// moov/udta/©xyz (as iPhones and Android phones write it), in an Apple
// moov/meta keys list, and the phone's model in trak/udta.
func fixtureMP4() []byte {
	ftyp := box("ftyp", []byte("isom"), u32(0x200), []byte("isomiso2mp41"))
	frame := []byte("one video frame, not decodable")
	xyz := box("\xa9xyz", []byte{0, byte(len(location)), 0x15, 0xc7}, []byte(location))
	mod := box("\xa9mod", []byte{0, 7, 0x15, 0xc7}, []byte("Pixel 9"))
	key := "com.apple.quicktime.location.ISO6709"
	meta := full("meta",
		full("hdlr", u32(0), []byte("mdta"), u32(0, 0, 0), []byte{0}),
		full("keys", u32(1), box("mdta", []byte(key))),
		box("ilst", box(string([]byte{0, 0, 0, 1}), full("data", u32(0), []byte(location)))),
	)
	mvhd := full("mvhd", u32(0, 0, 1000, 1000, 0x10000), []byte{1, 0}, make([]byte, 10), identity, make([]byte, 24), u32(2))
	tkhd := full("tkhd", u32(0, 0, 1, 0, 1000), make([]byte, 8), []byte{0, 0, 0, 0, 0, 0, 0, 0}, identity, u32(16<<16, 16<<16))
	build := func(chunk uint32) []byte {
		stbl := box("stbl",
			full("stsd", u32(0)),
			full("stts", u32(1, 1, 1000)),
			full("stsc", u32(1, 1, 1, 1)),
			full("stsz", u32(0, 1, uint32(len(frame)))),
			full("stco", u32(1, chunk)),
		)
		minf := box("minf", full("vmhd", make([]byte, 8)), box("dinf", full("dref", u32(1), box("url ", []byte{0, 0, 0, 1}))), stbl)
		mdia := box("mdia", full("mdhd", u32(0, 0, 1000, 1000), []byte{0x15, 0xc7, 0, 0}), full("hdlr", u32(0), []byte("vide"), u32(0, 0, 0), []byte("Video\x00")), minf)
		trak := box("trak", tkhd, mdia, box("udta", mod))
		moov := box("moov", mvhd, trak, meta, box("udta", xyz))
		return append(append(ftyp, moov...), box("mdat", frame)...)
	}
	// The chunk offset points at the frame, just after the mdat header.
	n := len(build(0)) - len(frame)
	return build(uint32(n))
}

// ebml is an EBML element: its ID, its size in as few bytes as needed,
// then the children.
func ebml(id uint32, children ...[]byte) []byte {
	body := bytes.Join(children, nil)
	var b []byte
	for s := 24; s >= 0; s -= 8 {
		if c := byte(id >> s); c != 0 || len(b) > 0 {
			b = append(b, c)
		}
	}
	n := uint64(len(body))
	l := 1
	for n >= 1<<(7*l)-1 {
		l++
	}
	size := make([]byte, l)
	for i := l - 1; i >= 0; i-- {
		size[i] = byte(n)
		n >>= 8
	}
	size[0] |= 0x80 >> (l - 1)
	return append(append(b, size...), body...)
}

func uint8el(id uint32, v byte) []byte { return ebml(id, []byte{v}) }
func str(id uint32, s string) []byte   { return ebml(id, []byte(s)) }

// fixtureWebM is one VP9 frame with the location in a RECORDING_LOCATION
// tag, and a title and recording date in the Segment Info.
func fixtureWebM() []byte {
	head := ebml(idEBML,
		uint8el(0x4286, 1), uint8el(0x42F7, 1), uint8el(0x42F2, 4), uint8el(0x42F3, 8),
		str(idDocType, "webm"), uint8el(0x4287, 4), uint8el(0x4285, 2))
	info := ebml(idInfo,
		ebml(0x2AD7B1, []byte{0x0F, 0x42, 0x40}),
		str(0x4D80, "postcard-fixture"), str(0x5741, "postcard-fixture"),
		str(idTitle, "Anna's walk home"),
		ebml(idDateUTC, make([]byte, 8)),
	)
	tracks := ebml(idTracks, ebml(0xAE,
		uint8el(0xD7, 1), uint8el(0x73C5, 1), uint8el(0x83, 1), str(0x86, "V_VP9"),
		ebml(0xE0, uint8el(0xB0, 16), uint8el(0xBA, 16)),
	))
	cluster := ebml(idCluster, uint8el(0xE7, 0), ebml(0xA3, []byte{0x81, 0, 0, 0x80}, []byte("one video frame, not decodable")))
	tags := ebml(idTags, ebml(0x7373,
		ebml(0x63C0),
		ebml(0x67C8, str(0x45A3, "RECORDING_LOCATION"), str(0x4487, location)),
	))
	return append(head, ebml(idSegment, info, tracks, cluster, tags)...)
}
