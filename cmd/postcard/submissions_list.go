package main

import (
	"context"
	"fmt"

	"github.com/postcard-ssg/postcard/generator/submissions"
)

func runSubmissionsList(ctx context.Context, a *app, args []string) int {
	var sf storeFlags
	var status string
	fs := submissionsFlagSet("list", "[--status new|pulled|rejected] [--db …]", a, &sf)
	fs.StringVar(&status, "status", "", "list only the submissions in this `status`: new, pulled or rejected")
	if _, code, ok := parseSubmissionsFlags(fs, a, args); !ok {
		return code
	}
	_, store, done, ok := openSubmissions(ctx, a, "list", sf)
	if !ok {
		return exitContent
	}
	defer done()
	if err := submissions.List(ctx, store, status, a.stdout); err != nil {
		fmt.Fprintf(a.stderr, "postcard submissions list: %v\n", err)
		return exitContent
	}
	return exitOK
}
