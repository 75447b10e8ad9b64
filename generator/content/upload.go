package content

import "github.com/github/go-spdx/v2/spdxexp/spdxlicenses"

// The rules a story's fields follow, for the submission endpoint, which
// checks a post as strictly as check reads a story's front matter.

// LicenceKnown reports whether id is a licence a story's rights.license may
// name without an error: a current SPDX id, a deprecated one written
// exactly, or one of the site's own licence names.
func LicenceKnown(id string, own []string) bool {
	for _, o := range own {
		if id == o {
			return true
		}
	}
	if ok, canonical := spdxlicenses.IsActiveLicense(id); ok {
		return canonical == id
	}
	ok, canonical := spdxlicenses.IsDeprecatedLicense(id)
	return ok && canonical == id
}

// Slug reports whether s is a slug as content/ names folders and contest
// categories.
func Slug(s string) bool { return len(s) <= MaxSlug && slugRe.MatchString(s) }
