// Package function is the build stage that makes the voting function
// deployable beside the static site: it writes the contest manifest to the
// site's functions-dist/ (vote.DistDir), a "bootstrap" binary per target for
// AWS Lambda's provided.al2023 runtime with that manifest attached
// (vote.AttachManifest), and the Netlify configuration that routes /api/* to
// the same binary.
//
// The function must be buildable for any site, anywhere, without Postcard's
// source. So the `postcard` binary is itself the function (it runs as one
// when a Lambda runtime starts it): for its own platform the build copies
// its own executable. For the other architecture it compiles the function
// alone (functions/vote/lambda/bootstrap, a fraction of postcard's size)
// with the local Go toolchain: from Postcard's source when the site's
// folder has it (Postcard's repository, or a module that requires Postcard),
// else from Postcard's module at the running binary's own version, fetched
// through the module proxy. A target it cannot make is reported with
// ErrUnavailable, after the others are written.
package function

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/postcard-ssg/postcard/functions/vote"
)

// ModulePath is Postcard's module, whose source the function is built from.
const ModulePath = "github.com/postcard-ssg/postcard"

// bootstrapPackage is the function alone, compiled for a target the
// running binary cannot copy itself to.
const bootstrapPackage = ModulePath + "/functions/vote/lambda/bootstrap"

// postcardPackage is the command whose binary runs as the function.
const postcardPackage = ModulePath + "/cmd/postcard"

// Target is one GOOS/GOARCH pair.
type Target struct{ OS, Arch string }

func (t Target) String() string { return t.OS + "/" + t.Arch }

// DefaultTargets are the architectures AWS Lambda runs.
var DefaultTargets = []Target{{"linux", "amd64"}, {"linux", "arm64"}}

// Program is a `postcard` executable that can run as the function.
type Program struct {
	Path    string // the executable
	Version string // its module version: a release, a pseudo-version, or "" for a development build
	Target         // the platform it runs on
}

