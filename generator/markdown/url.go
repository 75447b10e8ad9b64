package markdown

import (
	"net/url"
	"strings"
)

// URLKind is what a URL written by a contributor turns out to be once it is
// read the way a browser reads it. ClassifyURL is the one place that decides
// whether such a URL may be published; every href and src a body writes, in
// pages and in feeds, goes through it.
type URLKind int

// The kinds of URL. The zero value is URLRefused, so a URL nobody decided on
// is never written.
const (
	// URLRefused has a scheme outside the allowlist (javascript:, vbscript:,
	// data:, file:, ftp:, anything else): it is never written.
	URLRefused URLKind = iota
	// URLLocal is a path, a #fragment or a ?query on the site itself.
	URLLocal
	// URLExternal is an http: or https: URL, or a protocol-relative //host one.
	URLExternal
	// URLMail is a mailto: address.
	URLMail
)

// ClassifyURL decides on u, the URL exactly as it will be written in an
// attribute: with the body's backslash escapes and entity references already
// resolved (a destination written javascript\:x or javascript&colon;x is
// javascript:x by then).
//
// It is an allowlist, and deliberately stricter than a browser: it ignores
// every ASCII space and control character (browsers drop tabs and newlines
// anywhere, "java\tscript:"), percent-decodes, reads a backslash as a slash,
// and then takes anything before the first "/", "?" or "#" that ends in a
// colon for a scheme, which must be http, https or mailto in any case. So a
// relative path whose first segment holds a colon, even percent-encoded,
// is refused too; "./a:b" is the way to write one.
func ClassifyURL(u string) URLKind {
	s := strings.Map(dropSpace, u)
	for range 3 { // %256A is %6A is j
		d, err := url.PathUnescape(s)
		if err != nil || d == s {
			break
		}
		s = strings.Map(dropSpace, d)
	}
	s = strings.ReplaceAll(s, `\`, "/")
	if i := strings.IndexAny(s, ":/?#"); i >= 0 && s[i] == ':' {
		switch strings.ToLower(s[:i]) {
		case "http", "https":
			return URLExternal
		case "mailto":
			return URLMail
		}
		return URLRefused
	}
	if strings.HasPrefix(s, "//") {
		return URLExternal
	}
	return URLLocal
}

// dropSpace drops ASCII spaces and control characters, for strings.Map.
func dropSpace(r rune) rune {
	if r <= ' ' || r == 0x7f {
		return -1
	}
	return r
}
