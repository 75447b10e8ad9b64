package storepath

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// env is an environment of the given variables only.
func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestStateDir(t *testing.T) {
	for _, tt := range []struct {
		name, goos string
		env        func(string) string
		want       string // "" means an error
	}{
		{"xdg", "linux", env(StateEnv, "/xdg", "HOME", "/home/u"), "/xdg"},
		{"xdg on macOS", "darwin", env(StateEnv, "/xdg", "HOME", "/Users/u"), "/xdg"},
		{"linux home", "linux", env("HOME", "/home/u"), "/home/u/.local/state"},
		{"bsd home", "freebsd", env("HOME", "/home/u"), "/home/u/.local/state"},
		{"macOS home", "darwin", env("HOME", "/Users/u"), "/Users/u/Library/Application Support"},
		{"windows", "windows", env("LocalAppData", `/c/Users/u/AppData/Local`), `/c/Users/u/AppData/Local`},
		{"relative xdg", "linux", env(StateEnv, "state", "HOME", "/home/u"), ""},
		{"nothing", "linux", env(), ""},
		{"windows without LocalAppData", "windows", env("HOME", "/home/u"), ""},
	} {
		got, err := StateDir(tt.env, tt.goos)
		if (err != nil) != (tt.want == "") || got != filepath.FromSlash(tt.want) {
			t.Errorf("%s: got %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestSiteID(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a", "my site"), filepath.Join(root, "b", "my site")
	os.MkdirAll(a, 0o755)
	os.MkdirAll(b, 0o755)
	idA, idB := SiteID(a), SiteID(b)
	if idA == idB {
		t.Errorf("two sites of the same name share %q", idA)
	}
	if !strings.HasPrefix(idA, "my-site-") || len(idA) != len("my-site-")+8 {
		t.Errorf("id %q: want my-site- and 8 hex digits", idA)
	}
	if SiteID(a) != idA || SiteID(filepath.Join(a, "..", "my site")) != idA {
		t.Error("the id of one folder is not stable")
	}
	link := filepath.Join(root, "link")
	if err := os.Symlink(a, link); err == nil && SiteID(link) != idA {
		t.Error("a site reached through a symbolic link has another id")
	}
}

// TestDefaultOutsideSite checks that with nothing named, each kind of
// store is in the site's own folder under the state directory, apart from
// the other, with its secret beside it, and that Resolve creates nothing.
func TestDefaultOutsideSite(t *testing.T) {
	site, state := t.TempDir(), t.TempDir()
	getenv := env(StateEnv, state)
	votes, err := Resolve(Options{Site: site, Kind: Votes, Getenv: getenv})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(state, "postcard", SiteID(site))
	if votes.SQLite != filepath.Join(dir, "votes.db") || votes.SecretFile != votes.SQLite+".secret" || votes.Named || votes.Warning != "" {
		t.Errorf("votes store: %+v", votes)
	}
	preview, err := Resolve(Options{Site: site, Kind: Preview, Getenv: getenv})
	if err != nil {
		t.Fatal(err)
	}
	if preview.SQLite != filepath.Join(dir, "preview.db") {
		t.Errorf("preview store: %+v", preview)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Resolve created the state folder: %v", err)
	}
}

func TestNamed(t *testing.T) {
	site := t.TempDir()
	for _, tt := range []struct {
		spec, dbEnv string
		kind        Kind
		sqlite, pg  string
		warn        bool
		err         string
	}{
		{spec: "sqlite:/srv/votes.db", sqlite: "/srv/votes.db"},
		{spec: "sqlite:votes.db", sqlite: filepath.Join(site, "votes.db"), warn: true},
		{spec: "sqlite:../state/votes.db", sqlite: filepath.Join(filepath.Dir(site), "state", "votes.db")},
		{spec: "postgres://u:pw@h/db", pg: "postgres://u:pw@h/db"},
		{spec: "postgresql://h/db", pg: "postgresql://h/db"},
		{dbEnv: "sqlite:/env/votes.db", sqlite: "/env/votes.db"},
		{spec: "sqlite:/flag.db", dbEnv: "sqlite:/env/votes.db", sqlite: "/flag.db"},
		{spec: "sqlite:", err: "needs a file name"},
		{spec: "votes.db", err: "want sqlite:PATH"},
		{dbEnv: "mysql://u:pw@h/db", err: "POSTCARD_VOTE_DB"},
	} {
		s, err := Resolve(Options{Spec: tt.spec, Site: site, Kind: tt.kind, Getenv: env(DBEnv, tt.dbEnv)})
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || strings.Contains(err.Error(), "pw") {
				t.Errorf("%q/%q: error %v, want %q without the password", tt.spec, tt.dbEnv, err, tt.err)
			}
			continue
		}
		if err != nil || s.SQLite != filepath.FromSlash(tt.sqlite) || s.Postgres != tt.pg || !s.Named || (s.Warning != "") != tt.warn {
			t.Errorf("%q/%q: %+v, %v", tt.spec, tt.dbEnv, s, err)
		}
	}
	// The preview never runs on the production store named for the site.
	s, err := Resolve(Options{Site: site, Kind: Preview, Getenv: env(DBEnv, "postgres://h/db", StateEnv, t.TempDir())})
	if err != nil || s.Named || s.Postgres != "" {
		t.Errorf("the preview read POSTCARD_VOTE_DB: %+v, %v", s, err)
	}
	if got := (Store{Postgres: "postgres://u:pw@h/db"}).String(); strings.Contains(got, "pw") {
		t.Errorf("the password is shown: %s", got)
	}
}

// TestOldPlace checks that a database at the old default place stops the
// command with the one command that moves it and its companions, that
// nothing is created, and that the command does what it says.
func TestOldPlace(t *testing.T) {
	for _, tt := range []struct {
		kind Kind
		old  string
	}{
		{Votes, "votes.db"},
		{Preview, ".postcard-cache/dev-votes.db"},
	} {
		site, state := filepath.Join(t.TempDir(), "lake site"), t.TempDir()
		old := filepath.Join(site, filepath.FromSlash(tt.old))
		os.MkdirAll(filepath.Dir(old), 0o755)
		for _, f := range []string{old, old + "-wal", old + ".secret"} {
			os.WriteFile(f, []byte(f), 0o600)
		}
		o := Options{Site: site, Kind: tt.kind, Getenv: env(StateEnv, state)}
		_, err := Resolve(o)
		var me *MoveError
		if !errors.As(err, &me) {
			t.Fatalf("%s: got %v, want a MoveError", tt.old, err)
		}
		newDB := filepath.Join(state, "postcard", SiteID(site), tt.kind.file())
		want := "mkdir -p -m 700 " + filepath.Dir(newDB) +
			" && mv '" + old + "' " + newDB +
			" && mv '" + old + "-wal' " + newDB + "-wal" +
			" && mv '" + old + ".secret' " + newDB + ".secret"
		if me.Command != want || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: command\n%s\nwant\n%s", tt.old, me.Command, want)
		}
		if entries, _ := os.ReadDir(state); len(entries) != 0 {
			t.Errorf("%s: Resolve created %v", tt.old, entries)
		}
		// An operator who names the old file keeps using it.
		if _, err := Resolve(Options{Spec: "sqlite:" + old, Site: site, Kind: tt.kind, Getenv: o.Getenv}); err != nil {
			t.Errorf("%s named: %v", tt.old, err)
		}
		// Moving by hand as told, then a database at both places.
		os.MkdirAll(filepath.Dir(newDB), 0o700)
		for _, c := range []string{"", "-wal", ".secret"} {
			if err := os.Rename(old+c, newDB+c); err != nil {
				t.Fatal(err)
			}
		}
		if s, err := Resolve(o); err != nil || s.SQLite != newDB {
			t.Errorf("%s after the move: %+v, %v", tt.old, s, err)
		}
		os.WriteFile(old, nil, 0o600)
		if _, err := Resolve(o); !errors.As(err, &me) || me.Command != "" || !strings.Contains(err.Error(), "another at") {
			t.Errorf("%s at both places: %v", tt.old, err)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"/a/b.db": "/a/b.db", "/a b": "'/a b'", "/it's": `'/it'\''s'`, "/x;rm": "'/x;rm'", "/$HOME": "'/$HOME'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestPrepare checks the start-up checks of a SQLite store.
func TestPrepare(t *testing.T) {
	state := t.TempDir()
	def := sqliteStore(filepath.Join(state, "postcard", "site-00000000", "votes.db"))
	if err := def.Prepare(); err != nil {
		t.Fatalf("default store: %v", err)
	}
	fi, err := os.Stat(filepath.Dir(def.SQLite))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the default folder: %v, %v; want mode 0700", fi, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(def.SQLite)); len(entries) != 0 {
		t.Errorf("the write check left %v", entries)
	}

	named := func(path string) Store { s := sqliteStore(path); s.Named = true; return s }
	missing := filepath.Join(t.TempDir(), "typo", "votes.db")
	if err := named(missing).Prepare(); err == nil || !strings.Contains(err.Error(), "does not exist") || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing folder: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(missing)); err == nil {
		t.Error("an operator's missing folder was created")
	}

	dir := t.TempDir()
	if err := named(filepath.Join(dir, "new.db")).Prepare(); err != nil {
		t.Errorf("a new database in an existing folder: %v", err)
	}
	ro := filepath.Join(dir, "ro.db")
	os.WriteFile(ro, nil, 0o444)
	if err := named(ro).Prepare(); err == nil || !strings.Contains(err.Error(), "read-only") || !strings.Contains(err.Error(), ro) {
		t.Errorf("read-only database: %v", err)
	}
	rw := filepath.Join(dir, "rw.db")
	os.WriteFile(rw, nil, 0o600)
	os.WriteFile(rw+"-wal", nil, 0o400)
	if err := named(rw).Prepare(); err == nil || !strings.Contains(err.Error(), rw+"-wal") {
		t.Errorf("read-only journal: %v", err)
	}
	os.Mkdir(filepath.Join(dir, "dir.db"), 0o755)
	if err := named(filepath.Join(dir, "dir.db")).Prepare(); err == nil {
		t.Error("a folder was accepted as the database")
	}
	if err := (Store{Postgres: "postgres://h/db", Named: true}).Prepare(); err != nil {
		t.Errorf("postgres: %v", err)
	}

	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only folders")
	}
	roDir := t.TempDir()
	os.Chmod(roDir, 0o555)
	defer os.Chmod(roDir, 0o755)
	if err := named(filepath.Join(roDir, "votes.db")).Prepare(); err == nil || !strings.Contains(err.Error(), "not writable") {
		t.Errorf("read-only folder: %v", err)
	}
}
