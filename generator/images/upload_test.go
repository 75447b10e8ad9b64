package images

import (
	"bytes"
	"errors"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProbe(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name, file string
		data       []byte
		format     string
		w, h       int
		err        string
	}{
		{name: "jpeg", file: "exif-rotated-gps.jpg", format: "jpeg", w: 1600, h: 1000},
		{name: "heic", file: "phone-photo.heic", format: "heic", w: 2560, h: 1600},
		{name: "bomb", file: "bomb-40000px.png", err: "megapixel limit"},
		{name: "text named .jpg", data: []byte("not a photo at all, whatever the name"), err: "not an image"},
		{name: "truncated jpeg", data: []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, err: "JPEG"},
	}
	for _, tt := range tests {
		data := tt.data
		if tt.file != "" {
			data = read(tt.file)
		}
		info, err := Probe(data, 60_000_000)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || (tt.name == "bomb") != errors.Is(err, ErrPixelBudget) {
				t.Errorf("%s: %v, want an error with %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || info.Format != tt.format || info.Width != tt.w || info.Height != tt.h {
			t.Errorf("%s: %+v %v", tt.name, info, err)
		}
	}
}

func TestCleanStripsMetadata(t *testing.T) {
	for _, name := range []string{"exif-rotated-gps.jpg", "phone-photo.heic"} {
		src, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		out, ext, err := Clean(src, 60_000_000)
		if err != nil || ext != "jpg" {
			t.Fatalf("%s: %v %s", name, err, ext)
		}
		for _, marker := range []string{"Exif\x00", "GPS", "http://ns.adobe.com/xap", "ICC_PROFILE"} {
			if bytes.Contains(out, []byte(marker)) {
				t.Errorf("%s: the cleaned file holds %q", name, marker)
			}
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if name == "exif-rotated-gps.jpg" && (cfg.Width != 1000 || cfg.Height != 1600) {
			t.Errorf("%s: %dx%d, want upright 1000x1600", name, cfg.Width, cfg.Height)
		}
	}
	if _, _, err := Clean([]byte("text"), 1000); err == nil {
		t.Error("Clean accepted text")
	}
}
