// Package theme embeds Postcard's default theme, so a site outside this
// repository builds with it and a site's themes/postcard/ folder, when
// present, still overrides it file by file.
package theme

import "embed"

// FS holds layouts/, static/ and assets/. "all:" keeps files whose names
// start with "_", such as Sass partials, which embed leaves out by default.
//
//go:embed all:layouts all:static all:assets
var FS embed.FS
