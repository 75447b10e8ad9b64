package config

import (
	"strings"
	"testing"
)

func TestSubmissions(t *testing.T) {
	c, err := Parse([]byte(`language = "fi"
[submissions]
enabled = true
max_photos = 6
form_quota = 3
[submissions.consent]
version = "2026-06"
fi = "Hyväksyn."
en = "I agree."
`))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Submissions
	if !s.Enabled || s.MaxPhotos != 6 || s.MaxSide != 2048 || s.FormQuota != 3 || s.NetworkQuota != 20 || s.MaxRequestBytes != 0 ||
		s.ConsentVersion != "2026-06" || s.Consent["fi"] != "Hyväksyn." || s.Consent["en"] != "I agree." {
		t.Errorf("%+v", s)
	}
	if d, _ := Parse(nil); d.Submissions.Enabled || d.Submissions.MaxPhotos != 4 {
		t.Errorf("default: %+v", d.Submissions)
	}
}

func TestSubmissionsErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"[submissions]\nenabled = true\n", `missing required field "submissions.consent"`},
		{"[submissions]\nenabled = true\n[submissions.consent]\nen = \"x\"\n", `missing required field "submissions.consent.version"`},
		{"[submissions]\nenabled = true\n[submissions.consent]\nversion = \"1\"\nfi = \"x\"\n", "no text in the site's language"},
		{"[submissions]\nmax_fotos = 3\n", `unknown field "submissions.max_fotos"`},
		{"[submissions]\nmax_photos = 0\n", "max_photos"},
		{"[submissions.consent]\nversion = \"1\"\nen = \"\"\n", "is empty"},
		{"[submissions.consent]\nversion = \"1\"\n\"not a lang!\" = \"x\"\n", "unknown field"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want %q", tt.src, err, tt.want)
		}
	}
}
