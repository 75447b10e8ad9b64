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
	"sort"
	"strings"

	"github.com/postcard-ssg/postcard/generator/build"
)

var newSlugRe = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

const newUsage = `new site DIR
       postcard new story|ambassador|contest TITLE [--source DIR] [--ambassador NAME] [--kind KIND] [--contest NAME]`

func runNew(_ context.Context, a *app, args []string) int {
	var source, ambassador, kind, contest string
	fs := newFlagSet("new", newUsage, a.stderr)
	fs.StringVar(&source, "source", ".", "the site's `folder`")
	fs.StringVar(&ambassador, "ambassador", "", "for a story: the ambassador telling it")
	fs.StringVar(&kind, "kind", "photo", "for a story: photo, video, story or poem")
	fs.StringVar(&contest, "contest", "", "for a story: the contest it enters")
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
	what, title := pos[0], pos[1]
	if what == "site" {
		return a.newSite(title)
	}
	name := build.Slug(title)
	if !newSlugRe.MatchString(name) {
		fmt.Fprintf(a.stderr, "postcard new: %q makes no valid name: use a title with Latin letters or digits, such as \"First light on the pier\"\n", title)
		return exitUsage
	}
	if title == name {
		// A name given as a slug makes the title: first-light → First light.
		title = strings.ToUpper(name[:1]) + strings.ReplaceAll(name[1:], "-", " ")
	}
	if _, err := os.Stat(filepath.Join(source, "site.toml")); err != nil {
		fmt.Fprintf(a.stderr, "postcard new: no site.toml in %s: run it from a site's folder or pass --source\n", source)
		return exitUsage
	}
	now := a.now()
	today := now.Format("2006-01-02")
	var file, text string
	switch what {
	case "story":
		if kinds := build.KindSlugs(); !slices.Contains(kinds, kind) {
			fmt.Fprintf(a.stderr, "postcard new: --kind %q: use %s\n", kind, strings.Join(kinds, ", "))
			return exitUsage
		}
		names, err := build.ContentNames(source)
		if err != nil {
			fmt.Fprintf(a.stderr, "postcard new: %v\n", err)
			return exitContent
		}
		credit := ""
		if ambassador != "" {
			who, ok := names.Ambassadors[ambassador]
			if !ok {
				fmt.Fprintf(a.stderr, "postcard new: unknown --ambassador %q: %s\n", ambassador, known("ambassadors", keys(names.Ambassadors), ambassador))
				return exitUsage
			}
			credit = creditLabel(kind) + ": " + who
		}
		contestLines := "# contest = \"\"                 # a contest under content/contests/\n# category = \"\"                # one of the contest's categories\n"
		if contest != "" {
			cats, ok := names.Contests[contest]
			if !ok {
				fmt.Fprintf(a.stderr, "postcard new: unknown --contest %q: %s\n", contest, known("contests", keys(names.Contests), contest))
				return exitUsage
			}
			first := ""
			if len(cats) > 0 {
				first = cats[0]
			}
			contestLines = fmt.Sprintf("contest = %q\ncategory = %q%s# one of: %s\n", contest, first, pad(first, 22), strings.Join(cats, ", "))
		}
		media := "# cover = { src = \"photo.jpg\", alt = \"What the photo shows\" }\n"
		if kind == "video" {
			media = "video = \"\"                     # a YouTube or Vimeo address, or an .mp4 or .webm file in this folder\n" + media
		}
		file = filepath.Join("content", "stories", name, "index.md")
		text = fmt.Sprintf(storyTemplate, title, ambassador, today, kind, contestLines, media, today, credit)
	case "ambassador":
		file = filepath.Join("content", "ambassadors", name+".md")
		text = fmt.Sprintf(ambassadorTemplate, title)
	case "contest":
		day := func(n int) string { return now.AddDate(0, 0, n).Format("2006-01-02") }
		file = filepath.Join("content", "contests", name+".md")
		text = fmt.Sprintf(contestTemplate, title, day(0), day(30), day(31), day(60))
	default:
		fmt.Fprintf(a.stderr, "postcard new: unknown kind %q: use site, story, ambassador or contest\n", what)
		return exitUsage
	}
	if err := writeNew(filepath.Join(source, file), text); err != nil {
		if errors.Is(err, fs_ErrExist) {
			fmt.Fprintf(a.stderr, "postcard new: %s already exists; nothing was changed\n", file)
		} else {
			fmt.Fprintf(a.stderr, "postcard new: %v\n", err)
		}
		return exitContent
	}
	fmt.Fprintf(a.stdout, "Created %s\n", file)
	return exitOK
}

// writeNew creates the file p with text, and its folders; it never
// overwrites a file.
func writeNew(p, text string) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

var fs_ErrExist = fs.ErrExist

// creditLabel is what a credit line says the ambassador made.
func creditLabel(kind string) string {
	switch kind {
	case "photo":
		return "Photo"
	case "video":
		return "Video"
	case "poem":
		return "Words"
	}
	return "Text"
}

// known lists the names a flag may take, nearest first when one is close.
func known(what string, names []string, got string) string {
	if len(names) == 0 {
		return "the site has no " + what + " yet"
	}
	msg := "the site's " + what + " are " + strings.Join(names, ", ")
	if n := nearestName(got, names); n != "" {
		msg += "; did you mean " + fmt.Sprintf("%q", n) + "?"
	}
	return msg
}

// nearestName is the name of names equal to got but for case, or "".
func nearestName(got string, names []string) string {
	for _, n := range names {
		if strings.EqualFold(n, got) || strings.EqualFold(strings.ReplaceAll(n, "-", ""), strings.ReplaceAll(got, "-", "")) {
			return n
		}
	}
	return ""
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// pad aligns a trailing comment after a quoted value of s.
func pad(s string, width int) string {
	if n := width - len(s); n > 0 {
		return strings.Repeat(" ", n)
	}
	return " "
}

const storyTemplate = `+++
title = %q
ambassador = %q                # a file under content/ambassadors/
date = %s
kind = %q                      # photo | video | story | poem
place = ""
tags = []
status = "submitted"           # submitted | approved | featured | rejected
%s%s
[rights]
license = "CC-BY-4.0"          # any SPDX licence id, or one of site.toml's licenses
consent = %s             # the day the contributor agreed to publication
credit = %q
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
opens = %s              # the submission window, in site.toml's timezone
closes = %s
voting_opens = %s       # the voting window
voting_closes = %s
votes_per_voter = 3
show_counts = true
network_quota = 100             # votes per network per UTC day; raise it (or 0: none) for an event on one Wi-Fi
challenge = 16                  # proof-of-work bits the vote script solves; 0: none
+++
Rules and prizes.
`
