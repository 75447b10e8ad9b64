package vote

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestAttachManifest(t *testing.T) {
	program := []byte("\x7fELF program bytes")
	m1, m2 := []byte(`{"version": 2}`), []byte(`{"version": 2, "site": "x"}`)
	once := AttachManifest(program, m1)
	twice := AttachManifest(once, m2) // a bootstrap copied again carries one manifest
	if !bytes.HasPrefix(twice, program) || len(twice) != len(program)+len(m2)+trailerLen {
		t.Fatalf("attaching twice kept the first manifest: %q", twice)
	}
	if got := DetachManifest(twice); !bytes.Equal(got, program) {
		t.Fatalf("detached %q", got)
	}
	if got := DetachManifest(program); !bytes.Equal(got, program) {
		t.Fatalf("a bare program changed: %q", got)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "bootstrap")
	os.WriteFile(p, twice, 0o755)
	if got, err := AttachedManifest(p); err != nil || !bytes.Equal(got, m2) {
		t.Fatalf("AttachedManifest: %q %v", got, err)
	}
	os.WriteFile(p, program, 0o755)
	if _, err := AttachedManifest(p); !errors.Is(err, ErrNoAttachedManifest) {
		t.Fatalf("bare program: %v", err)
	}
}
