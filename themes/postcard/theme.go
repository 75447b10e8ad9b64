// Package theme embeds Postcard's default theme, so a site outside this
// repository builds with it and a site's themes/postcard/ folder, when
// present, still overrides it file by file.
//
// The theme's stylesheet is embedded compiled (assets/compiled/), with the
// digest of the SCSS it came from, so a site that uses it with its brand
// needs no Dart Sass: the brand arrives as CSS custom properties. After
// changing the SCSS, `make theme-css` compiles it again; a test in
// generator/assets fails until it has.
package theme

import "embed"

// FS holds layouts/, static/, assets/ and i18n/. "all:" keeps files whose names
// start with "_", such as Sass partials, which embed leaves out by default.
//
//go:embed all:layouts all:static all:assets all:i18n
var FS embed.FS
