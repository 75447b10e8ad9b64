// Command postcard builds community story showcases: it turns a content folder
// into a static site plus the voting function that runs beside it.
//
// Each subcommand lives in a file of its own; main only parses the first word
// and hands the rest of the arguments over.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote/lambda"
)

// Exit codes, as the README documents them.
const (
	exitOK      = 0
	exitContent = 1 // content or configuration errors, or a failed build
	exitUsage   = 2 // bad command line
)

// app carries what every subcommand may touch of the outside world, so tests
// can run commands in-process with their own streams and clock.
type app struct {
	stdout, stderr io.Writer
	getwd          func() (string, error)
	getenv         func(string) string
	now            func() time.Time
	isTerminal     bool
}

// command is one subcommand: a one-line summary for help and a run function
// that returns the process exit code.
type command struct {
	summary string
	run     func(ctx context.Context, a *app, args []string) int
}

func commands() map[string]command {
	return map[string]command{
		"build":   {"build the site into a folder", runBuild},
		"check":   {"validate content and configuration without writing output", runCheck},
		"new":     {"scaffold a story, ambassador or contest", runNew},
		"serve":   {"preview the site on localhost, rebuilding on every save, with voting", runServe},
		"votes":   {"run the voting function as a server, or export its counts", runVotes},
		"version": {"print the version", runVersion},
		"help":    {"show help for postcard or one of its commands", runHelp},

		// The editor's side of the submission form.
		"submissions": {"list, pull, reject and forget the stories sent with the site's form", runSubmissions},
	}
}

func main() {
	// Deployed as a site's voting function (postcard build copies this
	// binary to functions-dist/), it runs as the function and nothing else.
	if lambda.ShouldRun(os.Getenv, os.Args[0]) {
		os.Exit(lambda.Main())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	a := &app{
		stdout:     os.Stdout,
		stderr:     os.Stderr,
		getwd:      os.Getwd,
		getenv:     os.Getenv,
		now:        time.Now,
		isTerminal: isTerminal(os.Stderr),
	}
	code := a.main(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

func (a *app) main(ctx context.Context, args []string) int {
	if len(args) == 0 {
		a.usage(a.stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "--help":
		a.usage(a.stdout)
		return exitOK
	case "-v", "--version":
		name = "version"
	}
	cmd, ok := commands()[name]
	if !ok {
		fmt.Fprintf(a.stderr, "postcard: unknown command %q\n\n", name)
		a.usage(a.stderr)
		return exitUsage
	}
	return cmd.run(ctx, a, args[1:])
}

func (a *app) usage(w io.Writer) {
	fmt.Fprintln(w, "Postcard builds community story showcases.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: postcard <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "postcard help <command>" for the flags of one command.`)
}

func runHelp(ctx context.Context, a *app, args []string) int {
	if len(args) == 0 {
		a.usage(a.stdout)
		return exitOK
	}
	if _, ok := commands()[args[0]]; !ok || args[0] == "help" {
		fmt.Fprintf(a.stderr, "postcard help: unknown command %q\n", args[0])
		return exitUsage
	}
	// "help votes export" asks for a subcommand's flags: pass the words
	// after the command on, then ask for help.
	return commands()[args[0]].run(ctx, a, append(append([]string{}, args[1:]...), "-h"))
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
