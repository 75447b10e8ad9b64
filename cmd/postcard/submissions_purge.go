package main

import (
	"context"
	"fmt"

	"github.com/postcard-ssg/postcard/generator/submissions"
)

func runSubmissionsPurge(ctx context.Context, a *app, args []string) int {
	var sf storeFlags
	var older string
	fs := submissionsFlagSet("purge", "--older-than AGE [--db …]", a, &sf)
	fs.StringVar(&older, "older-than", "", "delete what is older than this `age`, such as 90d (required)")
	if _, code, ok := parseSubmissionsFlags(fs, a, args); !ok {
		return code
	}
	age, err := submissions.ParseAge(older)
	if err != nil || older == "" {
		fmt.Fprintln(a.stderr, "postcard submissions purge: --older-than is required, such as 90d")
		return exitUsage
	}
	_, store, done, ok := openSubmissions(ctx, a, "purge", sf)
	if !ok {
		return exitContent
	}
	defer done()
	r, err := submissions.Purge(ctx, store, age, a.now())
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard submissions purge: %v\n", err)
		return exitContent
	}
	fmt.Fprintf(a.stdout, "deleted %d contacts, %d photos of pulled or rejected submissions, %d expired form tokens\n", r.Contacts, r.Media, r.Forms)
	return exitOK
}
