package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	undated = `{
  "schema_version": "1.3.1",
  "id": "GO-2026-0002",
  "modified": "0001-01-01T00:00:00Z",
  "published": "0001-01-01T00:00:00Z",
  "aliases": ["CVE-2026-0002"],
  "summary": "Two ranges of one module <b>",
  "affected": [
    {"package": {"name": "example.com/a", "ecosystem": "Go"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.0"}]}]},
    {"package": {"name": "example.com/a", "ecosystem": "Go"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "2.0.0"}, {"fixed": "2.0.1"}]}]},
    {"package": {"name": "stdlib", "ecosystem": "Go"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}
  ]
}`
	dated = `{
  "id": "GO-2025-0001",
  "modified": "2025-03-01T10:00:00Z",
  "affected": [{"package": {"name": "example.com/b", "ecosystem": "Go"}}]
}`
)

func writeRecords(t *testing.T, records map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range records {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func TestWriteLayout(t *testing.T) {
	src := writeRecords(t, map[string]string{
		"GO-2026-0002.json": undated,
		"GO-2025-0001.json": dated,
		"README.md":         "not a record",
	})
	pinned := time.Date(2026, 11, 5, 23, 49, 57, 0, time.UTC)
	db, err := load(src, pinned)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := db.write(out); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ file, want string }{
		{"index/db.json", `{"modified":"2026-11-05T23:49:57Z"}`},
		{"index/modules.json", `[` +
			`{"path":"example.com/a","vulns":[{"id":"GO-2026-0002","modified":"2026-11-05T23:49:57Z"}]},` +
			`{"path":"example.com/b","vulns":[{"id":"GO-2025-0001","modified":"2025-03-01T10:00:00Z"}]},` +
			`{"path":"stdlib","vulns":[{"id":"GO-2026-0002","modified":"2026-11-05T23:49:57Z"}]}]`},
		{"index/vulns.json", `[` +
			`{"id":"GO-2025-0001","modified":"2025-03-01T10:00:00Z"},` +
			`{"id":"GO-2026-0002","modified":"2026-11-05T23:49:57Z","aliases":["CVE-2026-0002"]}]`},
	} {
		if got := readFile(t, filepath.Join(out, tc.file)); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.file, got, tc.want)
		}
	}

	// A record keeps every field, with the pinned time where it had none.
	rec := readFile(t, filepath.Join(out, "ID", "GO-2026-0002.json"))
	for _, want := range []string{
		`"modified":"2026-11-05T23:49:57Z"`,
		`"published":"0001-01-01T00:00:00Z"`,
		`"schema_version":"1.3.1"`,
		`"summary":"Two ranges of one module <b>"`,
		`{"fixed":"2.0.1"}`,
	} {
		if !strings.Contains(rec, want) {
			t.Errorf("ID/GO-2026-0002.json lacks %s:\n%s", want, rec)
		}
	}
	if rec := readFile(t, filepath.Join(out, "ID", "GO-2025-0001.json")); !strings.Contains(rec, `"modified":"2025-03-01T10:00:00Z"`) {
		t.Errorf("ID/GO-2025-0001.json lost its own modified time:\n%s", rec)
	}
}

func TestLoadRefuses(t *testing.T) {
	for name, records := range map[string]map[string]string{
		"no records":      {"README.md": "x"},
		"not JSON":        {"GO-2026-0002.json": "{"},
		"ID not its name": {"GO-2026-0003.json": undated},
		"ID not a file":   {"x.json": `{"id": "../../etc/passwd"}`},
		"one bad record":  {"GO-2025-0001.json": dated, "GO-2026-0009.json": `{"id": "GO-2026-0009", "modified": 3}`},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := load(writeRecords(t, records), time.Now()); err == nil {
				t.Error("load succeeded")
			}
		})
	}
}
