package build

// Writing is the last two stages of `postcard build`: the static site into
// its destination, then the contest manifest and the voting function into
// the site's functions-dist/. The function's folder is named by the site,
// never by the destination, so that `postcard votes serve` and `votes
// export`, which know only --source, find the manifest wherever
// --destination put the pages.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/generator/config"
	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/function"
	"github.com/postcard-ssg/postcard/generator/output"
)

// DefaultDestination is where Write puts the static site when
// WriteOptions.Destination is empty, relative to the site's folder.
const DefaultDestination = "public"

// WriteOptions choose where and how Write puts a build on disk.
type WriteOptions struct {
	// Destination is the static site's folder, relative to Options.Source
	// unless absolute; "" is DefaultDestination. It is refused when it is,
	// holds or lies in the site's sources, holds a Git repository, or lies
	// in functions-dist/ (see output.WriteOptions).
	Destination string
	// Clean takes over a non-empty destination Postcard did not write,
	// deleting everything in it.
	Clean bool
	// NoFunction writes the contest manifest but does not compile the
	// voting function.
	NoFunction bool
	// Stderr receives the go command's own output while compiling.
	Stderr io.Writer
}

// Written is a build Write put on disk. Its Result.Files is nil: the files
// went to disk as they were made.
type Written struct {
	*Result
	// Destination is the static site's folder, absolute.
	Destination string
	// Names lists the files of the static site, in order.
	Names []string
	// Output counts the files written, linked, skipped and removed.
	Output output.WriteStats
	// FullRender says why every page was rendered, when the build could
	// not render only what changed since the last one (incremental.go).
	FullRender string
	// FunctionDir is the site's functions-dist/ folder, absolute: it holds
	// the manifest (vote.ManifestPath) and the compiled function.
	FunctionDir string
	// Function lists what was written; nil when NoFunction. When a target
	// could not be made on this machine it lists the others
	// (FunctionUnavailable says why).
	Function *function.Result
	// FunctionUnavailable, when not nil, says why this machine cannot
	// make the function for some target (no Go toolchain, no Postcard
	// source or release to build the other architecture from; it wraps
	// function.ErrUnavailable). The site and the manifest are written all
	// the same: it is a warning, not a failed build.
	FunctionUnavailable error
}

// Write builds the site in o.Source (as Run does) and writes it: the static
// site to w.Destination, the contest manifest and the voting function to
// the site's functions-dist/. Result.Duration counts all of it.
//
// Files are written while the build runs (see output.Writer). When the
// site's content has mistakes nothing is written and Written is nil; when
// a later stage fails (an image that cannot be read, a template error) the
// files already written stay, recorded as Postcard's, until the next
// build. When writing fails, Written is returned with the error, for the
// build's warnings.
func Write(ctx context.Context, o Options, w WriteOptions) (*Written, error) {
	start := time.Now()
	src, err := filepath.Abs(o.Source)
	if err != nil {
		return nil, err
	}
	o.Source = src
	dest := w.Destination
	if dest == "" {
		dest = DefaultDestination
	}
	if !filepath.IsAbs(dest) {
		dest = filepath.Join(src, dest)
	}
	fnDir := filepath.Join(src, vote.DistDir)
	if within(dest, fnDir) {
		return nil, fmt.Errorf("refusing to write the site into %s: it is inside the site's %s/ folder, where the voting function is written", dest, vote.DistDir)
	}

	exe, _ := os.Executable()
	if o.incr, err = startIncremental(o, dest, exe); err != nil {
		return nil, err
	}
	var ow *output.Writer
	res, err := run(ctx, o, func() (sink, error) {
		var err error
		if ow, err = output.NewWriter(dest, output.WriteOptions{Source: src, Clean: w.Clean}); err != nil {
			return nil, fmt.Errorf("writing %s: %w", dest, err)
		}
		return ow, nil
	})
	if err != nil {
		if ow != nil {
			err = errors.Join(err, ow.Abort())
		}
		return nil, err
	}
	if res.Site.Config.BaseURLIsPlaceholder() {
		res.Warnings = append(res.Warnings, diag.Warningf(diag.Pos{File: config.FileName},
			"base_url is %s: canonical links, feeds, social cards and the voting function's origin will be wrong until site.toml's base_url (or --base-url) names the address the site is published at",
			placeholderName(res.Site.Config.BaseURL.String())))
	}
	out := &Written{Result: res, Destination: dest, FunctionDir: fnDir}
	err = ow.Close()
	out.Names, out.Output = ow.Names(), ow.Stats()
	if err != nil {
		return out, fmt.Errorf("writing %s: %w", dest, err)
	}
	if o.incr != nil {
		if err := o.incr.finish(res.render.Shown, out.Names); err != nil {
			return out, err
		}
		out.FullRender = o.incr.full
	}
	publish := dest
	if r, err := filepath.Rel(src, dest); err == nil {
		publish = r
	}
	fnCache := ""
	if !o.NoCache {
		fnCache = filepath.Join(src, CacheDir, "function")
	}
	fn, err := function.Compile(ctx, function.Options{
		Manifest: res.Manifest,
		Dest:     fnDir,
		Dir:      src,
		Skip:     w.NoFunction,
		Publish:  filepath.ToSlash(publish),
		CacheDir: fnCache,
		Stderr:   w.Stderr,
	})
	switch {
	case errors.Is(err, function.ErrUnavailable):
		out.FunctionUnavailable = err
		out.Function = fn // what could be made, if anything
	case err != nil:
		return out, err
	default:
		out.Function = fn
	}
	if fn != nil {
		for _, t := range fn.Compiled {
			res.Compiled = append(res.Compiled, "function "+t.String())
		}
	}
	res.Duration = time.Since(start)
	return out, nil
}

func placeholderName(u string) string {
	if u == config.PlaceholderBaseURL {
		return "still the placeholder " + u
	}
	return "not set"
}

// within reports whether p is dir or inside it, by their names.
func within(p, dir string) bool {
	r, err := filepath.Rel(dir, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}
