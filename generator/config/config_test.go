package config

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

func TestFontLists(t *testing.T) {
	good := []string{
		"serif",
		"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
		`Georgia, "Times New Roman", serif`,
		"Fira Sans Condensed, sans-serif",
		"'1942 report', monospace",
		"Noto Sans JP, sans-serif",
	}
	bad := map[string]string{
		"serif /*":                     `holds '/'`,
		"serif; } body { display:none": `holds ';'`,
		"Georgia,, serif":              "family 2 is empty",
		`"Open Sans`:                   "not closed",
		`"a\"b", serif`:                "not closed",
		`'a"b'`:                        "may not hold quotes",
		"1942 report":                  "must be quoted",
		"--x":                          "must be quoted",
		"url(x)":                       `holds '('`,
		"a\nb":                         "line break",
		"":                             "family 1 is empty",
		strings.Repeat("a", 301):       "longer than",
		`"x" serif`:                    "not closed",
	}
	for _, s := range good {
		if err := checkFontList(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for s, want := range bad {
		if err := checkFontList(s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", s, err, want)
		}
	}
}

func TestLogo(t *testing.T) {
	fsys := fstest.MapFS{
		"static/logo.svg":               {Data: []byte("<svg/>")},
		"static/brand/mark.png":         {Data: []byte("png")},
		"static/dir.svg/x":              {Data: []byte("x")},
		"static/inside.svg":             {Data: []byte("brand/mark.png"), Mode: fs.ModeSymlink},
		"static/outside.svg":            {Data: []byte("../content/stories/x/private.svg"), Mode: fs.ModeSymlink},
		"static/abs.svg":                {Data: []byte("/etc/passwd.svg"), Mode: fs.ModeSymlink},
		"static/via":                    {Data: []byte("../content"), Mode: fs.ModeSymlink},
		"content/stories/x/private.svg": {Data: []byte("<svg/>")},
		"themes/own/static/t.svg":       {Data: []byte("<svg/>")},
		"logo.svg":                      {Data: []byte("<svg/>")},
	}
	good := []struct{ logo, theme string }{
		{"logo.svg", "postcard"}, {"brand/mark.png", "postcard"}, {"inside.svg", "postcard"}, {"t.svg", "own"},
	}
	for _, g := range good {
		if err := checkLogo(fsys, g.logo, g.theme); err != nil {
			t.Errorf("%q: %v", g.logo, err)
		}
	}
	bad := map[string]string{
		"/evil.example/x.svg":        "not a URL or an absolute path",
		"//evil.example/x.svg":       "not a URL or an absolute path",
		"https://evil.example/x.svg": "not a URL",
		"../logo.svg":                `no ".."`,
		"./logo.svg":                 `no ".."`,
		"brand//mark.png":            `no ".."`,
		"logo.svg?x=1":               "letters, digits",
		"logo.txt":                   "one of .svg",
		"missing.svg":                "is not a file in static/",
		"dir.svg":                    "not a regular file",
		"outside.svg":                "leading out of static/",
		"abs.svg":                    "leading out of static/",
		"via/stories/x/private.svg":  "leading out of static/",
	}
	for logo, want := range bad {
		if err := checkLogo(fsys, logo, "postcard"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", logo, err, want)
		}
	}
}

// TestBrandErrorsArePlaced: brand mistakes are reported at their key's line.
func TestBrandErrorsArePlaced(t *testing.T) {
	fsys := fstest.MapFS{"site.toml": {Data: []byte("title = \"T\"\n[brand]\nfont_body = \"serif /*\"\nlogo = \"/evil.example/x.svg\"\nfont_heading = \"Georgia, serif\"\n")}}
	_, err := Load(fsys)
	for _, want := range []string{
		`site.toml:3:1: brand.font_body "serif /*" must be a font list`,
		`site.toml:4:1: brand.logo "/evil.example/x.svg" must be the path of an image file in static/`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v\nwant %s", err, want)
		}
	}
	fsys["static/logo.svg"] = &fstest.MapFile{Data: []byte("<svg/>")}
	fsys["site.toml"] = &fstest.MapFile{Data: []byte("[brand]\nlogo = \"logo.svg\"\nfont_body = \"'Segoe UI', serif\"\n")}
	c, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if c.Brand.Logo != "logo.svg" || c.Brand.FontBody != "'Segoe UI', serif" {
		t.Errorf("brand = %+v", c.Brand)
	}
}

// TestKeysAfterATable: a top-level setting written below a [table] header
// belongs to that table in TOML, and the error says so instead of
// reporting an unknown table key.
func TestKeysAfterATable(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"appended", "title = \"T\"\n[brand]\nprimary = \"#123456\"\npagination = 20\n",
			"site.toml:4:1: pagination is a top-level setting, but it is written after [brand], so TOML puts it in that table: move it above the first [table] line"},
		{"appended and misspelt", "[images]\nquality = 80\n\npaginaton = 20\n",
			`site.toml:4:1: unknown field "images.paginaton": TOML puts a key written after [images] in that table; if you meant the top-level setting "pagination", move it above the first [table] line`},
		{"after the last of several tables", "[brand]\naccent = \"#aa0000\"\n[social]\ntwitter = \"@x\"\ntimezone = \"Europe/Helsinki\"\n",
			"site.toml:5:1: timezone is a top-level setting, but it is written after [social], so TOML puts it in that table: move it above the first [table] line"},
		{"a table's own typo", "[brand]\nprimay = \"#123456\"\n",
			`site.toml:2:1: unknown field "brand.primay"; did you mean "primary"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src))
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v\nwant  %s", err, tt.want)
			}
		})
	}
}
