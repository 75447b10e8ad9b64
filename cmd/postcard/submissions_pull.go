package main

import (
	"context"
	"fmt"
	"os"

	"github.com/postcard-ssg/postcard/generator/submissions"
)

func runSubmissionsPull(ctx context.Context, a *app, args []string) int {
	var sf storeFlags
	fs := submissionsFlagSet("pull", "[--db …] [--source DIR]", a, &sf)
	if _, code, ok := parseSubmissionsFlags(fs, a, args); !ok {
		return code
	}
	dir, store, done, ok := openSubmissions(ctx, a, "pull", sf)
	if !ok {
		return exitContent
	}
	defer done()
	root, err := os.OpenRoot(dir)
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard submissions pull: %v\n", err)
		return exitContent
	}
	defer root.Close()
	pulled, err := submissions.Pull(ctx, store, root, a.now())
	for _, p := range pulled {
		switch {
		case p.Already:
			fmt.Fprintf(a.stdout, "%s: already in %s; marked pulled\n", p.Receipt, p.Story)
		default:
			fmt.Fprintf(a.stdout, "%s: wrote %s (%d photos), new ambassador %s\n", p.Receipt, p.Story, len(p.Files), p.Ambassador)
			if p.Hint != "" {
				fmt.Fprintf(a.stdout, "  hint: %s has a similar name; if it is the same person, set ambassador in %s to that one and delete %s\n", p.Hint, p.Story, p.Ambassador)
			}
		}
	}
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard submissions pull: %v\n", err)
		return exitContent
	}
	if len(pulled) == 0 {
		fmt.Fprintln(a.stdout, "no new submissions")
	}
	return exitOK
}