// Running returns the running program when it is the `postcard` command,
// else nil (a test binary, even cmd/postcard's, is no function).
func Running() *Program {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Path != postcardPackage || testing.Testing() {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	p := &Program{Path: exe, Target: Target{runtime.GOOS, runtime.GOARCH}}
	if v := bi.Main.Version; released(v) {
		p.Version = v
	}
	return p
}

// released reports whether v names a module version the module proxy can
// serve: not a development build, not a modified checkout.
func released(v string) bool {
	return strings.HasPrefix(v, "v") && !strings.Contains(v, "+")
}

// Options configure Compile.
type Options struct {
	// Manifest is the contest manifest the build produced.
	Manifest *vote.Manifest

	// Dest is the folder to write into: the site's functions-dist/
	// (vote.DistDir) in a build.
	Dest string

	// Skip writes the manifest and nothing else.
	Skip bool

	// Self is the postcard program to copy for its own platform; nil is
	// Running(). NoSelf copies nothing and compiles every target.
	Self   *Program
	NoSelf bool

	// Source is the root of Postcard's module. "" asks the go command for
	// it from Dir (which works in Postcard's repository and in a site whose
	// go.mod requires Postcard), and else builds Self's version through the
	// module proxy.
	Source string
	Dir    string

	Targets []Target // nil: DefaultTargets
	Go      string   // the go command; "" is "go" from PATH
	Env     []string // extra environment for the go command
	Stderr  io.Writer

	// CacheDir keeps compiled programs and remembers the functions
	// written, so a build where nothing changed compiles and writes
	// nothing (see cache.go); "" keeps nothing.
	CacheDir string

	// Publish is the static output folder named in netlify.toml; "" is
	// "public". NetlifyTOML is where to write it; "" is Dest/netlify.toml.
	Publish     string
	NetlifyTOML string
}

// ErrUnavailable wraps the errors of a machine that cannot make the
// function for some target (no Go toolchain, or no Postcard source or
// release to build from), as opposed to a compile that failed.
var ErrUnavailable = errors.New("the voting function cannot be built here")

// Result lists what Compile wrote.
type Result struct {
	Manifest  string
	Binaries  map[Target]string
	Netlify   string // the Netlify function binary
	NetlifyTo string // netlify.toml
	// Compiled lists the targets compiled by this call, not taken from
	// the cache.
	Compiled []Target
}

// Compile writes the manifest and, unless o.Skip, the function for every
// target it can make and the deploy configuration. When a target cannot be
// made on this machine, the others are written all the same and the error
// wraps ErrUnavailable.
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
	if err := writeIfChanged(res.Manifest, manifest, 0o644); err != nil {
		return nil, err
	}
	if o.Skip {
		return res, nil
	}
	self := o.Self
	if self == nil && !o.NoSelf {
		self = Running()
	}
	if o.NoSelf {
		self = nil
	}
	targets := o.Targets
	if targets == nil {
		targets = DefaultTargets
	}
	c := &compiler{o: o, self: self}
	tmp, err := os.MkdirTemp("", "postcard-function-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	c.tmp = tmp

	cache := funcCache{dir: o.CacheDir}
	manifestKey := hashParts(string(manifest))
	var unavailable []error
	for _, t := range targets {
		out := filepath.Join(o.Dest, "lambda", t.OS+"-"+t.Arch, "bootstrap")
		useSelf := self != nil && self.Target == t
		var progKey string
		if useSelf {
			var id string
			if id, err = fileID(self.Path); err == nil {
				progKey = hashParts("self", self.Version, t.String(), id)
			}
		} else {
			progKey, err = c.programKey(ctx, t)
		}
		if errors.Is(err, ErrUnavailable) {
			unavailable = append(unavailable, fmt.Errorf("%s: %w", t, err))
			continue
		}
		if err != nil {
			return nil, err
		}
		outKey := hashParts(progKey, manifestKey)
		if cache.fresh(t, outKey, out) {
			res.Binaries[t] = out
			continue
		}
		var program []byte
		switch cached, ok := cache.program(t, progKey); {
		case useSelf:
			program, err = os.ReadFile(self.Path)
		case ok:
			program = cached
		default:
			if program, err = c.compile(ctx, t); err == nil {
				res.Compiled = append(res.Compiled, t)
				err = cache.putProgram(t, progKey, program)
			}
		}
		if errors.Is(err, ErrUnavailable) {
			unavailable = append(unavailable, fmt.Errorf("%s: %w", t, err))
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := writeExecutable(out, vote.AttachManifest(program, manifest)); err != nil {
			return nil, err
		}
		if err := cache.remember(t, outKey, out); err != nil {
			return nil, err
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
		a, aerr := os.Stat(amd64)
		n, nerr := os.Stat(res.Netlify)
		if aerr != nil || nerr != nil || !os.SameFile(a, n) {
			os.Remove(res.Netlify)
			if err := os.Link(amd64, res.Netlify); err != nil {
				if err := copyFile(amd64, res.Netlify); err != nil {
					return nil, err
				}
			}
		}
	}
	res.NetlifyTo = o.NetlifyTOML
	if res.NetlifyTo == "" {
		res.NetlifyTo = filepath.Join(o.Dest, "netlify.toml")
	}
	if err := writeIfChanged(res.NetlifyTo, []byte(netlifyTOML(o.Publish, filepath.Base(o.Dest))), 0o644); err != nil {
		return nil, err
	}
	if len(unavailable) > 0 {
		return res, fmt.Errorf("%w: %w", ErrUnavailable, errors.Join(unavailable...))
	}
	return res, nil
}

// compiler builds the function alone with the Go toolchain, finding what
// to build from once.
type compiler struct {
	o    Options
	self *Program
	tmp  string

	found  bool
	goPath string
	src    string // Postcard's source, or "" to build self.Version
	srcID  string // sourceID(src), once known
	err    error
}

func (c *compiler) find(ctx context.Context) error {
	if c.found {
		return c.err
	}
	c.found = true
	goCmd := c.o.Go
	if goCmd == "" {
		goCmd = "go"
	}
	goPath, err := exec.LookPath(goCmd)
	if err != nil {
		c.err = fmt.Errorf("%w: building it for another architecture needs the Go toolchain, and %q was not found (%v); install Go (https://go.dev/dl/)", ErrUnavailable, goCmd, err)
		return c.err
	}
	c.goPath = goPath
	c.src = c.o.Source
	if c.src != "" {
		return nil
	}
	src, err := moduleDir(ctx, goPath, c.o.Dir, c.o.Env)
	if err == nil {
		c.src = src
		return nil
	}
	if c.self == nil || c.self.Version == "" {
		c.err = fmt.Errorf("%w: Postcard's source is not in the site's folder and this postcard is a development build, with no release to fetch (%v)", ErrUnavailable, err)
	}
	return c.err
}

// programKey names the program compile would make for t by what it is
// compiled from (see cache.go).
func (c *compiler) programKey(ctx context.Context, t Target) (string, error) {
	if err := c.find(ctx); err != nil {
		return "", err
	}
	// The go command's flags (see compile) are part of what is compiled.
	const recipe = "-trimpath -tags lambda.norpc -ldflags=-s -w CGO_ENABLED=0"
	if c.src == "" {
		return hashParts("release", recipe, c.self.Version, t.String()), nil
	}
	if c.srcID == "" {
		id, err := sourceID(c.src)
		if err != nil {
			return "", err
		}
		c.srcID = id
	}
	// So is the toolchain: the go command's own file, and which it runs.
	goID, err := fileID(c.goPath)
	if err != nil {
		return "", err
	}
	return hashParts("source", recipe, c.src, c.srcID, t.String(), goID, os.Getenv("GOTOOLCHAIN"), strings.Join(c.o.Env, "\x00")), nil
}

// compile builds the function for t and returns the binary.
func (c *compiler) compile(ctx context.Context, t Target) ([]byte, error) {
	if err := c.find(ctx); err != nil {
		return nil, err
	}
	env := append(append(os.Environ(), c.o.Env...), "GOOS="+t.OS, "GOARCH="+t.Arch, "CGO_ENABLED=0")
	flags := []string{"-trimpath", "-tags", "lambda.norpc", "-ldflags", "-s -w"}
	var cmd *exec.Cmd
	var out string
	if c.src != "" {
		out = filepath.Join(c.tmp, t.OS+"-"+t.Arch, "bootstrap")
		args := append(append([]string{"build", "-buildvcs=false"}, flags...), "-o", out, bootstrapPackage)
		cmd = exec.CommandContext(ctx, c.goPath, args...)
		cmd.Dir = c.src
	} else {
		// go install PATH@VERSION builds a module version outside any
		// module; a cross-compiled binary goes to GOPATH/bin/GOOS_GOARCH,
		// so GOPATH is a temporary folder and the module cache the usual one.
		cache, err := goEnv(ctx, c.goPath, "GOMODCACHE", c.o.Env)
		if err != nil {
			return nil, err
		}
		gopath := filepath.Join(c.tmp, "gopath-"+t.OS+"-"+t.Arch)
		args := append(append([]string{"install"}, flags...), bootstrapPackage+"@"+c.self.Version)
		cmd = exec.CommandContext(ctx, c.goPath, args...)
		cmd.Dir = c.tmp
		cmd.Env = append(env, "GOPATH="+gopath, "GOBIN=", "GOMODCACHE="+cache)
		out = filepath.Join(gopath, "bin", "bootstrap")
		if t.OS != runtime.GOOS || t.Arch != runtime.GOARCH {
			out = filepath.Join(gopath, "bin", t.OS+"_"+t.Arch, "bootstrap")
		}
	}
	if cmd.Env == nil {
		cmd.Env = env
	}
	var stderr bytes.Buffer
	cmd.Stdout = c.o.Stderr
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("voting function: %s for %s: %v\n%s", cmd.Args[1], t, err, strings.TrimSpace(stderr.String()))
	}
	return os.ReadFile(out)
}

// goEnv asks the go command for one of its settings.
func goEnv(ctx context.Context, goPath, name string, env []string) (string, error) {
	cmd := exec.CommandContext(ctx, goPath, "env", name)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func writeExecutable(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	os.Remove(path) // it may be a hard link to the Netlify copy
	return os.WriteFile(path, b, 0o755)
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
