package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"postcard": func() {
			a := &app{stdout: os.Stdout, stderr: os.Stderr, getwd: os.Getwd, getenv: os.Getenv, now: fixedNow, isTerminal: false}
			os.Exit(a.main(context.Background(), os.Args[1:]))
		},
	})
}

// fixedNow is the clock of CLI tests, inside the test sites' voting windows.
func fixedNow() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }

// TestScripts runs the CLI scripts, each with a home and a state directory
// of its own inside its work folder, so nothing touches the real ones.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", filepath.Join(env.WorkDir, ".home"))
			env.Setenv("XDG_STATE_HOME", filepath.Join(env.WorkDir, ".state"))
			return nil
		},
	})
}

// TestExitCodes runs commands in-process and checks the documented codes:
// 0 ok, 1 content or configuration errors, 2 usage.
func TestExitCodes(t *testing.T) {
	site := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(site, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("site.toml", "title = \"T\"\n")
	write("content/stories/bad/index.md", "+++\ntitle = \"Bad\"\nambassador = \"ghost\"\ndate = 2026-01-01\nkind = \"story\"\nstatus = \"approved\"\n+++\n")
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{nil, exitUsage, "Usage: postcard <command>"},
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{[]string{"build", "--nope"}, exitUsage, "flag provided but not defined: -nope"},
		{[]string{"build", "extra"}, exitUsage, `unexpected argument "extra"`},
		{[]string{"new", "story"}, exitUsage, "Usage: postcard new"},
		{[]string{"new", "story", "!!!", "--source", site}, exitUsage, "makes no valid name"},
		{[]string{"help", "build"}, exitOK, "-destination"},
		{[]string{"help", "votes", "export"}, exitOK, "-audit"},
		{[]string{"votes", "serve", "-h"}, exitOK, "-rate-limit"},
		{[]string{"version"}, exitOK, "postcard "},
		{[]string{"check", "--source", site}, exitContent, `content/stories/bad/index.md:3:1: unknown ambassador "ghost"`},
		{[]string{"build", "--source", site}, exitContent, "published story has no [rights]"},
		{[]string{"check", "--source", t.TempDir()}, exitContent, "no site.toml here"},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		a := &app{stdout: &out, stderr: &out, getwd: os.Getwd, getenv: os.Getenv, now: fixedNow}
		code := a.main(context.Background(), tt.args)
		if code != tt.code || !strings.Contains(out.String(), tt.out) {
			t.Errorf("postcard %s: code %d, want %d; output:\n%s\nwant it to contain %q", strings.Join(tt.args, " "), code, tt.code, out.String(), tt.out)
		}
	}
}
