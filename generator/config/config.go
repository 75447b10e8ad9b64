// Package config reads a site's site.toml.
//
// The configuration is strict: a misspelt key is an error with its line, not a
// setting silently ignored, because a destination's web team edits this file
// by hand and a typo in a brand colour should fail the build, not ship.
// Everything has a sensible default, so a two-line site.toml builds.
package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/frontmatter"
)

// FileName is the configuration file at the root of a site.
const FileName = "site.toml"

// Config is a site's configuration with defaults applied.
type Config struct {
	Title       string
	BaseURL     *url.URL // absolute, ending in "/"
	Language    string
	Description string
	Copyright   string
	Timezone    *time.Location
	Theme       string
	Pagination  int // stories per gallery page
	Brand       Brand
	Images      Images
	Votes       Votes
	Social      Social
	Assets      Assets
	Submissions Submissions // see submissions.go
	// Licenses are the site's own licence names a story's rights.license
	// may use besides SPDX identifiers, such as "granted-to-destination"
	// (the contributor allowed this showcase only to publish).
	Licenses []string
	// Languages are the languages the site speaks, the default first
	// (Language is its code). A site without [languages] tables speaks
	// Language alone, at the root.
	Languages []Language
	// DefaultLanguageInSubdir puts the default language under its prefix
	// too, like the others, instead of at the root.
	DefaultLanguageInSubdir bool
}

// PlaceholderBaseURL is the base_url `postcard new site` writes, for the
// destination to replace; a build warns while it is still there.
const PlaceholderBaseURL = "https://stories.example.org/"

// defaultBaseURL is the base URL of a site.toml without one.
const defaultBaseURL = "http://localhost:1313/"

// BaseURLIsPlaceholder reports whether the base URL is unset (the local
// default) or still PlaceholderBaseURL: canonical links, feeds and the
// voting function's origin are wrong for a published site then.
func (c *Config) BaseURLIsPlaceholder() bool {
	s := c.BaseURL.String()
	return s == defaultBaseURL || s == PlaceholderBaseURL
}

// Brand is the destination's own look, handed to the theme as CSS custom properties.
type Brand struct {
	Logo        string // a file under the site's static/ folder, or empty
	Primary     string
	Accent      string
	Background  string
	Text        string
	FontBody    string
	FontHeading string
}

// Images are the image pipeline's settings. Default sets their defaults,
// for sites and for the image pipeline alike (images.Config fills its zero
// fields from it), so they are set in this one place.
type Images struct {
	Widths    []int
	Formats   []string
	Quality   int
	MaxPixels int64
	MaxBytes  int64
}

// Votes locates the voting function.
type Votes struct {
	Endpoint string // URL path or absolute URL of POST /api/votes
}

// Social holds the destination's own accounts, for social meta tags.
type Social struct {
	Twitter string // "@handle"
	// Cards composes each page's social card (title, teller and
	// destination drawn over the cover); false shares the cover's crop
	// as it is, for a destination that wants no text on shared images or
	// a very large site that must build without composing thousands.
	Cards bool
}

// Assets are the asset pipeline's settings.
type Assets struct {
	SassBinary string // path to the Dart Sass binary; empty finds it
}

// Default returns the configuration of a site whose site.toml is empty.
func Default() *Config {
	u, _ := url.Parse(defaultBaseURL)
	return &Config{
		Title:      "Postcard showcase",
		BaseURL:    u,
		Language:   "en",
		Timezone:   time.UTC,
		Theme:      "postcard",
		Pagination: 12,
		Licenses:   []string{"granted-to-destination"},
		Brand: Brand{
			Primary:     "#1f5f7a",
			Accent:      "#b84c35",
			Background:  "#fbfaf7",
			Text:        "#1c2329",
			FontBody:    "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
			FontHeading: "Georgia, 'Times New Roman', serif",
		},
		Images: Images{
			Widths:    []int{480, 800, 1200, 1600, 2400},
			Formats:   []string{"webp", "jpeg"},
			Quality:   78,
			MaxPixels: 60_000_000,
			MaxBytes:  50 << 20,
		},
		Votes:  Votes{Endpoint: "/api/votes"},
		Social: Social{Cards: true},

		Submissions: defaultSubmissions(),
	}
}

