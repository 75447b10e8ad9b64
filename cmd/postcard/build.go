package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/generator/build"
	"github.com/postcard-ssg/postcard/generator/diag"
)

// buildFlags are the flags build and check share.
type buildFlags struct {
	source, destination, baseURL string
	drafts, quiet, verbose       bool
	noCache                      bool
	noFunction                   bool
	cleanDestination             bool
	results                      string
	profile                      profileFlags
}

func (f *buildFlags) register(fs *flag.FlagSet, withOutput bool) {
	fs.StringVar(&f.source, "source", ".", "the site's `folder`")
	if withOutput {
		fs.StringVar(&f.destination, "destination", build.DefaultDestination, "where to write the site"+pathFlagHelp+"; the voting function always goes to --source's "+vote.DistDir+"/")
		fs.BoolVar(&f.quiet, "quiet", false, "print nothing but errors")
		fs.BoolVar(&f.verbose, "verbose", false, "print every file written")
		fs.BoolVar(&f.noFunction, "no-function", false, "write the contest manifest but do not compile the voting function")
		f.profile.register(fs)
		fs.BoolVar(&f.cleanDestination, "clean-destination", false, "take over a non-empty destination Postcard did not write, deleting everything in it (never a folder holding the site's sources or a Git repository)")
	}
	fs.StringVar(&f.baseURL, "base-url", "", "the site's absolute `URL`, replacing site.toml's base_url")
	fs.BoolVar(&f.drafts, "drafts", false, "also render submitted stories, marked as drafts (for local preview only)")
	fs.BoolVar(&f.noCache, "no-cache", false, "do not use or fill the build cache (images, assets, the voting function)")
	fs.StringVar(&f.results, "results", "", "a CSV `file` of final vote counts (from postcard votes export) to bake into closed contests"+pathFlagHelp)
}

// options are the build options the flags ask for.
func (f *buildFlags) options(a *app, src string) build.Options {
	return build.Options{
		Source:  src,
		BaseURL: f.baseURL,
		Drafts:  f.drafts,
		Now:     a.now(),
		Version: version(),
		NoCache: f.noCache,
		Results: sourcePath(src, f.results),
	}
}

func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: postcard %s\n\nFlags:\n", usage)
		visible := flag.NewFlagSet(name, flag.ContinueOnError)
		visible.SetOutput(fs.Output())
		fs.VisitAll(func(f *flag.Flag) {
			if !hiddenFlag(f.Name) {
				visible.Var(f.Value, f.Name, f.Usage)
			}
		})
		visible.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; ok false means the caller returns code.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (code int, ok bool) {
	stderr := fs.Output()
	if wantsHelp(args) {
		fs.SetOutput(stdout) // asked-for help goes to standard output, once
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	fs.SetOutput(stderr)
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "postcard %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage, false
	}
	return 0, true
}

// wantsHelp reports whether args ask for a command's help.
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--h", "--help":
			return true
		}
	}
	return false
}

// parseBuildFlags parses the flags of build or check and resolves the
// site's folder; ok false means the command returns code.
func parseBuildFlags(a *app, cmd, usage string, args []string) (f *buildFlags, src string, code int, ok bool) {
	f = &buildFlags{}
	fs := newFlagSet(cmd, usage, a.stderr)
	f.register(fs, cmd == "build")
	if code, ok := parseFlags(fs, args, a.stdout); !ok {
		return nil, "", code, false
	}
	src, err := siteDir(a, f.source)
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard %s: %v\n", cmd, err)
		return nil, "", exitUsage, false
	}
	return f, src, 0, true
}

