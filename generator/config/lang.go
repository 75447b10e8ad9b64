package config

import (
	"cmp"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/postcard-ssg/postcard/generator/frontmatter"
)

// Language is one language the site speaks, from site.toml's
// [languages.CODE] table: the site's title, description and menu in it,
// and where its pages live.
type Language struct {
	Code        string // "fi", a BCP 47 tag
	Title       string
	Description string
	Weight      int
	// Prefix is the language's URL folder: "" for the root, "/fi" for
	// /fi/stories/…. Never ends in "/".
	Prefix string
	// Menu lists the language's own menu entries, by weight; empty uses
	// the pages whose front matter puts them in the menu.
	Menu []MenuEntry
}

// MenuEntry is a link of a language's menu.
type MenuEntry struct {
	Name   string
	URL    string // a site path or an absolute URL
	Weight int
}

// Multilingual reports whether the site declares more than one language.
func (c *Config) Multilingual() bool { return len(c.Languages) > 1 }

// LanguageCodes lists the site's languages, the default first.
func (c *Config) LanguageCodes() []string {
	if len(c.Languages) == 0 {
		return []string{c.Language}
	}
	out := make([]string, len(c.Languages))
	for i, l := range c.Languages {
		out[i] = l.Code
	}
	return out
}

// In returns the configuration as seen from lang: its title, description
// and language code in place of the default's. Unknown lang returns c.
func (c *Config) In(lang string) *Config {
	for _, l := range c.Languages {
		if l.Code == lang {
			cp := *c
			cp.Language = l.Code
			cp.Title = cmp.Or(l.Title, c.Title)
			cp.Description = cmp.Or(l.Description, c.Description)
			return &cp
		}
	}
	return c
}

// LanguageOf returns the language called code, and whether there is one.
func (c *Config) LanguageOf(code string) (Language, bool) {
	for _, l := range c.Languages {
		if l.Code == code {
			return l, true
		}
	}
	return Language{}, false
}

// validLanguage reports whether code is a well-formed language tag that
// names a language: "en", "fi", "pt-BR".
func validLanguage(code string) bool {
	if !langRe.MatchString(code) {
		return false
	}
	t, err := language.Parse(code)
	if err != nil {
		return false
	}
	b, conf := t.Base()
	return conf != language.No && b.String() != "und"
}

// languages reads [languages.CODE] tables. Without any, the site speaks
// its one top-level language at the root, as it always has.
func (c *Config) languages(f *frontmatter.Fields) {
	c.Languages = []Language{{Code: c.Language, Title: c.Title, Description: c.Description}}
	inSubdir := f.Bool("default_language_in_subdir", false)
	t := f.Table("languages", false)
	if t == nil {
		if inSubdir {
			f.Errorf("default_language_in_subdir", "default_language_in_subdir needs [languages] tables")
		}
		return
	}
	var langs []Language
	for _, code := range t.Keys() {
		lt := t.Table(code, true)
		if !validLanguage(code) {
			t.Errorf(code, "[languages.%s]: %q is not a language code such as \"en\", \"fi\" or \"pt-BR\"", code, code)
		}
		if lt == nil {
			continue
		}
		l := Language{Code: code}
		l.Title = cmp.Or(lt.String("title", false), c.Title)
		l.Description = cmp.Or(lt.String("description", false), c.Description)
		l.Weight = int(lt.Int("weight", 0, -1000, 1000))
		l.Prefix = "/" + code
		if lt.Has("prefix") {
			p := strings.Trim(lt.String("prefix", false), "/")
			if p != "" && !prefixRe.MatchString(p) {
				lt.Errorf("prefix", "languages.%s.prefix %q must be one folder name of lower-case letters, digits and hyphens, or \"\" for the root", code, p)
			}
			l.Prefix = ""
			if p != "" {
				l.Prefix = "/" + p
			}
		}
		for _, m := range lt.Tables("menu") {
			e := MenuEntry{Name: m.String("name", true), URL: m.String("url", true), Weight: int(m.Int("weight", 0, -1000, 1000))}
			if e.URL != "" && !strings.HasPrefix(e.URL, "/") && !strings.HasPrefix(e.URL, "https://") && !strings.HasPrefix(e.URL, "http://") {
				m.Errorf("url", "a menu url is a site path such as \"/fi/about/\" or an http(s) URL, not %q", e.URL)
			}
			m.Done()
			l.Menu = append(l.Menu, e)
		}
		slices.SortStableFunc(l.Menu, func(a, b MenuEntry) int { return cmp.Compare(a.Weight, b.Weight) })
		lt.Done()
		langs = append(langs, l)
	}
	t.Done()
	if len(langs) == 0 {
		return
	}
	// The first by weight, then in file order, is the default.
	slices.SortStableFunc(langs, func(a, b Language) int { return cmp.Compare(a.Weight, b.Weight) })
	if !inSubdir && !hasPrefixSet(t, langs[0].Code) {
		langs[0].Prefix = ""
	}
	seen := map[string]string{}
	for _, l := range langs {
		if prev, dup := seen[l.Prefix]; dup {
			t.Errorf(l.Code, "languages %q and %q both live at %q: give one a different prefix", prev, l.Code, cmp.Or(l.Prefix, "/"))
		}
		seen[l.Prefix] = l.Code
	}
	if f.Has("language") && c.Language != langs[0].Code {
		f.Errorf("language", "language %q is not the default of [languages], %q (the first by weight): remove language or make them agree", c.Language, langs[0].Code)
	}
	c.Languages = langs
	c.Language = langs[0].Code
	c.Title = langs[0].Title
	c.Description = langs[0].Description
	c.DefaultLanguageInSubdir = inSubdir
}

// hasPrefixSet reports whether [languages.code] writes its prefix.
func hasPrefixSet(t *frontmatter.Fields, code string) bool {
	v := t.Value(code)
	if v == nil || v.Map == nil {
		return false
	}
	_, ok := v.Map.Values["prefix"]
	return ok
}
