// Package theme embeds Postcard's default theme, so a site outside this
// repository builds with it and a site's themes/postcard/ folder, when
// present, still overrides it file by file.
package theme

import "embed"

// FS holds layouts/, static/ and assets/.
//
//go:embed layouts static assets
var FS embed.FS
