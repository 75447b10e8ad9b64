package function_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/generator/function"
)

// TestWarmBuildCompilesNothing: with a cache, a second build with the same
// program and manifest runs no compiler and rewrites no function; a new
// manifest is attached again without compiling; a rebuilt postcard is
// copied again.
func TestWarmBuildCompilesNothing(t *testing.T) {
	dir := t.TempDir()
	self := filepath.Join(dir, "postcard")
	os.WriteFile(self, []byte("\x7fELF postcard"), 0o755)
	log := filepath.Join(dir, "go.log")
	fakeGo := filepath.Join(dir, "go")
	script := `#!/bin/sh
echo "$1" >> ` + log + `
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
	opts := function.Options{
		Manifest: testManifest(t), Dest: dest, Go: fakeGo, Dir: dir,
		CacheDir: filepath.Join(dir, ".postcard-cache", "function"),
		Self:     &function.Program{Path: self, Version: "v0.9.0", Target: function.Target{OS: "linux", Arch: "amd64"}},
	}
	compile := func() *function.Result {
		t.Helper()
		os.Remove(log)
		res, err := function.Compile(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	installs := func() int {
		b, _ := os.ReadFile(log)
		return strings.Count(string(b), "install\n")
	}
	arm := filepath.Join(dest, "lambda", "linux-arm64", "bootstrap")
	amd := filepath.Join(dest, "lambda", "linux-amd64", "bootstrap")
	stamp := func(p string) int64 {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return st.ModTime().UnixNano()
	}

	res := compile()
	if installs() != 1 || len(res.Compiled) != 1 {
		t.Fatalf("cold: %d go install, compiled %v", installs(), res.Compiled)
	}
	armTime, amdTime := stamp(arm), stamp(amd)

	res = compile()
	if installs() != 0 || len(res.Compiled) != 0 || len(res.Binaries) != 2 {
		t.Fatalf("warm: %d go install, compiled %v, binaries %v", installs(), res.Compiled, res.Binaries)
	}
	if stamp(arm) != armTime || stamp(amd) != amdTime {
		t.Error("warm: a function was written again")
	}

	// A new contest: the manifest changes, the programs do not.
	m, err := vote.NewManifest("https://stories.example.org", nil)
	if err != nil {
		t.Fatal(err)
	}
	opts.Manifest = m
	res = compile()
	if installs() != 0 || len(res.Compiled) != 0 {
		t.Fatalf("new manifest: %d go install, compiled %v", installs(), res.Compiled)
	}
	for _, p := range []string{arm, amd} {
		got, err := vote.AttachedManifest(p)
		if err != nil || bytes.Contains(got, []byte("compiled-in-contest-7d3f")) {
			t.Errorf("%s still carries the old manifest (%v)", p, err)
		}
	}

	// A half-written function (a crash) is written again.
	if err := os.WriteFile(amd, []byte("\x7fELF po"), 0o755); err != nil {
		t.Fatal(err)
	}
	compile()
	if b, _ := os.ReadFile(amd); !bytes.HasPrefix(b, []byte("\x7fELF postcard")) || len(b) < 20 {
		t.Errorf("the damaged function was not rewritten: %q", b)
	}

	// A new postcard is copied again.
	os.WriteFile(self, []byte("\x7fELF postcard, rebuilt"), 0o755)
	compile()
	if b, _ := os.ReadFile(amd); !bytes.HasPrefix(b, []byte("\x7fELF postcard, rebuilt")) {
		t.Error("the rebuilt postcard was not copied")
	}
}
