//go:build unix

package output

import (
	"io/fs"
	"syscall"
)

// hardLinks says whether links can count a file's links.
const hardLinks = true

// links is the number of hard links to a file.
func links(st fs.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Nlink)
	}
	return 1
}
