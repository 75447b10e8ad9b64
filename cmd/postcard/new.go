package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/postcard-ssg/postcard/generator/build"
)

var newSlugRe = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

func runNew(_ context.Context, a *app, args []string) int {
	var source, ambassador, kind string
	fs := newFlagSet("new", "new story|ambassador|contest NAME [--source DIR] [--ambassador NAME] [--kind KIND]", a.stderr)
	fs.StringVar(&source, "source", ".", "the site's `folder`")
	fs.StringVar(&ambassador, "ambassador", "", "for a story: the ambassador telling it")
	fs.StringVar(&kind, "kind", "photo", "for a story: photo, video, story or poem")
	// Flags may come after the positional arguments.
	var pos []string
	if wantsHelp(args) {
		fs.SetOutput(a.stdout)
	}
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK
			}
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != 2 {
		fs.Usage()
		return exitUsage
	}
	what, name := pos[0], pos[1]
	if !newSlugRe.MatchString(name) {
		fmt.Fprintf(a.stderr, "postcard new: %q is not a valid name: use lower-case letters, digits and single hyphens, such as first-light-on-the-pier\n", name)
		return exitUsage
	}
	today := a.now().Format("2006-01-02")
	title := strings.ToUpper(name[:1]) + strings.ReplaceAll(name[1:], "-", " ")
	var file, text string
	switch what {
	case "story":
		if kinds := build.KindSlugs(); !slices.Contains(kinds, kind) {
			fmt.Fprintf(a.stderr, "postcard new: --kind %q: use %s\n", kind, strings.Join(kinds, ", "))
			return exitUsage
		}
		file = filepath.Join("content", "stories", name, "index.md")
		text = fmt.Sprintf(storyTemplate, title, ambassador, today, kind)
	case "ambassador":
		file = filepath.Join("content", "ambassadors", name+".md")
		text = fmt.Sprintf(ambassadorTemplate, title)
	case "contest":
		file = filepath.Join("content", "contests", name+".md")
		text = fmt.Sprintf(contestTemplate, title)
	default:
		fmt.Fprintf(a.stderr, "postcard new: unknown kind %q: use story, ambassador or contest\n", what)
		return exitUsage
	}
	p := filepath.Join(source, file)
	if _, err := os.Stat(filepath.Join(source, "site.toml")); err != nil {
		fmt.Fprintf(a.stderr, "postcard new: no site.toml in %s: run it from a site's folder or pass --source\n", source)
		return exitUsage
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		fmt.Fprintf(a.stderr, "postcard new: %v\n", err)
		return exitContent
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs_ErrExist) {
		fmt.Fprintf(a.stderr, "postcard new: %s already exists; nothing was changed\n", file)
		return exitContent
	}
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard new: %v\n", err)
		return exitContent
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		fmt.Fprintf(a.stderr, "postcard new: %v\n", err)
		return exitContent
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(a.stderr, "postcard new: %v\n", err)
		return exitContent
	}
	fmt.Fprintf(a.stdout, "Created %s\n", file)
	return exitOK
}

var fs_ErrExist = fs.ErrExist

const storyTemplate = `+++
title = %q
ambassador = %q                # a file under content/ambassadors/
date = %s
kind = %q                      # photo | video | story | poem
place = ""
tags = []
status = "submitted"           # submitted | approved | featured | rejected
# contest = ""                 # a contest under content/contests/
# category = ""                # one of the contest's categories
# cover = { src = "photo.jpg", alt = "What the photo shows" }

[rights]
license = "CC-BY-4.0"          # or "granted-to-destination"
# consent = 2026-01-31         # the day the contributor agreed to publication
credit = ""
+++
Write the story here.
`

const ambassadorTemplate = `+++
name = %q
bio = ""
home = ""
links = []
+++
A longer introduction.
`

const contestTemplate = `+++
title = %q
description = ""
categories = ["landscape", "people", "words"]
opens = 2026-01-01
closes = 2026-01-31
voting_opens = 2026-02-01
voting_closes = 2026-02-28
votes_per_voter = 3
show_counts = true
network_quota = 100             # votes per network per UTC day; raise it (or 0: none) for an event on one Wi-Fi
challenge = 16                  # proof-of-work bits the vote script solves; 0: none
+++
Rules and prizes.
`
