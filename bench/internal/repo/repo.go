// Package repo finds Postcard's repository from a benchmark command, so the
// harnesses can find the photos, node_modules and the code they build
// without being told where they run.
package repo

import (
	"errors"
	"os"
	"path/filepath"
)

// Root returns the folder of go.mod, looking from the working directory up.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working folder")
		}
		dir = parent
	}
}
