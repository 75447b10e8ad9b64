package main

import (
	"context"
	"fmt"

	"github.com/postcard-ssg/postcard/generator/submissions"
)

func runSubmissionsReject(ctx context.Context, a *app, args []string) int {
	var sf storeFlags
	var reason string
	fs := submissionsFlagSet("reject", "ID --reason TEXT [--db …]", a, &sf)
	fs.StringVar(&reason, "reason", "", "why it is rejected (required), such as \"spam\"")
	pos, code, ok := parseSubmissionsFlags(fs, a, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(a.stderr, "postcard submissions reject: give one receipt ID")
		return exitUsage
	}
	_, store, done, ok := openSubmissions(ctx, a, "reject", sf)
	if !ok {
		return exitContent
	}
	defer done()
	if err := submissions.Reject(ctx, store, pos[0], reason, a.now()); err != nil {
		fmt.Fprintf(a.stderr, "postcard submissions reject: %v\n", err)
		return exitContent
	}
	fmt.Fprintf(a.stdout, "%s: rejected\n", pos[0])
	return exitOK
}
