package build

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

// TestSubmissionsManifest: a site with [submissions] enabled gives its
// function the form's rules, the contests' submission windows and the
// rendered form page.
func TestSubmissionsManifest(t *testing.T) {
	ar := txtar.Parse(loadFixture(t, "basic"))
	for i, f := range ar.Files {
		if f.Name == "site.toml" {
			ar.Files[i].Data = append(append([]byte(nil), f.Data...), []byte("[submissions]\nenabled = true\nform_quota = 3\n[submissions.consent]\nversion = \"2026-06\"\nen = \"I agree.\"\n")...)
		}
	}
	res, err := Run(context.Background(), Options{Source: writeSite(t, txtar.Format(ar)), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Manifest.Submissions
	if s == nil || !s.Enabled {
		t.Fatalf("no submissions section: %s", manifestJSON(t, res))
	}
	if s.FormQuota != 3 || s.NetworkQuota != 20 || s.MaxPhotos != 4 || s.MaxPixels != 60_000_000 || s.ConsentVersion != "2026-06" ||
		s.Consent["en"] != "I agree." || s.FormURLs["en"] != "https://lake.example/submit/" || s.ThanksURLs["en"] != "https://lake.example/submit/thanks/" {
		t.Errorf("section: %+v", s)
	}
	if !strings.Contains(s.FormPages["en"], `id="submit-form"`) {
		t.Errorf("the rendered form page is not in the manifest")
	}
	c := s.Contest("autumn")
	if c == nil {
		t.Fatalf("no autumn contest: %+v", s.Contests)
	}
	hel, _ := time.LoadLocation("Europe/Helsinki")
	if c.Opens.IsZero() || !c.Closes.After(c.Opens) || c.Closes.In(hel).Hour() != 0 || c.Challenge != 20 {
		t.Errorf("autumn window: %+v", c)
	}
	// Without [submissions] the manifest has no section.
	if res := mustBuild(t, "basic", Options{}); res.Manifest.Submissions != nil {
		t.Error("a site without [submissions] has a submissions section")
	}
}
