package build

import (
	"errors"
	"strings"

	"github.com/postcard-ssg/postcard/generator/config"
	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/site"
)

// prefixes maps each language to its URL folder.
func prefixes(cfg *config.Config) map[string]string {
	out := map[string]string{}
	for _, l := range cfg.Languages {
		out[l.Code] = l.Prefix
	}
	return out
}

// otherLanguages builds the site model in each language but the default,
// from the content as that language shows it. What they share with the
// default language's model (references, dates, media) was checked and
// reported with it, so only problems in translation files are kept.
func otherLanguages(cfg *config.Config, c *content.Content, o site.Options, errs *diag.List) ([]*site.Site, []*diag.Error) {
	var sites []*site.Site
	var warns []*diag.Error
	for _, l := range cfg.Languages[1:] {
		lo := o
		lo.Lang = l.Code
		s, err := site.Build(cfg.In(l.Code), c.In(l.Code), lo)
		var list *diag.ListError
		if errors.As(err, &list) {
			for _, e := range list.Errs {
				if isTranslation(e.Pos.File, l.Code) {
					errs.Add(e.Pos, "%s", e.Msg)
				}
			}
		} else if err != nil {
			errs.AddErr(diag.Pos{File: content.Dir}, err)
		}
		if s == nil {
			continue
		}
		for _, w := range s.Warnings {
			if isTranslation(w.Pos.File, l.Code) {
				warns = append(warns, w)
			}
		}
		sites = append(sites, s)
	}
	return sites, warns
}

// isTranslation reports whether file is a translation into lang.
func isTranslation(file, lang string) bool {
	return strings.HasSuffix(file, "."+lang+".md")
}
