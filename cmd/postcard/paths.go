package main

import "path/filepath"

// Every path flag of every command (--results, --db sqlite:PATH,
// --destination, --output, --votes-db) is read the same way: an absolute
// path as it is, a relative one inside the site's folder (--source), never
// the working directory. So one command line means the same files from
// wherever it is run, and what `votes export --output results.csv` writes is
// what `build --results results.csv` reads.

// pathFlagHelp ends the help of every path flag.
const pathFlagHelp = " (relative to --source)"

// sourcePath resolves a path flag's value p against the site's folder src.
// "" stays "" (the flag was not given).
func sourcePath(src, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(src, p)
}
