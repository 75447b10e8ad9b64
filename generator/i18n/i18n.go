// Package i18n holds the theme's translation strings: every word a layout
// shows that is not content (a button, a heading, a pager's label), in each
// language the site speaks, with plural forms, dates and numbers written the
// way each language writes them.
//
// The strings come from i18n/<lang>.toml files read through the theme
// overlay, key by key: the theme's file is the base and the site's own
// i18n/<lang>.toml replaces the keys it names, so a destination rewords one
// string without copying the file. A key a language lacks falls back to the
// site's default language, then to the theme's English, and Missing lists
// such keys so `check` can name them.
//
// A file holds plain keys and plural tables:
//
//	skip_to_content = "Skip to content"
//	[story_count]
//	one = "{count} story"
//	other = "{count} stories"
//
// "{name}" is replaced by the argument of that name; "{count}" is the count,
// written as the language writes numbers. The plural form is chosen by the
// CLDR rules of golang.org/x/text/feature/plural.
package i18n

import (
	"cmp"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	xmessage "golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/frontmatter"
	"github.com/postcard-ssg/postcard/generator/overlay"
)

// Dir is the folder of translation files, in a theme and in a site.
const Dir = "i18n"

// Reference is the language every theme ships complete: the last fallback,
// and the list of keys other languages are checked against.
const Reference = "en"

// MaxFile is the largest translation file read, in bytes.
const MaxFile = 1 << 20

// formNames are the plural tables' keys, CLDR's category names.
var formNames = map[string]plural.Form{
	"zero": plural.Zero, "one": plural.One, "two": plural.Two,
	"few": plural.Few, "many": plural.Many, "other": plural.Other,
}

func formName(f plural.Form) string {
	for n, g := range formNames {
		if g == f {
			return n
		}
	}
	return "other"
}

// message is one key's text: a plain string is the form Other alone.
type message struct {
	forms  map[plural.Form]string
	plural bool
	pos    diag.Pos
}

// Catalog is the translation strings of every language of a site.
type Catalog struct {
	def   string
	langs []string
	msgs  map[string]map[string]*message // language -> key -> message
}

// Load reads i18n/<lang>.toml for each of langs, and the reference
// English, from every layer of theme, the site's keys over its theme's.
// def is the site's default language, the first fallback. Every problem in
// every file is reported, each at its line.
func Load(theme *overlay.FS, langs []string, def string) (*Catalog, error) {
	c := &Catalog{def: def, langs: slices.Clone(langs), msgs: map[string]map[string]*message{}}
	var errs diag.List
	all := slices.Clone(langs)
	if !slices.Contains(all, Reference) {
		all = append(all, Reference)
	}
	for _, lang := range all {
		name := Dir + "/" + lang + ".toml"
		copies, err := theme.ReadEach(name)
		if err != nil {
			errs.AddErr(diag.Pos{File: name}, err)
			continue
		}
		msgs := map[string]*message{}
		for _, cp := range copies {
			parseFile(cp.Where, cp.Data, msgs, &errs)
		}
		c.msgs[lang] = msgs
	}
	return c, errs.Err()
}

// Parse reads one translation file held in memory, for tests and fuzzing:
// a catalog of that one language.
func Parse(file, lang string, src []byte) (*Catalog, error) {
	var errs diag.List
	msgs := map[string]*message{}
	parseFile(file, src, msgs, &errs)
	return &Catalog{def: lang, langs: []string{lang}, msgs: map[string]map[string]*message{lang: msgs}}, errs.Err()
}

func parseFile(where string, src []byte, into map[string]*message, errs *diag.List) {
	if len(src) > MaxFile {
		errs.Add(diag.Pos{File: where}, "translation file is larger than %d bytes", MaxFile)
		return
	}
	m, err := frontmatter.Decode(where, frontmatter.TOML, src, 1)
	if err != nil {
		errs.AddErr(diag.Pos{File: where}, err)
		return
	}
	for _, key := range m.Keys {
		v := m.Values[key]
		pos := m.KeyPos[key]
		switch v.Kind {
		case frontmatter.KindString:
			into[key] = &message{forms: map[plural.Form]string{plural.Other: v.Str}, pos: pos}
		case frontmatter.KindMap:
			msg := &message{forms: map[plural.Form]string{}, plural: true, pos: pos}
			for _, fk := range v.Map.Keys {
				fv := v.Map.Values[fk]
				f, ok := formNames[fk]
				switch {
				case !ok:
					errs.Add(v.Map.KeyPos[fk], "%s.%s: a plural form is one of zero, one, two, few, many, other", key, fk)
				case fv.Kind != frontmatter.KindString:
					errs.Add(v.Map.KeyPos[fk], "%s.%s must be a string, not %s", key, fk, fv.Kind)
				default:
					msg.forms[f] = fv.Str
				}
			}
			if _, ok := msg.forms[plural.Other]; !ok {
				errs.Add(pos, "%s has no \"other\" form: every plural message needs one", key)
				continue
			}
			into[key] = msg
		default:
			errs.Add(pos, "%s must be a string or a table of plural forms, not %s", key, v.Kind)
		}
	}
}

