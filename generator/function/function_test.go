package function_test

import (
	"bytes"
	"context"
	"errors"
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

// TestSelfWithoutToolchain: with no Go toolchain, the running postcard is
// copied for its own platform with the manifest attached, and the other
// architecture is reported, not failed.
func TestSelfWithoutToolchain(t *testing.T) {
	dir := t.TempDir()
	self := filepath.Join(dir, "postcard")
	os.WriteFile(self, []byte("\x7fELF postcard"), 0o755)
	dest := filepath.Join(dir, "functions-dist")
	res, err := function.Compile(context.Background(), function.Options{
		Manifest: testManifest(t), Dest: dest, Go: "/nonexistent/go",
		Self: &function.Program{Path: self, Version: "v0.9.0", Target: function.Target{OS: "linux", Arch: "amd64"}},
	})
	if !errors.Is(err, function.ErrUnavailable) || !strings.Contains(err.Error(), "linux/arm64") {
		t.Fatalf("got %v, want linux/arm64 unavailable", err)
	}
	if res == nil || len(res.Binaries) != 1 {
		t.Fatalf("binaries: %+v", res)
	}
	boot := filepath.Join(dest, "lambda", "linux-amd64", "bootstrap")
	m, err := vote.AttachedManifest(boot)
	if err != nil || !bytes.Contains(m, []byte("compiled-in-contest-7d3f")) {
		t.Fatalf("attached manifest: %q %v", m, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "netlify", "vote")); !bytes.HasPrefix(b, []byte("\x7fELF postcard")) {
		t.Fatal("the Netlify function is not the bootstrap")
	}
	if _, err := os.Stat(filepath.Join(dest, "netlify.toml")); err != nil {
		t.Fatal(err)
	}
}

// TestOtherArchitectureAtOwnVersion: outside Postcard's source, the other
// architecture is the function alone, installed at the running binary's
// own version.
func TestOtherArchitectureAtOwnVersion(t *testing.T) {
	dir := t.TempDir()
	self := filepath.Join(dir, "postcard")
	os.WriteFile(self, []byte("\x7fELF postcard"), 0o755)
	log := filepath.Join(dir, "go.log")
	fakeGo := filepath.Join(dir, "go")
	// list -m fails (no module here); env prints a cache; install writes
	// the cross-compiled binary where the go command would.
	script := `#!/bin/sh
echo "$@" "GOOS=$GOOS GOARCH=$GOARCH GOBIN=$GOBIN" >> ` + log + `
case "$1" in
list) echo "go: not in a module" >&2; exit 1;;
env) echo /cache;;
install) mkdir -p "$GOPATH/bin/${GOOS}_$GOARCH" && printf 'ELF arm64' > "$GOPATH/bin/${GOOS}_$GOARCH/bootstrap";;
esac
`
	if err := os.WriteFile(fakeGo, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(dir, "functions-dist")
	res, err := function.Compile(context.Background(), function.Options{
		Manifest: testManifest(t), Dest: dest, Go: fakeGo, Dir: dir,
		Self: &function.Program{Path: self, Version: "v0.9.0", Target: function.Target{OS: "linux", Arch: "amd64"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Binaries) != 2 {
		t.Fatalf("binaries: %v", res.Binaries)
	}
	calls, _ := os.ReadFile(log)
	if !strings.Contains(string(calls), "install -trimpath -tags lambda.norpc -ldflags -s -w github.com/postcard-ssg/postcard/functions/vote/lambda/bootstrap@v0.9.0 GOOS=linux GOARCH=arm64 GOBIN=\n") {
		t.Fatalf("go was run as:\n%s", calls)
	}
	if m, err := vote.AttachedManifest(filepath.Join(dest, "lambda", "linux-arm64", "bootstrap")); err != nil || len(m) == 0 {
		t.Fatalf("arm64 manifest: %v", err)
	}
}

// TestDevelopmentBuildOutsideTheSource: a development build has no version
// to fetch, so outside Postcard's source only its own platform is made.
func TestDevelopmentBuildOutsideTheSource(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	dir := t.TempDir()
	self := filepath.Join(dir, "postcard")
	os.WriteFile(self, []byte("\x7fELF postcard"), 0o755)
	_, err := function.Compile(context.Background(), function.Options{
		Manifest: testManifest(t), Dest: filepath.Join(dir, "functions-dist"), Dir: dir,
		Self: &function.Program{Path: self, Target: function.Target{OS: "linux", Arch: "arm64"}},
	})
	if !errors.Is(err, function.ErrUnavailable) || !strings.Contains(err.Error(), "development build") || !strings.Contains(err.Error(), "linux/amd64") {
		t.Fatalf("got %v", err)
	}
}
