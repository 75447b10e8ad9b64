package images

// Reading a source: the path is checked, the file is opened through the
// site's os.Root with no symbolic link on the way (see package confine), its size is checked before it is read and its pixel size
// before it is decoded. Decoders run under recover: a corrupt file is an
// error for that file, never a crash of the build.

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/gen2brain/heic"
	"github.com/gen2brain/webp"
	"github.com/postcard-ssg/postcard/generator/confine"
)

// format is a source format, told from the file's first bytes, never from
// its name.
type format string

const (
	formatJPEG format = "jpeg"
	formatPNG  format = "png"
	formatGIF  format = "gif"
	formatWebP format = "webp"
	formatHEIC format = "heic"
)

// errUnsupported is returned for a file that is none of the accepted formats.
var errUnsupported = errors.New("not an image Postcard can read (want JPEG, PNG, WebP, GIF or HEIC)")

// sniff tells the format of data from its magic numbers.
func sniff(data []byte) (format, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return formatJPEG, nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return formatPNG, nil
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return formatGIF, nil
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return formatWebP, nil
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		if isHEIF(data) {
			return formatHEIC, nil
		}
		if hasBrand(data, "avif", "avis") {
			return "", errors.New("AVIF sources are not supported yet (convert to JPEG, or send the HEIC or WebP)")
		}
	}
	return "", errUnsupported
}

// isHEIF reports whether an ISO BMFF file's ftyp box names a HEIF brand.
func isHEIF(data []byte) bool {
	return hasBrand(data, "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1") &&
		!hasBrand(data, "avif", "avis")
}

// hasBrand reports whether the ftyp box at the start of data names one of
// the brands, as its major brand or a compatible one.
func hasBrand(data []byte, brands ...string) bool {
	if len(data) < 16 {
		return false
	}
	size := int(data[0])<<24 | int(data[1])<<16 | int(data[2])<<8 | int(data[3])
	if size < 16 || size > len(data) || size > 4096 {
		size = min(len(data), 16)
	}
	box := data[8:size] // major brand, minor version, compatible brands
	for i := 0; i+4 <= len(box); i += 4 {
		if i == 4 {
			continue // minor version
		}
		for _, b := range brands {
			if string(box[i:i+4]) == b {
				return true
			}
		}
	}
	return false
}

