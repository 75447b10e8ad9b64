package function_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postcard-ssg/postcard/generator/function"
)

const manifest = `{"version": 1, "site": "https://stories.example.org", "contests": [{
	"slug": "compiled-in-contest-7d3f", "title": "T", "categories": [],
	"voting_opens": "2026-11-01T00:00:00Z", "voting_closes": "2026-12-01T00:00:00Z",
	"votes_per_voter": 1, "show_counts": true, "entries": []}]}`

func TestSkip(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "functions-dist")
	res, err := function.Compile(context.Background(), function.Options{
		Manifest: []byte(manifest), Dest: dest, Skip: true, Go: "/nonexistent/go",
	})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(res.Manifest); err != nil || string(b) != manifest {
		t.Fatalf("manifest: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dest, "lambda")); !os.IsNotExist(err) {
		t.Fatal("skipped, yet something was built")
	}
}

func TestNoToolchain(t *testing.T) {
	_, err := function.Compile(context.Background(), function.Options{
		Manifest: []byte(manifest), Dest: t.TempDir(), Go: "/nonexistent/go",
	})
	if err == nil || !strings.Contains(err.Error(), "needs the Go toolchain") {
		t.Fatalf("got %v", err)
	}
}

func TestBadManifest(t *testing.T) {
	_, err := function.Compile(context.Background(), function.Options{
		Manifest: []byte(`{"version": 1, "site": "https://x.example", "contests": [], "x": 1}`), Dest: t.TempDir(), Skip: true,
	})
	if err == nil || !strings.Contains(err.Error(), "unknown field") {
		t.Fatalf("got %v", err)
	}
}

// TestCompile runs the real toolchain for one architecture (the default
// builds two) and checks the manifest is compiled in.
func TestCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	dest := filepath.Join(t.TempDir(), "functions-dist")
	res, err := function.Compile(context.Background(), function.Options{
		Manifest: []byte(manifest),
		Dest:     dest,
		Dir:      ".",
		Targets:  []function.Target{{OS: "linux", Arch: "arm64"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(filepath.Join(dest, "lambda", "linux-arm64", "bootstrap"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(bin, []byte("compiled-in-contest-7d3f")) {
		t.Fatal("the manifest is not in the binary")
	}
	if !bytes.HasPrefix(bin, []byte("\x7fELF")) {
		t.Fatal("not an ELF binary")
	}
	toml, err := os.ReadFile(res.NetlifyTo)
	if err != nil || !strings.Contains(string(toml), `from = "/api/*"`) {
		t.Fatalf("netlify.toml: %s %v", toml, err)
	}
	// The source tree was not written to.
	src, _ := os.ReadFile("../../functions/vote/lambda/manifest.json")
	if len(src) != 0 {
		t.Fatal("the lambda package's manifest.json was modified")
	}
}
