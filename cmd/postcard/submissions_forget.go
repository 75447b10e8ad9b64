package main

import (
	"context"
	"fmt"
	"os"

	"github.com/postcard-ssg/postcard/generator/submissions"
)

func runSubmissionsForget(ctx context.Context, a *app, args []string) int {
	var sf storeFlags
	var receipt, contributor string
	fs := submissionsFlagSet("forget", "--receipt ID | --contributor NAME [--db …]", a, &sf)
	fs.StringVar(&receipt, "receipt", "", "the submission's receipt `ID`")
	fs.StringVar(&contributor, "contributor", "", "every submission credited to this `name`, exactly")
	if _, code, ok := parseSubmissionsFlags(fs, a, args); !ok {
		return code
	}
	dir, store, done, ok := openSubmissions(ctx, a, "forget", sf)
	if !ok {
		return exitContent
	}
	defer done()
	f, err := submissions.Forget(ctx, store, os.DirFS(dir), receipt, contributor)
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard submissions forget: %v\n", err)
		return exitContent
	}
	fmt.Fprintf(a.stdout, "deleted %d submissions from the store (records, photos, consent, contact)\n", len(f.Receipts))
	if len(f.Files) == 0 {
		fmt.Fprintln(a.stdout, "nothing of them is in content/")
		return exitOK
	}
	fmt.Fprintln(a.stdout, "content/ still holds, to delete or unpublish:")
	for _, file := range f.Files {
		fmt.Fprintf(a.stdout, "  %s\n", file)
	}
	for _, e := range f.Entries {
		fmt.Fprintf(a.stdout, "  contest entry %s\n", e)
	}
	return exitOK
}
