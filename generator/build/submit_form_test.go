package build

import (
	"strings"
	"testing"
)

// The form page offers exactly what the function accepts: the manifest's
// licences, the open contests with their categories, the photo fields up
// to max_photos, and the consent text with its version as the checkbox's
// value; the function gets the rendered page and the messages.
func TestSubmitForm(t *testing.T) {
	res := mustBuild(t, "submit-form", Options{})
	page := file(t, res, "submit/index.html")
	assertLines(t, res, "submit/index.html",
		`<h1>Send a story</h1>`,
		`<div id="form-errors" class="form-errors" tabindex="-1" hidden></div>`,
		`method="post" enctype="multipart/form-data" action="/api/submissions" data-challenge="/api/votes/challenge" data-thanks="/submit/thanks/" data-max-side="1600"`,
		`<input type="hidden" name="lang" value="en">`,
		`<legend>What are you sending? <span class="req">(required)</span></legend>`,
		`<input type="radio" name="kind" value="photo" checked required> Photo</label>`,
		`<label for="f-title">Title <span class="req">(required)</span></label>`,
		`<input id="f-title" name="title" type="text" maxlength="120" required autocomplete="off" aria-describedby="hint-title">`,
		`<p class="field-error" id="error-title" hidden></p>`,
		`<textarea id="f-body" name="body"`,
		`<input id="f-photo_1" name="photo_1" type="file"`,
		`<label for="f-alt_2">Description of photo 2</label>`,
		`<select id="f-contest" name="contest" aria-describedby="hint-contest">`, `<option value="">No contest</option>`, `<option value="autumn">Autumn light</option>`, `</select>`,
		`<optgroup label="Autumn light" data-contest="autumn"><option value="landscape">landscape</option><option value="words">words</option></optgroup>`,
		`never published`,
		`<input id="f-email" name="email" type="email"`,
		`value="granted-to-lakeside" required>`,
		`value="CC-BY-4.0" required> <span><strong>CC-BY-4.0</strong> <span class="note">Anyone may use your work, also commercially, if they credit you.</span>`,
		`<input id="f-consent" type="checkbox" name="consent" value="2026-06" required aria-describedby="hint-consent"> <span>I agree that Lakeside publishes my story &amp; photos &lt;with my name&gt;.</span>`,
		`Version 2026-06 of the terms.`,
	)
	// Every field the function may name has its error slot, and its input.
	for _, f := range []string{"kind", "title", "body", "place", "video", "photo_1", "alt_1", "caption_1", "photo_2", "alt_2", "caption_2", "contest", "category", "name", "email", "license", "consent"} {
		if !strings.Contains(page, `id="error-`+f+`"`) || !strings.Contains(page, `name="`+f+`"`) {
			t.Errorf("the form has no field %s or no error slot for it", f)
		}
	}
	if strings.Contains(page, `name="photo_3"`) {
		t.Error("the form offers more photos than max_photos")
	}
	if strings.Contains(page, `value="summer"`) {
		t.Error("the form offers a closed contest")
	}
	for _, l := range res.Manifest.Submissions.Licences {
		if !strings.Contains(page, `name="license" value="`+l+`"`) {
			t.Errorf("the form does not offer the manifest's licence %s", l)
		}
	}
	if got := res.Manifest.Submissions.FormPages["en"]; got != page {
		t.Error("the manifest does not carry the rendered form page")
	}
	msgs := res.Manifest.Submissions.Messages["en"]
	if msgs["consent"] != "Tick the box to agree, please." || msgs["too_long"] != "This is too long: at most %d." || len(msgs) != len(submissionCodes) {
		t.Errorf("messages: %v", msgs)
	}

	// The open contest links to the form with itself chosen; the closed one does not.
	assertLines(t, res, "contests/autumn/index.html", `<p class="enter"><a class="button" href="/submit/?contest=autumn">Enter this contest</a></p>`)
	assertLines(t, res, "contests/index.html", `<a href="/submit/?contest=autumn">Enter this contest<span class="visually-hidden">: Autumn light</span></a>`)
	if strings.Contains(file(t, res, "contests/summer/index.html"), "/submit/") {
		t.Error("a closed contest links to the form")
	}

	// The thank-you page shows the receipt by script and is left out of the sitemap.
	assertLines(t, res, "submit/thanks/index.html", `<h1>Thank you</h1>`, `data-receipt="Your receipt is {receipt}.`, `<a class="button" href="/submit/">Send another story</a>`, `<script src="/js/thanks.`)
	sitemap := file(t, res, "sitemap.xml")
	if !strings.Contains(sitemap, "https://lake.example/submit/</loc>") || strings.Contains(sitemap, "/submit/thanks/") {
		t.Errorf("sitemap:\n%s", sitemap)
	}
}

// A site that does not take submissions has no form and no links to it.
func TestNoSubmitForm(t *testing.T) {
	res := mustBuild(t, "basic", Options{})
	assertNoFile(t, res, "submit/index.html")
	assertNoFile(t, res, "submit/thanks/index.html")
	for _, name := range []string{"contests/index.html", "contests/autumn/index.html", "index.html"} {
		if strings.Contains(file(t, res, name), "/submit/") {
			t.Errorf("%s links to the form", name)
		}
	}
}

// Each language has its form, in its words and with its consent text, and
// the function gets each language's page, addresses and messages.
func TestSubmitFormLanguages(t *testing.T) {
	res := mustBuild(t, "submit-languages", Options{})
	assertLines(t, res, "fi/submit/index.html",
		`<html lang="fi">`,
		`<h1>Lähetä tarina</h1>`,
		`<input type="hidden" name="lang" value="fi">`,
		`<label for="f-title">Otsikko <span class="req">(pakollinen)</span></label>`,
		`value="2026-06" required aria-describedby="hint-consent"> <span>Hyväksyn, että Järvenranta julkaisee tarinani.</span>`,
		`<button type="submit" class="button">Lähetä tarinasi</button>`,
	)
	assertLines(t, res, "submit/index.html", `<html lang="en">`, `<span>I agree that Lakeside publishes my story.</span>`)
	assertLines(t, res, "fi/submit/thanks/index.html", `<h1>Kiitos</h1>`, `href="/fi/submit/"`)
	assertLines(t, res, "fi/contests/index.html", `href="/fi/submit/?contest=autumn">Osallistu kilpailuun<span class="visually-hidden">: Autumn light</span></a>`)
	sub := res.Manifest.Submissions
	if got := strings.Join(sub.Languages, ","); got != "en,fi" {
		t.Errorf("languages %s", got)
	}
	if sub.FormURLs["fi"] != "https://lake.example/fi/submit/" || sub.ThanksURLs["fi"] != "https://lake.example/fi/submit/thanks/" {
		t.Errorf("fi urls: %s %s", sub.FormURLs["fi"], sub.ThanksURLs["fi"])
	}
	if sub.FormPages["fi"] != file(t, res, "fi/submit/index.html") || sub.FormPages["en"] != file(t, res, "submit/index.html") {
		t.Error("the manifest does not carry each language's form page")
	}
	if sub.Consent["fi"] != "Hyväksyn, että Järvenranta julkaisee tarinani." {
		t.Errorf("fi consent %q", sub.Consent["fi"])
	}
	if sub.Messages["fi"]["consent"] != "Hyväksy ehdot, jotta voit lähettää tarinasi." || sub.Messages["en"]["consent"] != "Please agree to the terms to send your story." {
		t.Errorf("messages: %v", sub.Messages)
	}
}
