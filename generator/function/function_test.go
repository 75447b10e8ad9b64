package function_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/generator/function"
)

// testManifest is a manifest as the build hands it over.
func testManifest(t *testing.T) *vote.Manifest {
	t.Helper()
	opens := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	m, err := vote.NewManifest("https://stories.example.org", []vote.Contest{{
		Slug: "compiled-in-contest-7d3f", Title: "T",
		VotingOpens: opens, VotingCloses: opens.AddDate(0, 1, 0),
		VotesPerVoter: 1, ShowCounts: true,
	}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSkip(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "functions-dist")
	res, err := function.Compile(context.Background(), function.Options{
		Manifest: testManifest(t), Dest: dest, Skip: true, Go: "/nonexistent/go",
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(res.Manifest)
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if m, err := vote.ParseManifest(b); err != nil || m.Contest("compiled-in-contest-7d3f") == nil {
		t.Fatalf("the written manifest does not read back: %v\n%s", err, b)
	}
	if _, err := os.Stat(filepath.Join(dest, "lambda")); !os.IsNotExist(err) {
		t.Fatal("skipped, yet something was built")
	}
}

func TestNoToolchain(t *testing.T) {
	_, err := function.Compile(context.Background(), function.Options{
		Manifest: testManifest(t), Dest: t.TempDir(), Go: "/nonexistent/go",
	})
	if err == nil || !strings.Contains(err.Error(), "needs the Go toolchain") {
		t.Fatalf("got %v", err)
	}
}

func TestNoManifest(t *testing.T) {
	_, err := function.Compile(context.Background(), function.Options{Dest: t.TempDir(), Skip: true})
	if err == nil || !strings.Contains(err.Error(), "no contest manifest") {
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
		Manifest: testManifest(t),
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
