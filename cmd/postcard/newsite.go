package main

// `postcard new site DIR` writes a starter showcase: a site.toml to fill
// in, one ambassador, one story of each kind with sample photos, an open
// contest, an about page, and what a destination's repository needs to
// publish it (.gitignore, a GitHub Actions workflow, netlify.toml). The
// starter is embedded; files ending in .tmpl are filled in with dates
// relative to today, so the contest is open whenever the site is made.

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"text/template"
	"time"
)

//go:embed all:starter
var starterFS embed.FS

// starterName maps a starter file's path to the path it is written at: a
// "dot-" prefix is a leading dot (a .gitignore in this repository would
// apply to it) and ".tmpl" is dropped.
func starterName(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if rest, ok := strings.CutPrefix(s, "dot-"); ok {
			parts[i] = "." + rest
		}
	}
	return strings.TrimSuffix(path.Join(parts...), ".tmpl")
}

// starterFiles renders the starter as of today: its files by the path they
// are written at.
func starterFiles(today time.Time) (map[string][]byte, error) {
	sub, err := fs.Sub(starterFS, "starter")
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"days": func(n int) time.Time { return today.AddDate(0, 0, n) },
		"date": func(t time.Time) string { return t.Format("2006-01-02") },
		"long": func(t time.Time) string { return t.Format("2 January 2006") },
	}
	out := map[string][]byte{}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".tmpl") {
			t, err := template.New(p).Funcs(funcs).Option("missingkey=error").Parse(string(data))
			if err != nil {
				return err
			}
			var b bytes.Buffer
			if err := t.Execute(&b, nil); err != nil {
				return err
			}
			data = b.Bytes()
		}
		out[starterName(p)] = data
		return nil
	})
	return out, err
}

func (a *app) newSite(dir string) int {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		fmt.Fprintf(a.stderr, "postcard new site: %s is not empty: name a new folder (nothing was changed)\n", dir)
		return exitContent
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(a.stderr, "postcard new site: %v\n", err)
		return exitContent
	}
	// A date without a clock: the day it is where the command runs.
	now := a.now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	files, err := starterFiles(today)
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard new site: %v\n", err)
		return exitContent
	}
	for name, data := range files {
		if err := writeNew(filepath.Join(dir, filepath.FromSlash(name)), string(data)); err != nil {
			fmt.Fprintf(a.stderr, "postcard new site: %v\n", err)
			return exitContent
		}
	}
	fmt.Fprintf(a.stdout, "Created a showcase in %s. Next:\n", dir)
	fmt.Fprintf(a.stdout, "  cd %s\n", dir)
	fmt.Fprintln(a.stdout, "  edit site.toml: set title and base_url, the address you will publish at")
	fmt.Fprintln(a.stdout, "  postcard serve      preview it on localhost")
	fmt.Fprintln(a.stdout, "  postcard check      find every mistake before you publish")
	return exitOK
}