// checkPath refuses a source path that is not a slash path inside the site:
// absolute, with "..", empty or not clean. os.Root refuses these as well
// (and symlinks that lead out); checking first gives a clearer message.
func checkPath(src string) error {
	if src == "" {
		return errors.New("empty image path")
	}
	if strings.HasPrefix(src, "/") || path.IsAbs(src) || (len(src) > 1 && src[1] == ':') {
		return errors.New("image path must be relative to the site root, not absolute")
	}
	if strings.Contains(src, `\`) {
		return errors.New("image path must use forward slashes")
	}
	if !fs.ValidPath(src) {
		return errors.New("image path leaves the site root or is not clean (no \"..\", \".\" or empty parts)")
	}
	return nil
}

// statSource checks src and returns its file information, refusing files
// larger than maxBytes.
func statSource(root *os.Root, src string, maxBytes int64) (fs.FileInfo, error) {
	if err := checkPath(src); err != nil {
		return nil, err
	}
	f, st, err := confine.Open(root, src)
	if err != nil {
		return nil, describeOpenError(err)
	}
	f.Close()
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if st.Size() > maxBytes {
		return nil, fmt.Errorf("file is %s, over the %s limit", humanBytes(st.Size()), humanBytes(maxBytes))
	}
	return st, nil
}

// readSource reads src from root, refusing files larger than maxBytes
// before reading them.
func readSource(root *os.Root, src string, maxBytes int64) ([]byte, error) {
	if err := checkPath(src); err != nil {
		return nil, err
	}
	f, st, err := confine.Open(root, src)
	if err != nil {
		return nil, describeOpenError(err)
	}
	defer f.Close()
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if st.Size() > maxBytes {
		return nil, fmt.Errorf("file is %s, over the %s limit", humanBytes(st.Size()), humanBytes(maxBytes))
	}
	data := make([]byte, 0, st.Size()+1)
	data, err = readAll(io.LimitReader(f, maxBytes+1), data)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > maxBytes {
		return nil, fmt.Errorf("file is over the %s limit", humanBytes(maxBytes))
	}
	return data, nil
}

// readAll is io.ReadAll into a buffer sized from the file's length.
func readAll(r io.Reader, b []byte) ([]byte, error) {
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// describeOpenError turns os.Root's errors into messages for an editor.
func describeOpenError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("file not found")
	case errors.Is(err, confine.ErrOutside):
		return errors.New("the image path goes through a symbolic link: Postcard reads images only from plain files in the story's folder")
	case strings.Contains(err.Error(), "escapes from parent"), strings.Contains(err.Error(), "path escapes"):
		return errors.New("image path leaves the site root (through \"..\" or a symbolic link)")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// header is what is known of a source before its pixels are decoded.
type header struct {
	format format
	// width and height as stored, before orientation.
	width, height int
	// orientation is the EXIF orientation to apply, 1 to 8.
	orientation int
	// progressive is true for a progressive JPEG, which Go's decoder holds
	// as DCT coefficients (4 bytes a sample) until its last scan.
	progressive bool
}

// cost is the source's weight in the budget of decoded pixels in flight:
// its pixels, four times over for a progressive JPEG, whose decoder holds
// every DCT coefficient as 4 bytes per sample until the last scan (about
// four times the memory of the final planes).
func (h header) cost() int64 {
	px := int64(h.width) * int64(h.height)
	if h.progressive {
		return 4 * px
	}
	return px
}

// decodeHeader reads a source's format, dimensions and orientation without
// decoding its pixels, and refuses images over maxPixels.
func decodeHeader(data []byte, maxPixels int64) (h header, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("corrupt image: decoder failed (%v)", r)
		}
	}()
	h.format, err = sniff(data)
	if err != nil {
		return h, err
	}
	var cfg image.Config
	r := bytes.NewReader(data)
	switch h.format {
	case formatJPEG:
		cfg, err = jpeg.DecodeConfig(r)
	case formatPNG:
		cfg, err = png.DecodeConfig(r)
	case formatGIF:
		cfg, err = gif.DecodeConfig(r)
	case formatWebP:
		cfg, err = webp.DecodeConfig(r)
	case formatHEIC:
		cfg.Width, cfg.Height, err = heifSize(data)
	}
	if err != nil {
		return h, fmt.Errorf("corrupt or unreadable %s: %v", strings.ToUpper(string(h.format)), trimDecoderPrefix(err))
	}
	h.width, h.height = cfg.Width, cfg.Height
	if h.width <= 0 || h.height <= 0 {
		return h, fmt.Errorf("corrupt %s: image is %dx%d", strings.ToUpper(string(h.format)), h.width, h.height)
	}
	if err := checkPixels(h.width, h.height, maxPixels); err != nil {
		return h, err
	}
	h.orientation = orientation(data, h.format)
	h.progressive = h.format == formatJPEG && jpegProgressive(data)
	return h, nil
}

// ErrPixelBudget is in the chain of the error of an image over the pixel
// limit, which is refused before it is decoded.
var ErrPixelBudget = errors.New("over the pixel limit")

// checkPixels refuses an image of more than maxPixels pixels.
func checkPixels(w, h int, maxPixels int64) error {
	if px := int64(w) * int64(h); px > maxPixels {
		return pixelError{fmt.Sprintf("image is %dx%d (%.1f megapixels), over the %s megapixel limit",
			w, h, float64(px)/1e6, trimFloat(float64(maxPixels)/1e6))}
	}
	return nil
}

type pixelError struct{ msg string }

func (e pixelError) Error() string        { return e.msg }
func (e pixelError) Is(target error) bool { return target == ErrPixelBudget }

func trimFloat(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	return strings.TrimSuffix(s, ".0")
}

// trimDecoderPrefix drops the "jpeg: " style prefix the standard decoders
// put on their errors; the message already names the format.
func trimDecoderPrefix(err error) string {
	s := err.Error()
	for _, p := range []string{"jpeg: ", "png: ", "gif: ", "webp: ", "heic: "} {
		s = strings.TrimPrefix(s, p)
	}
	if s == "unexpected EOF" || s == "EOF" {
		s = "the file is truncated"
	}
	return s
}

// decodePixels decodes the first (or only) frame of data, which
// decodeHeader accepted.
func decodePixels(data []byte, f format) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("corrupt image: decoder failed (%v)", r)
		}
	}()
	r := bytes.NewReader(data)
	switch f {
	case formatJPEG:
		img, err = jpeg.Decode(r)
	case formatPNG:
		img, err = png.Decode(r)
	case formatGIF:
		img, err = gif.Decode(r)
	case formatWebP:
		img, err = webp.Decode(r)
		if err == nil {
			img = webpToNRGBA(img)
		}
	case formatHEIC:
		img, err = heic.Decode(r)
	default:
		err = errUnsupported
	}
	if err != nil {
		return nil, fmt.Errorf("corrupt or unreadable %s: %v", strings.ToUpper(string(f)), trimDecoderPrefix(err))
	}
	return img, nil
}
