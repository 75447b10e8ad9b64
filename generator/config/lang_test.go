package config

import (
	"strings"
	"testing"
)

func TestLanguages(t *testing.T) {
	c, err := Parse([]byte(`title = "Top"
description = "Top description"
[languages.fi]
title = "Järvenranta"
weight = 2
[[languages.fi.menu]]
name = "Tietoa"
url = "/fi/about/"
weight = 2
[[languages.fi.menu]]
name = "Ohjeet"
url = "/fi/help/"
weight = 1
[languages.en]
weight = 1
prefix = ""
[languages.sv]
title = "Sjöstrand"
weight = 2
prefix = "svenska"
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.LanguageCodes(), ","); got != "en,fi,sv" {
		t.Errorf("languages %s, want en,fi,sv (by weight, then file order)", got)
	}
	if c.Language != "en" || c.Title != "Top" || !c.Multilingual() {
		t.Errorf("default: %q %q", c.Language, c.Title)
	}
	fi, _ := c.LanguageOf("fi")
	sv, _ := c.LanguageOf("sv")
	en, _ := c.LanguageOf("en")
	if en.Prefix != "" || fi.Prefix != "/fi" || sv.Prefix != "/svenska" {
		t.Errorf("prefixes %q %q %q", en.Prefix, fi.Prefix, sv.Prefix)
	}
	if fi.Description != "Top description" || len(fi.Menu) != 2 || fi.Menu[0].Name != "Ohjeet" {
		t.Errorf("fi: %+v", fi)
	}
	if in := c.In("fi"); in.Title != "Järvenranta" || in.Language != "fi" || c.Title != "Top" {
		t.Errorf("In(fi): %q %q", in.Title, in.Language)
	}

	sub, err := Parse([]byte("default_language_in_subdir = true\n[languages.en]\n[languages.fi]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if en, _ := sub.LanguageOf("en"); en.Prefix != "/en" {
		t.Errorf("default_language_in_subdir: en at %q", en.Prefix)
	}

	one, err := Parse([]byte("language = \"fi\"\ntitle = \"Yksi\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if one.Multilingual() || strings.Join(one.LanguageCodes(), ",") != "fi" || one.Languages[0].Prefix != "" {
		t.Errorf("one language: %+v", one.Languages)
	}
}

func TestLanguageMistakes(t *testing.T) {
	_, err := Parse([]byte(`language = "fi"
[languages.en]
titel = "Lakeside"
[languages.english]
[languages.fi]
prefix = "a/b"
[[languages.fi.menu]]
name = "x"
url = "javascript:alert(1)"
colour = "red"
[languages.xx-1]
`))
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		`site.toml:3:1: unknown field "languages.en.titel"`,
		`site.toml:4:1: [languages.english]: "english" is not a language code`,
		`site.toml:6:1: languages.fi.prefix "a/b" must be one folder name`,
		`site.toml:9:1: a menu url is a site path`,
		`site.toml:10:1: unknown field "languages.fi.menu[0].colour"`,
		`[languages.xx-1]: "xx-1" is not a language code`,
		`site.toml:1:1: language "fi" is not the default of [languages], "en"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	if _, err := Parse([]byte("default_language_in_subdir = true\n")); err == nil || !strings.Contains(err.Error(), "needs [languages]") {
		t.Errorf("subdir without languages: %v", err)
	}
	if _, err := Parse([]byte("[languages.en]\nprefix = \"x\"\n[languages.fi]\nprefix = \"x\"\n")); err == nil || !strings.Contains(err.Error(), `both live at "/x"`) {
		t.Errorf("same prefix: %v", err)
	}
}
