// Package function is the build stage that compiles the voting function
// for the static site: it writes the contest manifest to the site's
// functions-dist/ (vote.DistDir),
// cross-compiles functions/vote/lambda with that manifest compiled in, as a
// "bootstrap" binary per target for AWS Lambda's provided.al2023 runtime, and
// writes the Netlify configuration that routes /api/* to it.
//
// The manifest is compiled in with `go build -overlay`: the overlay maps the
// lambda package's empty manifest.json to a temporary copy of the site's, so
// the build never writes into Postcard's source tree and two builds can run
// at once.
package function

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/postcard-ssg/postcard/functions/vote"
)

// ModulePath is Postcard's module, whose source the function is built from.
const ModulePath = "github.com/postcard-ssg/postcard"

// lambdaPackage is the entry point compiled for serverless hosts.
const lambdaPackage = ModulePath + "/functions/vote/lambda"

// Target is one GOOS/GOARCH pair.
type Target struct{ OS, Arch string }

// DefaultTargets are the architectures AWS Lambda runs.
var DefaultTargets = []Target{{"linux", "amd64"}, {"linux", "arm64"}}

// Options configure Compile.
type Options struct {
	// Manifest is the contest manifest the build produced.
	Manifest *vote.Manifest

	// Dest is the folder to write into: the site's functions-dist/
	// (vote.DistDir) in a build.
	Dest string

	// Skip writes the manifest and nothing else: no toolchain is needed.
	Skip bool

	// Source is the root of Postcard's module. "" asks the go command for
	// it from Dir (which works in Postcard's repository and in a site whose
	// go.mod requires Postcard).
	Source string
	Dir    string

	Targets []Target // nil: DefaultTargets
	Go      string   // the go command; "" is "go" from PATH
	Env     []string // extra environment for the go command
	Stderr  io.Writer

	// Publish is the static output folder named in netlify.toml; "" is
	// "public". NetlifyTOML is where to write it; "" is Dest/netlify.toml.
	Publish     string
	NetlifyTOML string
}

// ErrUnavailable wraps the errors of a machine that cannot compile the
// function at all (no Go toolchain, or no Postcard source to build from), as
// opposed to a compile that failed.
var ErrUnavailable = errors.New("the voting function cannot be compiled here")

// Result lists what Compile wrote.
type Result struct {
	Manifest  string
	Binaries  map[Target]string
	Netlify   string // the Netlify function binary
	NetlifyTo string // netlify.toml
}

// Compile writes the manifest and, unless o.Skip, builds the function for
// every target and writes the deploy configuration.
func Compile(ctx context.Context, o Options) (*Result, error) {
	if o.Manifest == nil {
		return nil, errors.New("voting function: no contest manifest")
	}
	manifest, err := o.Manifest.Encode()
	if err != nil {
		return nil, fmt.Errorf("voting function: %w", err)
	}
	if o.Dest == "" {
		return nil, errors.New("voting function: no destination folder")
	}
	if err := os.MkdirAll(o.Dest, 0o755); err != nil {
		return nil, err
	}
	res := &Result{Manifest: filepath.Join(o.Dest, "manifest.json"), Binaries: map[Target]string{}}
	if err := os.WriteFile(res.Manifest, manifest, 0o644); err != nil {
		return nil, err
	}
	if o.Skip {
		return res, nil
	}

	goCmd := o.Go
	if goCmd == "" {
		goCmd = "go"
	}
	goPath, err := exec.LookPath(goCmd)
	if err != nil {
		return nil, fmt.Errorf("%w: compiling it needs the Go toolchain, and %q was not found (%v); install Go (https://go.dev/dl/) or skip the function", ErrUnavailable, goCmd, err)
	}
	src := o.Source
	if src == "" {
		if src, err = moduleDir(ctx, goPath, o.Dir, o.Env); err != nil {
			return nil, err
		}
	}
	tmp, err := os.MkdirTemp("", "postcard-function-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	embedded := filepath.Join(tmp, "manifest.json")
	if err := os.WriteFile(embedded, manifest, 0o644); err != nil {
		return nil, err
	}
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": {
		filepath.Join(src, "functions", "vote", "lambda", "manifest.json"): embedded,
	}})
	if err != nil {
		return nil, err
	}
	overlayPath := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlayPath, overlay, 0o644); err != nil {
		return nil, err
	}

	targets := o.Targets
	if targets == nil {
		targets = DefaultTargets
	}
	for _, t := range targets {
		out := filepath.Join(o.Dest, "lambda", t.OS+"-"+t.Arch, "bootstrap")
		cmd := exec.CommandContext(ctx, goPath, "build",
			"-trimpath", "-buildvcs=false", "-tags", "lambda.norpc", "-ldflags", "-s -w",
			"-overlay", overlayPath, "-o", out, lambdaPackage)
		cmd.Dir = src
		cmd.Env = append(append(os.Environ(), o.Env...), "GOOS="+t.OS, "GOARCH="+t.Arch, "CGO_ENABLED=0")
		var stderr bytes.Buffer
		cmd.Stdout = o.Stderr
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("voting function: go build for %s/%s: %v\n%s", t.OS, t.Arch, err, strings.TrimSpace(stderr.String()))
		}
		res.Binaries[t] = out
	}

	// Netlify runs Go functions on linux/amd64 from a binary named for the
	// function in its functions folder.
	if amd64, ok := res.Binaries[Target{"linux", "amd64"}]; ok {
		res.Netlify = filepath.Join(o.Dest, "netlify", "vote")
		if err := os.MkdirAll(filepath.Dir(res.Netlify), 0o755); err != nil {
			return nil, err
		}
		os.Remove(res.Netlify)
		if err := os.Link(amd64, res.Netlify); err != nil {
			if err := copyFile(amd64, res.Netlify); err != nil {
				return nil, err
			}
		}
	}
	res.NetlifyTo = o.NetlifyTOML
	if res.NetlifyTo == "" {
		res.NetlifyTo = filepath.Join(o.Dest, "netlify.toml")
	}
	if err := os.WriteFile(res.NetlifyTo, []byte(netlifyTOML(o.Publish, filepath.Base(o.Dest))), 0o644); err != nil {
		return nil, err
	}
	return res, nil
}

func netlifyTOML(publish, dest string) string {
	if publish == "" {
		publish = "public"
	}
	return fmt.Sprintf(`# Written by postcard build. Netlify reads netlify.toml from the site's base
# folder: put this file there (or merge it into yours). Set POSTCARD_VOTE_SECRET
# and POSTCARD_VOTE_DB (a postgres:// URL) in the site's environment.
[build]
  publish = %q

[functions]
  directory = %q

# The voting function answers /api/votes.
[[redirects]]
  from = "/api/*"
  to = "/.netlify/functions/vote/:splat"
  status = 200
  force = true
`, publish, dest+"/netlify")
}

// moduleDir asks the go command where Postcard's module is.
func moduleDir(ctx context.Context, goPath, dir string, env []string) (string, error) {
	cmd := exec.CommandContext(ctx, goPath, "list", "-m", "-f", "{{.Dir}}", ModulePath)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	d := strings.TrimSpace(string(out))
	if err != nil || d == "" {
		var ee *exec.ExitError
		msg := ""
		if errors.As(err, &ee) {
			msg = strings.TrimSpace(string(ee.Stderr))
		}
		return "", fmt.Errorf("%w: cannot find Postcard's source to compile it from (go list -m %s: %v %s); build from Postcard's repository or a module that requires it", ErrUnavailable, ModulePath, err, msg)
	}
	return d, nil
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o755)
}
