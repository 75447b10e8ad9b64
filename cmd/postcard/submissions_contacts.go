package main

import (
	"context"
	"fmt"

	"github.com/postcard-ssg/postcard/generator/submissions"
)

func runSubmissionsContacts(ctx context.Context, a *app, args []string) int {
	var sf storeFlags
	fs := submissionsFlagSet("contacts", "[ID] [--db …]", a, &sf)
	pos, code, ok := parseSubmissionsFlags(fs, a, args)
	if !ok {
		return code
	}
	if len(pos) > 1 {
		fmt.Fprintln(a.stderr, "postcard submissions contacts: give at most one receipt ID")
		return exitUsage
	}
	_, store, done, ok := openSubmissions(ctx, a, "contacts", sf)
	if !ok {
		return exitContent
	}
	defer done()
	id := ""
	if len(pos) == 1 {
		id = pos[0]
	}
	if err := submissions.Contacts(ctx, store, id, a.stdout); err != nil {
		fmt.Fprintf(a.stderr, "postcard submissions contacts: %v\n", err)
		return exitContent
	}
	return exitOK
}
