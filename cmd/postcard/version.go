package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// version is the module version the binary was built from, or "dev".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func runVersion(_ context.Context, a *app, args []string) int {
	fs := newFlagSet("version", "version", a.stderr)
	if code, ok := parseFlags(fs, args, a.stdout); !ok {
		return code
	}
	fmt.Fprintf(a.stdout, "postcard %s\n", version())
	return exitOK
}
