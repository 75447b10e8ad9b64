package theme

import "embed"

// Fonts holds fonts/: the OFL-licensed fonts social cards are set in (see
// fonts/README.md). They are apart from FS because a card is composed by
// the build, not served, and a site's theme folder does not replace them.
//
//go:embed fonts/*.ttf fonts/*.otf
var Fonts embed.FS