// Languages are the languages the catalog was loaded for.
func (c *Catalog) Languages() []string { return slices.Clone(c.langs) }

// Missing lists, for each language, the keys the theme's English has that
// the language does not, and the plural forms its rules need that a
// message lacks ("story_count (few)"). A language missing nothing is not
// in the map.
func (c *Catalog) Missing() map[string][]string {
	out := map[string][]string{}
	ref := c.msgs[Reference]
	for _, lang := range c.langs {
		have := c.msgs[lang]
		var miss []string
		for _, key := range slices.Sorted(maps.Keys(ref)) {
			m, ok := have[key]
			if !ok {
				miss = append(miss, key)
				continue
			}
			if !m.plural && !ref[key].plural {
				continue
			}
			for _, f := range neededForms(lang, key) {
				if _, ok := m.forms[f]; !ok {
					miss = append(miss, key+" ("+formName(f)+")")
				}
			}
		}
		if len(miss) > 0 {
			out[lang] = miss
		}
	}
	return out
}

// Warnings are Missing as build warnings, one per language.
func (c *Catalog) Warnings() []*diag.Error {
	var out []*diag.Error
	miss := c.Missing()
	for _, lang := range slices.Sorted(maps.Keys(miss)) {
		keys := miss[lang]
		out = append(out, &diag.Error{
			Pos:      diag.Pos{File: Dir + "/" + lang + ".toml"},
			Msg:      fmt.Sprintf("%d translation %s missing in %q, shown in %s instead: %s", len(keys), pluralEn(len(keys), "string", "strings"), lang, c.fallbackName(lang), strings.Join(keys, ", ")),
			Severity: diag.SeverityWarning,
		})
	}
	return out
}

func (c *Catalog) fallbackName(lang string) string {
	if lang != c.def {
		return fmt.Sprintf("%q", c.def)
	}
	return fmt.Sprintf("%q", Reference)
}

