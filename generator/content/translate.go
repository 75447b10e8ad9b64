package content

import (
	"regexp"
	"slices"
	"strings"

	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/frontmatter"
	"github.com/postcard-ssg/postcard/generator/markdown"
)

// A translation is a file beside its default-language file, named with the
// language before ".md": index.fi.md beside index.md in a bundle, or
// about.fi.md beside about.md. It writes only what it translates; every
// other field, the bundle's media and the rights block come from the
// default-language file. What decides publication (status) and what ties
// a story to others (ambassador, contest, category) cannot be translated,
// so a translation can never publish a story its default file does not,
// and a contest entry stays one entry in every language.

// langSuffixRe is what a language looks like in a file name.
var langSuffixRe = regexp.MustCompile(`^[a-z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)

// splitLang splits "index.fi.md" into "index.md" and "fi"; a name without
// a language is returned as it is, with "".
func splitLang(name string) (string, string) {
	base := strings.TrimSuffix(name, ".md")
	i := strings.LastIndexByte(base, '.')
	if i < 0 || !langSuffixRe.MatchString(base[i+1:]) {
		return name, ""
	}
	return base[:i] + ".md", base[i+1:]
}

// translatable are, per section, the fields a translation may write.
var translatable = map[string][]string{
	"stories":     {"title", "description", "place", "tags", "cover", "gallery"},
	"ambassadors": {"name", "bio", "home"},
	"contests":    {"title", "description", "cover"},
	"":            {"title", "description", "menu"},
}

// translation reads the translation f of the entry whose default file was
// read as base, into the entry's Translations.
func (r *reader) translation(f file, base *doc, entry any) {
	section := sectionOf(f.path)
	if !slices.Contains(r.o.Languages, f.lang) || (len(r.o.Languages) > 0 && f.lang == r.o.Languages[0]) {
		if len(r.o.Languages) > 0 && f.lang == r.o.Languages[0] {
			r.errs.Add(diag.Pos{File: f.path}, "%q is the site's default language: its text belongs in %s, not in a translation file", f.lang, base.file.path)
			return
		}
		declared := "site.toml declares no languages"
		if len(r.o.Languages) > 1 {
			declared = "site.toml declares " + strings.Join(r.o.Languages, ", ")
		}
		r.errs.Add(diag.Pos{File: f.path}, "translation into %q, a language the site does not speak (%s): add [languages.%s] to site.toml or rename the file", f.lang, declared, f.lang)
		return
	}
	d, ok := r.read(f)
	if !ok {
		return
	}
	allowed := translatable[section]
	top := d.fields.Map()
	for _, k := range top.Keys {
		if !slices.Contains(allowed, k) {
			r.errs.Add(top.KeyPos[k], "%s is not translated: a translation takes it from %s (a translation may set %s)", k, base.file.path, strings.Join(allowed, ", "))
		}
	}
	merged := &frontmatter.Map{Pos: top.Pos, Values: map[string]*frontmatter.Value{}, KeyPos: map[string]diag.Pos{}}
	for _, m := range []*frontmatter.Map{base.fields.Map(), top} {
		for _, k := range m.Keys {
			if m == top && !slices.Contains(allowed, k) {
				continue
			}
			if _, ok := merged.Values[k]; !ok {
				merged.Keys = append(merged.Keys, k)
			}
			merged.Values[k] = m.Values[k]
			merged.KeyPos[k] = m.KeyPos[k]
		}
	}
	inherited := map[string]bool{}
	for _, k := range base.fields.Map().Keys {
		if _, ok := top.Values[k]; !ok || !slices.Contains(allowed, k) {
			inherited[k] = true
		}
	}
	// The fields it inherits were checked, and reported, with the default
	// file: keep only what is wrong in the translation itself.
	var errs, warns diag.List
	sub := &reader{fsys: r.fsys, o: r.o, errs: &errs, warns: &warns}
	td := &doc{file: f, fields: frontmatter.NewFields(merged, "", &errs), body: d.body, bodyLine: d.bodyLine}
	if blankBody(d.body) {
		td.body, td.bodyLine = base.body, base.bodyLine
	}
	ownFile := func(l *diag.List, into *diag.List, warn bool) {
		for _, e := range l.Errors() {
			if e.Pos.File != f.path {
				continue
			}
			if warn {
				into.Warn(e.Pos, "%s", e.Msg)
			} else {
				into.Add(e.Pos, "%s", e.Msg)
			}
		}
	}
	defer ownFile(&warns, r.warns, true)
	defer ownFile(&errs, r.errs, false)
	switch e := entry.(type) {
	case *Story:
		if s := sub.story(f, td); s != nil {
			// What publishes a story is its default file's alone.
			s.Status, s.Rights, s.Lang = e.Status, e.Rights, f.lang
			s.Inherited, s.DefaultLang = inherited, e.Lang
			s.Contest, s.Category = e.Contest, e.Category
			if td.body == base.body {
				s.BodyLang = e.Lang
			}
			e.Translations = append(e.Translations, s)
		}
	case *Ambassador:
		if a := sub.ambassador(f, td); a != nil {
			a.Lang = f.lang
			a.Inherited, a.DefaultLang = inherited, e.Lang
			e.Translations = append(e.Translations, a)
		}
	case *Contest:
		if k := sub.contest(f, td); k != nil {
			k.Lang = f.lang
			k.Inherited, k.DefaultLang = inherited, e.Lang
			e.Translations = append(e.Translations, k)
		}
	case *Page:
		if p := sub.page(f, td); p != nil {
			p.Lang = f.lang
			p.Inherited, p.DefaultLang = inherited, e.Lang
			if td.body == base.body {
				p.BodyLang = e.Lang
			}
			e.Translations = append(e.Translations, p)
		}
	}
}

// blankBody reports whether a translation leaves the text to the default file.
func blankBody(d *markdown.Doc) bool {
	return d == nil || strings.TrimSpace(d.Text(1)) == ""
}

// In is the content as a site in lang shows it: each story, ambassador,
// contest and page in its translation into lang when it has one, in its
// default language otherwise. The default language's In is c itself.
func (c *Content) In(lang string) *Content {
	out := &Content{Warnings: c.Warnings}
	out.Stories = pick(c.Stories, lang, func(s *Story) []*Story { return s.Translations }, func(s *Story) string { return s.Lang })
	out.Ambassadors = pick(c.Ambassadors, lang, func(a *Ambassador) []*Ambassador { return a.Translations }, func(a *Ambassador) string { return a.Lang })
	out.Contests = pick(c.Contests, lang, func(k *Contest) []*Contest { return k.Translations }, func(k *Contest) string { return k.Lang })
	out.Pages = pick(c.Pages, lang, func(p *Page) []*Page { return p.Translations }, func(p *Page) string { return p.Lang })
	return out
}

func pick[T any](in []T, lang string, translations func(T) []T, langOf func(T) string) []T {
	out := make([]T, len(in))
	for i, x := range in {
		out[i] = x
		for _, t := range translations(x) {
			if langOf(t) == lang {
				out[i] = t
			}
		}
	}
	return out
}
