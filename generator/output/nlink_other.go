//go:build !unix

package output

import "io/fs"

// hardLinks says whether links can count a file's links.
const hardLinks = false

// links is the number of hard links to a file; Postcard makes none where
// it cannot count them.
func links(fs.FileInfo) uint64 { return 1 }
