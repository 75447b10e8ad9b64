package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// writeMistakes writes the build's fixture of every mistake an editor can
// make into a folder, a "#jpeg WxH" file becoming a JPEG of that size.
func writeMistakes(t *testing.T) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("..", "..", "generator", "build", "testdata", "sites", "mistakes.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	stub := regexp.MustCompile(`^#jpeg (\d+)x(\d+)\s*$`)
	dir := t.TempDir()
	for _, f := range ar.Files {
		data := f.Data
		if m := stub.FindSubmatch(data); m != nil {
			w, _ := strconv.Atoi(string(m[1]))
			h, _ := strconv.Atoi(string(m[2]))
			var b bytes.Buffer
			if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h)), nil); err != nil {
				t.Fatal(err)
			}
			data = b.Bytes()
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCheckFormat(t *testing.T, site, format string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := &app{stdout: &out, stderr: &errOut, getwd: os.Getwd, getenv: os.Getenv, now: fixedNow}
	code = a.main(context.Background(), []string{"check", "--source", site, "--no-cache", "--format", format})
	return out.String(), errOut.String(), code
}

// TestCheckFormats checks that every mistake the text report lists is in
// the GitHub annotations and in the JSON, at the same place.
func TestCheckFormats(t *testing.T) {
	site := writeMistakes(t)
	_, text, code := runCheckFormat(t, site, "text")
	if code != exitContent {
		t.Fatalf("text: exit %d, want %d", code, exitContent)
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	lines = lines[:len(lines)-1] // the count
	if len(lines) < 30 {
		t.Fatalf("text lists %d problems, want every one of the fixture's:\n%s", len(lines), text)
	}

	gh, ghErr, code := runCheckFormat(t, site, "github")
	if code != exitContent {
		t.Fatalf("github: exit %d, want %d", code, exitContent)
	}
	if !strings.Contains(ghErr, fmt.Sprintf("postcard check: %d errors", len(lines))) {
		t.Errorf("github: stderr %q does not count %d errors", ghErr, len(lines))
	}
	js, _, code := runCheckFormat(t, site, "json")
	if code != exitContent {
		t.Fatalf("json: exit %d, want %d", code, exitContent)
	}
	var got []jsonProblem
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatalf("json: %v in\n%s", err, js)
	}
	if len(got) != len(lines) {
		t.Errorf("json has %d problems, text %d", len(got), len(lines))
	}
	ghLines := strings.Split(strings.TrimSpace(gh), "\n")
	for i, p := range got {
		if i >= len(lines) || i >= len(ghLines) {
			break
		}
		pos := p.File
		props := "file=" + escapeProperty(p.File)
		if p.Line > 0 {
			pos += ":" + strconv.Itoa(p.Line)
			props += ",line=" + strconv.Itoa(p.Line)
			if p.Col > 0 {
				pos += ":" + strconv.Itoa(p.Col)
				props += ",col=" + strconv.Itoa(p.Col)
			}
		}
		if p.Severity != "error" || !strings.HasPrefix(p.File, "content/") {
			t.Errorf("json problem %d: %+v, want an error in a content file", i, p)
		}
		if want := pos + ": " + p.Message; lines[i] != want {
			t.Errorf("json problem %d is %q; text has %q", i, want, lines[i])
		}
		if want := "::error " + props + "::" + escapeData(p.Message); ghLines[i] != want {
			t.Errorf("annotation %d is %q, want %q", i, ghLines[i], want)
		}
	}
	// A few with their exact place, as the build's own test lists them.
	for _, want := range []string{
		"::error file=content/stories/bad-refs/index.md,line=9,col=25::unknown contributor \"carl\"",
		"::error file=content/stories/Bad_Slug/index.md::name \"Bad_Slug\" is not a valid slug",
		"::error file=content/stories/unknown-field/index.md,line=7,col=1::unknown field \"colour\"",
	} {
		if !strings.Contains(gh, want) {
			t.Errorf("annotations miss %q", want)
		}
	}
}

// TestCheckFormatsClean checks a site without mistakes: an empty JSON
// array, no annotations, exit 0, and warnings reported as warnings.
func TestCheckFormatsClean(t *testing.T) {
	site := t.TempDir()
	if err := os.WriteFile(filepath.Join(site, "site.toml"), []byte("title = \"Faint\"\n[brand]\naccent = \"#f4f4a0\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	js, stderr, code := runCheckFormat(t, site, "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got []jsonProblem
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatalf("json: %v in %q", err, js)
	}
	if len(got) == 0 {
		t.Error("no warning for brand.accent")
	}
	for _, p := range got {
		if p.Severity != "warning" || p.File != "site.toml" || strings.HasPrefix(p.Message, "warning") {
			t.Errorf("got %+v, want a warning for brand.accent", p)
		}
	}
	gh, _, code := runCheckFormat(t, site, "github")
	if code != exitOK || !strings.HasPrefix(gh, "::warning file=site.toml") {
		t.Errorf("github: exit %d, output %q", code, gh)
	}
	if _, stderr, code := runCheckFormat(t, site, "xml"); code != exitUsage || !strings.Contains(stderr, "use text, github, json") {
		t.Errorf("--format xml: exit %d, %q", code, stderr)
	}
}

func TestEscapeGitHub(t *testing.T) {
	if got := escapeData("50% done\r\nnext"); got != "50%25 done%0D%0Anext" {
		t.Errorf("escapeData = %q", got)
	}
	if got := escapeProperty("a:b,c%"); got != "a%3Ab%2Cc%25" {
		t.Errorf("escapeProperty = %q", got)
	}
}
