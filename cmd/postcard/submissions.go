package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/postcard-ssg/postcard/functions/vote"
)

const submissionsUsage = `Usage: postcard submissions <command> [flags]

Commands:
  list      list the submissions in the store (--status new|pulled|rejected)
  pull      write each new submission into content/stories/ as a submitted bundle
  reject    mark a submission as rejected: postcard submissions reject ID --reason "…"
  contacts  show the contributors' e-mail addresses (all, or one receipt's)
  purge     delete contacts, pulled media and expired form tokens --older-than 90d
  forget    delete a contributor's records (--receipt ID or --contributor NAME)
            and list the content/ files an editor must unpublish

Every command works on the vote store (--db, as postcard votes export).
Run "postcard submissions <command> -h" for the flags of one command.
`

// runSubmissions runs the editor's submission commands.
func runSubmissions(ctx context.Context, a *app, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(a.stderr, submissionsUsage)
		return exitUsage
	}
	run := map[string]func(context.Context, *app, []string) int{
		"list":     runSubmissionsList,
		"pull":     runSubmissionsPull,
		"reject":   runSubmissionsReject,
		"contacts": runSubmissionsContacts,
		"purge":    runSubmissionsPurge,
		"forget":   runSubmissionsForget,
	}[args[0]]
	if run != nil {
		return run(ctx, a, args[1:])
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(a.stdout, submissionsUsage)
		return exitOK
	}
	fmt.Fprintf(a.stderr, "postcard submissions: unknown command %q\n\n%s", args[0], submissionsUsage)
	return exitUsage
}

// storeFlags are the flags of every submissions command.
type storeFlags struct {
	db, source string
	preview    bool
}

func submissionsFlagSet(name, usage string, a *app, sf *storeFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("submissions "+name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: postcard submissions %s %s\n\nFlags:\n", name, usage)
		fs.PrintDefaults()
	}
	fs.StringVar(&sf.db, "db", "", dbUsage+"; when that has no database but the preview.db of postcard serve exists, the preview's submissions, with a note")
	fs.BoolVar(&sf.preview, "preview", false, "use the preview store of postcard serve (preview.db)")
	fs.StringVar(&sf.source, "source", ".", "the site's `folder`")
	return fs
}

// parseSubmissionsFlags parses args, allowing positional arguments before
// the flags (reject ID --reason …); ok false means return code.
func parseSubmissionsFlags(fs *flag.FlagSet, a *app, args []string) (pos []string, code int, ok bool) {
	for len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		pos, args = append(pos, args[0]), args[1:]
	}
	if code, ok := parseFlags(fs, args, a.stdout); !ok {
		return nil, code, false
	}
	return append(pos, fs.Args()...), 0, true
}

// openSubmissions opens the submission store the flags name.
func openSubmissions(ctx context.Context, a *app, cmd string, sf storeFlags) (string, vote.SubmissionStore, func(), bool) {
	fail := func(err error) (string, vote.SubmissionStore, func(), bool) {
		fmt.Fprintf(a.stderr, "postcard submissions %s: %v\n", cmd, err)
		return "", nil, nil, false
	}
	dir, err := siteDir(a, sf.source)
	if err != nil {
		return fail(err)
	}
	if sf.preview && sf.db != "" {
		return fail(fmt.Errorf("--preview and --db name two stores; give one"))
	}
	spec, err := findStoreOrPreview(a, "submissions "+cmd, sf.db, dir, sf.preview)
	if err != nil {
		return fail(err)
	}
	if spec.SQLite != "" {
		if _, err := os.Stat(spec.SQLite); err != nil {
			return fail(fmt.Errorf("no store: %w", err))
		}
	}
	store, err := spec.Open(ctx)
	if err != nil {
		return fail(err)
	}
	sub, ok := store.(vote.SubmissionStore)
	if !ok {
		store.Close()
		return fail(fmt.Errorf("this store keeps no submissions"))
	}
	return dir, sub, func() { store.Close() }, true
}