func pluralEn(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// OrdinalKey is the message that writes a place in a ranking ("1st"),
// whose forms follow the language's ordinal rules, not its cardinal ones.
const OrdinalKey = "ordinal"

// rulesFor are the plural rules that choose key's form.
func rulesFor(key string) *plural.Rules {
	if key == OrdinalKey {
		return plural.Ordinal
	}
	return plural.Cardinal
}

// neededForms are the plural forms lang's rules for key give whole numbers.
func neededForms(lang, key string) []plural.Form {
	tag := language.Make(lang)
	rules := rulesFor(key)
	seen := map[plural.Form]bool{}
	for n := range 1001 {
		seen[rules.MatchPlural(tag, n, 0, 0, 0, 0)] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

// Translator speaks one language.
type Translator struct {
	c     *Catalog
	lang  string
	tag   language.Tag
	print *xmessage.Printer
}

// Translator returns the translator for lang.
func (c *Catalog) Translator(lang string) *Translator {
	tag := language.Make(lang)
	return &Translator{c: c, lang: lang, tag: tag, print: xmessage.NewPrinter(tag)}
}

// Lang is the translator's language.
func (t *Translator) Lang() string { return t.lang }

// lookup finds key in the language, the default language, then English.
func (t *Translator) lookup(key string) (*message, string, bool) {
	for _, lang := range []string{t.lang, t.c.def, Reference} {
		if m, ok := t.c.msgs[lang][key]; ok {
			return m, lang, true
		}
	}
	return nil, "", false
}

// Has reports whether key has a translation in any fallback language.
func (t *Translator) Has(key string) bool {
	_, _, ok := t.lookup(key)
	return ok
}

// T translates key. args are nothing, a count (any integer) that chooses
// the plural form and fills {count}, or a map of named arguments, where a
// "count" entry does the same.
func (t *Translator) T(key string, args ...any) (string, error) {
	m, lang, ok := t.lookup(key)
	if !ok {
		return "", fmt.Errorf("no translation string %q in %s/%s.toml or the theme's", key, Dir, t.lang)
	}
	// Most strings take no argument: nil is a map to read from, and no
	// allocation on each of the many calls a page makes.
	var named map[string]any
	switch len(args) {
	case 0:
	case 1:
		switch a := args[0].(type) {
		case map[string]any:
			named = a
		default:
			if _, ok := toInt(a); !ok {
				return "", fmt.Errorf("T %q: the argument must be a count or a dict, not %T", key, a)
			}
			named = map[string]any{"count": a}
		}
	default:
		return "", fmt.Errorf("T %q: at most one argument (a count or a dict), not %d", key, len(args))
	}
	text := m.forms[plural.Other]
	if n, ok := toInt(named["count"]); ok && m.plural {
		f := rulesFor(key).MatchPlural(language.Make(lang), abs(n), 0, 0, 0, 0)
		text = cmp.Or(m.forms[f], text)
	}
	return t.fill(key, text, named)
}

// fill replaces each {name} with its argument.
func (t *Translator) fill(key, text string, named map[string]any) (string, error) {
	if !strings.Contains(text, "{") {
		return text, nil
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		b.WriteString(text[:i])
		name := text[i+1 : i+j]
		v, ok := named[name]
		if !ok {
			return "", fmt.Errorf("translation string %q uses {%s}, which the layout does not pass", key, name)
		}
		b.WriteString(t.format(v))
		text = text[i+j+1:]
	}
}

func (t *Translator) format(v any) string {
	if n, ok := toInt(v); ok {
		return t.Number(n)
	}
	switch x := v.(type) {
	case string:
		return x
	case time.Time:
		return t.Date(x)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// Ordinal writes a place in a ranking: "2nd" in English, "2." in Finnish.
func (t *Translator) Ordinal(n int) string {
	s, err := t.T(OrdinalKey, n)
	if err != nil {
		return strconv.Itoa(n)
	}
	return s
}

// Forms returns key's plural forms by CLDR name ("one", "other"), or its
// one text as "other", for scripts that choose the form themselves.
func (t *Translator) Forms(key string) map[string]string {
	m, _, ok := t.lookup(key)
	if !ok {
		return nil
	}
	out := map[string]string{}
	for f, s := range m.forms {
		out[formName(f)] = s
	}
	return out
}

// Number writes n as the language does: 1,234 in English, 1 234 in Finnish.
func (t *Translator) Number(n int) string {
	return t.print.Sprint(number.Decimal(n))
}

// Date writes a day as the language does, from the keys date_format
// ("{day} {month} {year}") and month_1 … month_12.
func (t *Translator) Date(d time.Time) string {
	fm, _, ok := t.lookup("date_format")
	if !ok {
		return d.Format("2 January 2006")
	}
	month := d.Month().String()
	if m, _, ok := t.lookup("month_" + strconv.Itoa(int(d.Month()))); ok {
		month = m.forms[plural.Other]
	}
	s, err := t.fill("date_format", fm.forms[plural.Other], map[string]any{
		"day": strconv.Itoa(d.Day()), "month": month, "year": strconv.Itoa(d.Year()),
	})
	if err != nil {
		return d.Format("2 January 2006")
	}
	return s
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case int32:
		return int(n), true
	case uint:
		return int(n), true
	case uint64:
		return int(n), true
	}
	return 0, false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// LayoutKeys lists the keys a layout names as {{ T "key" … }} literally,
// so a test can check that the theme's English has each.
func LayoutKeys(fsys fs.FS, dir string) (map[string][]string, error) {
	out := map[string][]string{}
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		s := string(b)
		for {
			i := strings.Index(s, `T "`)
			if i < 0 {
				break
			}
			if i > 0 && !strings.ContainsAny(s[i-1:i], "{( ") {
				s = s[i+3:]
				continue
			}
			s = s[i+3:]
			j := strings.IndexByte(s, '"')
			if j < 0 {
				break
			}
			out[s[:j]] = append(out[s[:j]], p)
			s = s[j:]
		}
		return nil
	})
	return out, err
}
