package vote

// A deployed function finds its contest manifest attached to its own
// executable: `postcard build` appends the manifest to each bootstrap binary
// it writes, followed by the manifest's length and a fixed mark. An
// executable ignores bytes after its last section, so the binary runs as
// before and stays one self-contained file to deploy; the function reads the
// tail of its own file at start. This lets the one `postcard` binary be the
// function of any site without compiling the manifest in.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// attachMark ends an executable that carries a manifest.
const attachMark = "\x00postcard-manifest-v1\x00"

// trailerLen is the length and the mark after the manifest.
const trailerLen = 8 + len(attachMark)

// maxAttached bounds what AttachedManifest reads from a file's tail.
const maxAttached = 64 << 20

// AttachManifest returns program, without any manifest it carried, followed
// by manifest.
func AttachManifest(program, manifest []byte) []byte {
	program = DetachManifest(program)
	out := make([]byte, 0, len(program)+len(manifest)+trailerLen)
	out = append(out, program...)
	out = append(out, manifest...)
	out = binary.BigEndian.AppendUint64(out, uint64(len(manifest)))
	return append(out, attachMark...)
}

// DetachManifest returns program without the manifest attached to it, if any.
func DetachManifest(program []byte) []byte {
	n, ok := attachedLen(program[max(0, len(program)-trailerLen):], int64(len(program)))
	if !ok {
		return program
	}
	return program[:int64(len(program))-int64(trailerLen)-n]
}

// attachedLen reads a trailer; size is the whole file's.
func attachedLen(tail []byte, size int64) (int64, bool) {
	if len(tail) != trailerLen || !bytes.HasSuffix(tail, []byte(attachMark)) {
		return 0, false
	}
	n := binary.BigEndian.Uint64(tail)
	if n > maxAttached || int64(n) > size-int64(trailerLen) {
		return 0, false
	}
	return int64(n), true
}

// ErrNoAttachedManifest is AttachedManifest's error for a file that carries
// no manifest.
var ErrNoAttachedManifest = errors.New("no contest manifest attached")

// AttachedManifest reads the manifest attached to the executable at path.
func AttachedManifest(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := fi.Size()
	if size < int64(trailerLen) {
		return nil, ErrNoAttachedManifest
	}
	tail := make([]byte, trailerLen)
	if _, err := f.ReadAt(tail, size-int64(trailerLen)); err != nil {
		return nil, err
	}
	n, ok := attachedLen(tail, size)
	if !ok {
		return nil, ErrNoAttachedManifest
	}
	b := make([]byte, n)
	if _, err := f.ReadAt(b, size-int64(trailerLen)-n); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading the manifest attached to %s: %w", path, err)
	}
	return b, nil
}