func runBuild(ctx context.Context, a *app, args []string) int {
	f, src, code, ok := parseBuildFlags(a, "build", "build [--source DIR] [--destination DIR] [--clean-destination] [--base-url URL] [--drafts] [--quiet|--verbose]", args)
	if !ok {
		return code
	}
	stopProfile, err := f.profile.start()
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard build: %v\n", err)
		return exitUsage
	}
	defer stopProfile()
	prog := newProgress(a, f.quiet)
	o := f.options(a, src)
	o.Progress = prog.update
	res, err := build.Write(ctx, o, build.WriteOptions{
		Destination: sourcePath(src, f.destination),
		Clean:       f.cleanDestination,
		NoFunction:  f.noFunction,
		Stderr:      a.stderr,
	})
	prog.done()
	if res != nil {
		a.printWarnings(res.Warnings)
	}
	if err != nil {
		a.printWarnings(build.WarningsOf(err))
		return a.reportErrors("build", err)
	}
	if res.FunctionUnavailable != nil {
		// The site is complete; only the serverless binary is missing.
		fmt.Fprintf(a.stderr, "postcard build: warning: %v (the site and %s are written; pass --no-function to skip this step)\n", res.FunctionUnavailable, rel(src, vote.ManifestPath(src)))
	}
	fnNote := ""
	if res.Function != nil && len(res.Function.Binaries) > 0 {
		fnNote = fmt.Sprintf(", and the voting function into %s", rel(src, res.FunctionDir))
	}
	if f.verbose {
		for _, n := range res.Names {
			fmt.Fprintln(a.stdout, filepath.Join(f.destination, n))
		}
		o := res.Output
		fmt.Fprintf(a.stdout, "%d files written, %d linked from the build cache, %d copied from it, %d unchanged, %d removed; compiled: %s\n",
			o.Written, o.Linked, o.Copied, o.Skipped, o.Removed, orNothing(strings.Join(res.Compiled, ", ")))
		if res.FullRender != "" {
			fmt.Fprintf(a.stdout, "Rendered every page: %s.\n", res.FullRender)
		} else {
			fmt.Fprintf(a.stdout, "Rendered %d of %d pages; the others show nothing that changed since the last build.\n", len(res.Rendered), res.Pages)
		}
	}
	if !f.quiet {
		s := res.Site
		fmt.Fprintf(a.stdout, "Built %d stories, %d ambassadors, %d contests, %d pages, %d images into %s%s in %s\n",
			len(s.Stories), len(s.Ambassadors), len(s.Contests), res.Pages, res.Images, rel(src, res.Destination), fnNote, res.Duration.Round(time.Millisecond))
	}
	return exitOK
}

func orNothing(s string) string {
	if s == "" {
		return "nothing"
	}
	return s
}

func rel(base, p string) string {
	if r, err := filepath.Rel(base, p); err == nil {
		return r
	}
	return p
}

// reportErrors prints a build's problems, one per line, and picks the exit code.
func (a *app) reportErrors(cmd string, err error) int {
	var le *diag.ListError
	var de *diag.Error
	switch {
	case errors.As(err, &le):
		for _, e := range le.Errs {
			fmt.Fprintln(a.stderr, e)
		}
		fmt.Fprintf(a.stderr, "postcard %s: %d %s\n", cmd, len(le.Errs), plural(len(le.Errs), "error", "errors"))
	case errors.As(err, &de):
		fmt.Fprintln(a.stderr, de)
		fmt.Fprintf(a.stderr, "postcard %s: 1 error\n", cmd)
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(a.stderr, "postcard %s: interrupted\n", cmd)
	default:
		fmt.Fprintf(a.stderr, "postcard %s: %v\n", cmd, err)
	}
	return exitContent
}

// printWarnings prints problems that did not stop the build.
func (a *app) printWarnings(warnings []*diag.Error) {
	for _, w := range warnings {
		fmt.Fprintln(a.stderr, w)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func runCheck(ctx context.Context, a *app, args []string) int {
	f := &buildFlags{}
	format := formatText
	fs := newFlagSet("check", "check [--source DIR] [--drafts] [--format text|github|json]", a.stderr)
	f.register(fs, false)
	fs.StringVar(&format, "format", formatText, "how to report problems: text (file:line:col: message), github (annotations on a pull request) or json (an array of {file, line, col, severity, message})")
	if code, ok := parseFlags(fs, args, a.stdout); !ok {
		return code
	}
	if !slices.Contains(reportFormats, format) {
		fmt.Fprintf(a.stderr, "postcard check: --format %q: use %s\n", format, strings.Join(reportFormats, ", "))
		return exitUsage
	}
	src, err := siteDir(a, f.source)
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard check: %v\n", err)
		return exitUsage
	}
	res, err := build.Check(ctx, f.options(a, src))
	if format == formatText {
		if err != nil {
			a.printWarnings(build.WarningsOf(err))
			return a.reportErrors("check", err)
		}
		a.printWarnings(res.Warnings)
	} else {
		ps := problems(err)
		if res != nil {
			ps = append(ps, res.Warnings...)
		}
		ps = append(ps, build.WarningsOf(err)...)
		if format == formatJSON {
			if werr := writeJSON(a.stdout, ps); werr != nil {
				fmt.Fprintf(a.stderr, "postcard check: %v\n", werr)
				return exitContent
			}
		} else {
			writeGitHub(a.stdout, ps)
		}
		if err != nil {
			n := len(problems(err))
			fmt.Fprintf(a.stderr, "postcard check: %d %s\n", n, plural(n, "error", "errors"))
			return exitContent
		}
	}
	s := res.Site
	out := a.stdout
	if format == formatJSON {
		out = a.stderr // standard output holds only the JSON
	}
	fmt.Fprintf(out, "OK: %d stories, %d ambassadors, %d contests, %d images checked\n", len(s.Stories), len(s.Ambassadors), len(s.Contests), res.Images)
	return exitOK
}
