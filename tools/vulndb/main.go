// Command vulndb builds a local copy of the Go vulnerability database, in the
// layout govulncheck reads with -db file://DIR, from the OSV records of one
// pinned version of the golang.org/x/vulndb module.
//
//	go run ./tools/vulndb -version v0.0.0-… -out .cache/vulndb/v0.0.0-…
//
// CI cannot reach the public database service, but it can reach the Go
// module proxy, which serves the module that the service is built from; a
// pinned version makes `make test` give the same answer until someone moves
// the pin (`make vulndb-update`).
//
// The module's own builder (cmd/gendb) needs the repository's Git history to
// date the records, and a module zip has none, so this command writes the
// same layout itself, with the standard library only:
//
//	index/db.json       {"modified": the newest record's time}
//	index/modules.json  [{"path", "vulns": [{"id", "modified"}]}], by path
//	index/vulns.json    [{"id", "modified", "aliases"}], by ID
//	ID/GO-YYYY-NNNN.json  each record
//
// Records whose modified time is unset get the pinned commit's time. The
// module index leaves out each vulnerability's latest fixed version: that
// field only spares govulncheck from reading records that cannot apply,
// and it checks every record it reads against the module's version anyway.
//
// The database is written to a temporary folder beside -out and renamed into
// place when complete, so an interrupted build never leaves a partial one.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

const modulePath = "golang.org/x/vulndb"

func main() {
	version := flag.String("version", "", "the `version` of "+modulePath+" to build from (required)")
	out := flag.String("out", "", "the `folder` to write the database to (required); replaced if it exists")
	goCmd := flag.String("go", "go", "the go `command` that downloads the module")
	flag.Parse()
	if *version == "" || *out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*goCmd, *version, *out); err != nil {
		fmt.Fprintln(os.Stderr, "vulndb:", err)
		os.Exit(1)
	}
}

func run(goCmd, version, out string) error {
	dir, pinned, err := download(goCmd, version)
	if err != nil {
		return err
	}
	db, err := load(filepath.Join(dir, "data", "osv"), pinned)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), ".vulndb-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := db.write(tmp); err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	fmt.Printf("vulndb: %d records from %s@%s in %s\n", len(db.records), modulePath, version, out)
	return nil
}

// download fetches the module through the go command, so it comes from
// GOPROXY and is checked against go.sum's checksum database like any other
// module, and returns its folder in the module cache and its commit time.
func download(goCmd, version string) (dir string, pinned time.Time, err error) {
	cmd := exec.Command(goCmd, "mod", "download", "-json", modulePath+"@"+version)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	var m struct{ Dir, Info, Error string }
	if jsonErr := json.Unmarshal(b, &m); jsonErr != nil && err == nil {
		err = jsonErr
	}
	if m.Error != "" {
		return "", time.Time{}, errors.New(m.Error)
	}
	if err != nil {
		return "", time.Time{}, fmt.Errorf("go mod download %s@%s: %v", modulePath, version, err)
	}
	b, err = os.ReadFile(m.Info)
	if err != nil {
		return "", time.Time{}, err
	}
	var info struct{ Time time.Time }
	if err := json.Unmarshal(b, &info); err != nil {
		return "", time.Time{}, fmt.Errorf("%s: %v", m.Info, err)
	}
	return m.Dir, info.Time, nil
}

// A record is one OSV entry: the fields the indexes need, and the entry
// itself with every field kept as it was, for ID/<id>.json.
type record struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases"`
	Affected []struct {
		Package struct {
			Name string `json:"name"`
		} `json:"package"`
	} `json:"affected"`

	raw map[string]json.RawMessage
}

type database struct {
	records []*record // by ID
}

// idPattern is the form of a Go vulnerability ID; it is also a file name.
var idPattern = regexp.MustCompile(`^GO-[0-9]{4}-[0-9]{4,}$`)

// load reads every OSV record in dir (the module's data/osv), setting the
// modified time of records without one to pinned.
func load(dir string, pinned time.Time) (*database, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no OSV records", dir)
	}
	db := &database{}
	var errs []error
	for _, name := range names {
		r, err := loadRecord(name, pinned)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		db.records = append(db.records, r)
	}
	slices.SortFunc(db.records, func(a, b *record) int { return strings.Compare(a.ID, b.ID) })
	for i := 1; i < len(db.records); i++ {
		if db.records[i].ID == db.records[i-1].ID {
			errs = append(errs, fmt.Errorf("%s: two records", db.records[i].ID))
		}
	}
	return db, errors.Join(errs...)
}

func loadRecord(name string, pinned time.Time) (*record, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	r := &record{}
	if err := json.Unmarshal(b, r); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if err := json.Unmarshal(b, &r.raw); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if !idPattern.MatchString(r.ID) || filepath.Base(name) != r.ID+".json" {
		return nil, fmt.Errorf("%s: unexpected ID %q", name, r.ID)
	}
	if r.Modified.IsZero() {
		r.Modified = pinned.UTC()
		if r.raw["modified"], err = json.Marshal(r.Modified); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// write writes the database's files into dir, which exists.
func (db *database) write(dir string) error {
	type dbMeta struct {
		Modified time.Time `json:"modified"`
	}
	type moduleVuln struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
	}
	type module struct {
		Path  string       `json:"path"`
		Vulns []moduleVuln `json:"vulns"`
	}
	type vuln struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
		Aliases  []string  `json:"aliases,omitempty"`
	}

	var meta dbMeta
	modules := map[string]*module{}
	vulns := make([]vuln, 0, len(db.records))
	for _, r := range db.records {
		if r.Modified.After(meta.Modified) {
			meta.Modified = r.Modified
		}
		vulns = append(vulns, vuln{ID: r.ID, Modified: r.Modified, Aliases: r.Aliases})
		for _, a := range r.Affected {
			path := a.Package.Name
			m := modules[path]
			if m == nil {
				m = &module{Path: path}
				modules[path] = m
			}
			// A record lists a module once per range of affected packages;
			// the index names the record once.
			if n := len(m.Vulns); n == 0 || m.Vulns[n-1].ID != r.ID {
				m.Vulns = append(m.Vulns, moduleVuln{ID: r.ID, Modified: r.Modified})
			}
		}
	}
	byPath := make([]*module, 0, len(modules))
	for _, m := range modules {
		byPath = append(byPath, m)
	}
	slices.SortFunc(byPath, func(a, b *module) int { return strings.Compare(a.Path, b.Path) })

	if err := os.MkdirAll(filepath.Join(dir, "index"), 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "ID"), 0o755); err != nil {
		return err
	}
	for name, v := range map[string]any{"db": meta, "modules": byPath, "vulns": vulns} {
		if err := writeJSON(filepath.Join(dir, "index", name+".json"), v); err != nil {
			return err
		}
	}
	for _, r := range db.records {
		if err := writeJSON(filepath.Join(dir, "ID", r.ID+".json"), r.raw); err != nil {
			return err
		}
	}
	return nil
}

func writeJSON(name string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	return os.WriteFile(name, buf.Bytes(), 0o644)
}
