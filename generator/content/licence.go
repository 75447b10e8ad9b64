package content

// A story's rights.license is any current SPDX licence identifier (the list
// go-spdx carries, so a new SPDX release is a dependency update, not a code
// change), or one of the site's own licence names from site.toml (such as
// "granted-to-destination"). A deprecated SPDX id still passes, with a
// warning naming the id that replaced it: "LGPL-3.0" means "LGPL-3.0-only".

import (
	"strings"

	"github.com/github/go-spdx/v2/spdxexp/spdxlicenses"

	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/frontmatter"
)

// checkLicence reports an unknown licence as an error and a deprecated one
// as a warning, at the license line of rt.
func (r *reader) checkLicence(rt *frontmatter.Fields, id string) {
	pos := rt.Pos("license")
	for _, own := range r.o.Licences {
		if id == own {
			return
		}
	}
	if ok, canonical := spdxlicenses.IsActiveLicense(id); ok {
		if canonical != id {
			r.errs.Add(pos, "rights.license %q is not a known licence; did you mean %q?", id, canonical)
		}
		return
	}
	if ok, canonical := spdxlicenses.IsDeprecatedLicense(id); ok {
		if canonical != id {
			r.errs.Add(pos, "rights.license %q is not a known licence; did you mean %q?", id, canonical)
			return
		}
		if current := currentLicence(id); current != "" {
			r.warns.Warn(pos, "rights.license %q is a deprecated SPDX id: write %q", id, current)
		} else {
			r.warns.Warn(pos, "rights.license %q is a deprecated SPDX id: see spdx.org/licenses for the current one", id)
		}
		return
	}
	msg := "rights.license %q is not a known licence: use an SPDX id such as \"CC-BY-4.0\""
	if len(r.o.Licences) > 0 {
		msg += " or one of site.toml's licenses (" + strings.Join(r.o.Licences, ", ") + ")"
	}
	hint := diag.DidYouMean(id, r.o.Licences)
	if hint == "" {
		hint = diag.DidYouMean(id, spdxlicenses.GetLicenses())
	}
	r.errs.Add(pos, msg+"%s", id, hint)
}

// currentLicence names the SPDX id that replaced a deprecated one, when
// SPDX's renaming rule gives one: "GPL-2.0" became "GPL-2.0-only" and
// "GPL-2.0+" "GPL-2.0-or-later".
func currentLicence(id string) string {
	try := []string{id + "-only"}
	if base, ok := strings.CutSuffix(id, "+"); ok {
		try = []string{base + "-or-later"}
	}
	for _, t := range try {
		if ok, canonical := spdxlicenses.IsActiveLicense(t); ok {
			return canonical
		}
	}
	return ""
}
