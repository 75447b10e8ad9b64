//go:build !linux

package output

import "os"

// clone is Linux's FICLONE only; elsewhere the file is copied.
func clone(dst, src *os.File) bool { return false }
