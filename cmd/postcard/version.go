package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// version is the module version the binary was built from (a release tag,
// or a pseudo-version for a commit), or "dev" when the go command recorded
// none.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	return moduleVersion(bi)
}

func moduleVersion(bi *debug.BuildInfo) string {
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	return "dev"
}

// describe is the version line: the module version, and the commit and its
// time when the binary was built from a Git checkout (go build records them
// unless -buildvcs=false), marked "modified" when the checkout had changes.
func describe(bi *debug.BuildInfo) string {
	s := "postcard " + moduleVersion(bi)
	var rev, at string
	modified := false
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.time":
			at = kv.Value
		case "vcs.modified":
			modified = kv.Value == "true"
		}
	}
	if rev != "" {
		s += " (commit " + rev
		if at != "" {
			s += ", " + at
		}
		if modified {
			s += ", modified"
		}
		s += ")"
	}
	return s
}

func runVersion(_ context.Context, a *app, args []string) int {
	fs := newFlagSet("version", "version", a.stderr)
	if code, ok := parseFlags(fs, args, a.stdout); !ok {
		return code
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(a.stdout, "postcard dev")
		return exitOK
	}
	fmt.Fprintln(a.stdout, describe(bi))
	return exitOK
}