var (
	colourRe = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)
	langRe   = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)
	prefixRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// Load reads FileName from fsys. A missing file is an error; every problem in
// the file is reported, each with its line.
func Load(fsys fs.FS) (*Config, error) {
	src, err := readConfig(fsys)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, diag.Errorf(diag.Pos{File: FileName}, "no %s here: is this a Postcard site? (run postcard from the site's folder or pass --source)", FileName)
		}
		return nil, diag.Errorf(diag.Pos{File: FileName}, "%v", err)
	}
	return parse(src, fsys)
}

// readConfig reads site.toml, refusing one larger than front matter may be
// without reading it all.
func readConfig(fsys fs.FS) ([]byte, error) {
	f, err := fsys.Open(FileName)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, frontmatter.MaxMatter+1))
	if err == nil && len(src) > frontmatter.MaxMatter {
		err = fmt.Errorf("%s is larger than %d bytes", FileName, frontmatter.MaxMatter)
	}
	return src, err
}

// Parse reads a site.toml held in memory. It checks everything but that the
// files it names (the logo) exist: Load does that too.
func Parse(src []byte) (*Config, error) { return parse(src, nil) }

// parse reads src; fsys, the site's folder, is nil when there is none to
// look files up in.
func parse(src []byte, fsys fs.FS) (*Config, error) {
	m, err := frontmatter.Decode(FileName, frontmatter.TOML, src, 1)
	if err != nil {
		return nil, err
	}
	var errs diag.List
	c := Default()
	f := frontmatter.NewFields(m, "", &errs)

	if f.Has("title") {
		c.Title = f.String("title", true)
	}
	if f.Has("base_url") {
		raw := f.String("base_url", true)
		if u, err := ParseBaseURL(raw); err != nil {
			f.Errorf("base_url", "base_url %q %v", raw, err)
		} else {
			c.BaseURL = u
		}
	}
	if f.Has("language") {
		c.Language = f.String("language", true)
		if !langRe.MatchString(c.Language) {
			f.Errorf("language", "language %q is not a language tag such as \"en\" or \"fi\"", c.Language)
		}
	}
	c.Description = f.String("description", false)
	c.Copyright = f.String("copyright", false)
	c.languages(f)
	if f.Has("timezone") {
		name := f.String("timezone", true)
		loc, err := time.LoadLocation(name)
		if err != nil {
			f.Errorf("timezone", "timezone %q is not a known time zone (use a name such as \"Europe/Helsinki\")", name)
		} else {
			c.Timezone = loc
		}
	}
	if f.Has("theme") {
		c.Theme = f.String("theme", true)
		if strings.ContainsAny(c.Theme, `/\.`) {
			f.Errorf("theme", "theme %q must be a folder name under themes/", c.Theme)
		}
	}
	c.Pagination = int(f.Int("pagination", int64(c.Pagination), 1, 500))
	if f.Has("licenses") {
		c.Licenses = nil
		for _, l := range f.Strings("licenses", true) {
			if l = strings.TrimSpace(l); l == "" || strings.ContainsAny(l, " \t\"") {
				f.Errorf("licenses", "licenses holds %q: a licence name is one word such as \"granted-to-destination\"", l)
				continue
			}
			c.Licenses = append(c.Licenses, l)
		}
	}

	if b := f.Table("brand", false); b != nil {
		if logo := b.String("logo", false); logo != "" {
			if err := checkLogo(fsys, logo, c.Theme); err != nil {
				b.Errorf("logo", "brand.logo %q %v", logo, err)
			} else {
				c.Brand.Logo = logo
			}
		}
		colour := func(key string, dst *string) {
			if !b.Has(key) {
				return
			}
			s := b.String(key, true)
			if !colourRe.MatchString(s) {
				b.Errorf(key, "brand.%s %q must be a colour written as #rgb or #rrggbb", key, s)
				return
			}
			*dst = strings.ToLower(s)
		}
		colour("primary", &c.Brand.Primary)
		colour("accent", &c.Brand.Accent)
		colour("background", &c.Brand.Background)
		colour("text", &c.Brand.Text)
		font := func(key string, dst *string) {
			if !b.Has(key) {
				return
			}
			s := b.String(key, true)
			if err := checkFontList(s); err != nil {
				b.Errorf(key, "brand.%s %q must be a font list such as \"Georgia, 'Times New Roman', serif\": %v", key, s, err)
				return
			}
			*dst = s
		}
		font("font_body", &c.Brand.FontBody)
		font("font_heading", &c.Brand.FontHeading)
		b.Misplaced(topLevelKeys())
		b.Done()
	}
	if im := f.Table("images", false); im != nil {
		if im.Has("widths") {
			ws := im.Ints("widths", 16, 8192)
			if len(ws) == 0 {
				im.Errorf("widths", "images.widths must list at least one width")
			} else {
				c.Images.Widths = c.Images.Widths[:0]
				for _, w := range ws {
					c.Images.Widths = append(c.Images.Widths, int(w))
				}
			}
		}
		if im.Has("formats") {
			fs := im.Strings("formats", true)
			var out []string
			for _, s := range fs {
				switch s {
				case "webp", "jpeg", "avif":
					out = append(out, s)
				default:
					im.Errorf("formats", "images.formats holds %q; use \"webp\", \"jpeg\" or \"avif\"", s)
				}
			}
			if len(out) > 0 {
				c.Images.Formats = out
			}
		}
		c.Images.Quality = int(im.Int("quality", int64(c.Images.Quality), 1, 100))
		c.Images.MaxPixels = im.Int("max_pixels", c.Images.MaxPixels, 1, 1<<40)
		c.Images.MaxBytes = im.Int("max_bytes", c.Images.MaxBytes, 1, 1<<40)
		im.Misplaced(topLevelKeys())
		im.Done()
	}
	if v := f.Table("votes", false); v != nil {
		if v.Has("endpoint") {
			c.Votes.Endpoint = v.String("endpoint", true)
			if u, err := url.Parse(c.Votes.Endpoint); err != nil || (u.Scheme == "" && !strings.HasPrefix(u.Path, "/")) || (u.Scheme != "" && u.Scheme != "https" && u.Scheme != "http") {
				v.Errorf("endpoint", "votes.endpoint %q must be a path such as \"/api/votes\" or an https URL", c.Votes.Endpoint)
			}
		}
		v.Misplaced(topLevelKeys())
		v.Done()
	}
	if s := f.Table("social", false); s != nil {
		c.Social.Twitter = s.String("twitter", false)
		c.Social.Cards = s.Bool("cards", c.Social.Cards)
		s.Misplaced(topLevelKeys())
		s.Done()
	}
	if a := f.Table("assets", false); a != nil {
		c.Assets.SassBinary = a.String("sass_binary", false)
		a.Misplaced(topLevelKeys())
		a.Done()
	}
	parseSubmissions(f, c)
	f.Done()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// topLevelKeys are the settings written above site.toml's first table.
func topLevelKeys() []string {
	return []string{"title", "base_url", "language", "description", "copyright", "timezone", "theme", "pagination", "licenses", "default_language_in_subdir"}
}

// ParseBaseURL checks a site's base URL, from site.toml's base_url or a
// build's --base-url alike: an absolute http or https URL. It returns it
// with its path ending in "/" and without query or fragment. Its errors
// complete a sentence that starts with the setting's name and value.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, fmt.Errorf("is not a URL: %v", err)
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		return nil, errors.New("must be an absolute http or https URL")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// Origin is the scheme and host of the base URL, as browsers send it in Origin.
func (c *Config) Origin() string {
	return c.BaseURL.Scheme + "://" + c.BaseURL.Host
}
