package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/postcard-ssg/postcard/generator/build"
	"github.com/postcard-ssg/postcard/generator/devserver"
)

func runServe(ctx context.Context, a *app, args []string) int {
	var source, addr, votesDB, results string
	var drafts bool
	fs := newFlagSet("serve", "serve [--source DIR] [--addr 127.0.0.1:1313] [--drafts] [--results FILE] [--votes-db FILE]", a.stderr)
	fs.StringVar(&source, "source", ".", "the site's `folder`")
	fs.StringVar(&addr, "addr", "127.0.0.1:1313", "loopback `address` to serve the preview on")
	fs.BoolVar(&drafts, "drafts", false, "also show submitted stories, marked as drafts")
	fs.StringVar(&results, "results", "", "a CSV `file` of final vote counts (from postcard votes export) to preview baked into closed contests"+pathFlagHelp)
	fs.StringVar(&votesDB, "votes-db", "", "the preview's SQLite vote `file`"+pathFlagHelp+"; its folder must exist (default preview.db in the site's folder under the user's state directory, apart from real votes)")
	if code, ok := parseFlags(fs, args, a.stdout); !ok {
		return code
	}
	src, err := siteDir(a, source)
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard serve: %v\n", err)
		return exitUsage
	}
	logger := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	err = devserver.Run(ctx, devserver.Options{
		Source:  src,
		Addr:    addr,
		Drafts:  drafts,
		VotesDB: sourcePath(src, votesDB),
		Results: sourcePath(src, results),
		Now:     a.now,
		Getenv:  a.getenv,
		Version: version(),
		Logger:  logger,
		Ready: func(url string) {
			fmt.Fprintf(a.stdout, "Serving %s at %s with voting on embedded SQLite; rebuilding on every save. Press Ctrl+C to stop.\n", source, url)
		},
		Built: func(res *build.Result, err error) {
			if err != nil {
				a.reportErrors("serve", err)
				return
			}
			fmt.Fprintf(a.stdout, "%s built %d stories, %d pages, %d images in %s\n", a.now().Format(time.TimeOnly), len(res.Site.Stories), res.Pages, res.Images, res.Duration.Round(time.Millisecond))
		},
	})
	if err != nil && ctx.Err() == nil {
		fmt.Fprintf(a.stderr, "postcard serve: %v\n", err)
		return exitContent
	}
	return exitOK
}
