// Package storepath decides where a site's vote database and its cookie
// secret live, for every command that opens them (`postcard serve`,
// `postcard votes serve`, `postcard votes export`, and any later command
// on the same store), and checks at start-up that the place is safe to use.
//
// A vote database and its secret are the destination's private state, not
// its source: they never belong beside site.toml, where a `git add .` would
// commit every voter's ballot and the key that signs their cookies. So the
// default is the user's state directory, one folder per site:
//
//	$XDG_STATE_HOME/postcard/<site>-<hash>/votes.db      what `votes serve` and `votes export` use
//	$XDG_STATE_HOME/postcard/<site>-<hash>/preview.db    what `serve` uses
//
// (each with its secret in NAME.secret, mode 0600), where <site> is the site
// folder's name and <hash> a short hash of its absolute path, so two sites
// never share a store. An operator can name another place with --db or
// POSTCARD_VOTE_DB.
//
// Two invariants protect the votes already cast. A database found at an
// old default place (votes.db beside site.toml, or the preview's
// .postcard-cache/dev-votes.db) stops the command with the one shell command
// that moves it, instead of silently starting over with an empty database
// and a new secret, which would lose the counts and invalidate every voter's
// cookie. And [Store.Prepare] refuses, before anything is created, a
// database whose folder does not exist or that cannot be written, so a
// mistyped path or a read-only file fails at start-up, not as a 500 on
// every vote.
//
// Resolve only looks at the filesystem; Prepare creates the default state
// folder (0700) and nothing else.
package storepath

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
)

// Environment variables Resolve reads.
const (
	// DBEnv names the store when --db is not given, for `votes serve`
	// and `votes export` (the preview never reads it). It is the variable
	// the serverless entry points read too.
	DBEnv = "POSTCARD_VOTE_DB"
	// StateEnv is the XDG base directory for state; when it is not set,
	// Resolve falls back to the platform's place (see [StateDir]).
	StateEnv = "XDG_STATE_HOME"
)

// Kind says which of a site's stores a command wants.
type Kind int

const (
	// Votes is the production store: real voters' votes.
	Votes Kind = iota
	// Preview is the store of `postcard serve`: an editor's test clicks
	// on localhost, kept apart so they never reach real counts.
	Preview
)

// file is the database's file name in the site's state folder.
func (k Kind) file() string {
	if k == Preview {
		return "preview.db"
	}
	return "votes.db"
}

// legacy is where the database used to be by default, relative to the site.
func (k Kind) legacy() string {
	if k == Preview {
		return filepath.Join(".postcard-cache", "dev-votes.db")
	}
	return "votes.db"
}

// Options are what Resolve needs to know.
type Options struct {
	// Spec is the operator's --db: "sqlite:PATH" (relative to Site) or a
	// postgres:// URL. "" is POSTCARD_VOTE_DB for Votes, then the default.
	Spec string
	// Site is the site's folder.
	Site string
	Kind Kind
	// Getenv reads the environment (XDG_STATE_HOME, HOME, LocalAppData,
	// POSTCARD_VOTE_DB); nil is os.Getenv.
	Getenv func(string) string
	// GOOS picks the platform's state directory; "" is runtime.GOOS.
	GOOS string
}

// Store is a resolved vote store.
type Store struct {
	SQLite   string // the database file, absolute; or ""
	Postgres string // the DSN; or ""
	// SecretFile is where the cookie secret is kept for SQLite when
	// POSTCARD_VOTE_SECRET is not set: beside the database.
	SecretFile string
	// Named is true when the operator named the store (--db or
	// POSTCARD_VOTE_DB); Prepare then creates no folder.
	Named bool
	// Warning, when set, is a problem worth printing that does not stop
	// the command: a named SQLite database inside the site's folder.
	Warning string
}

// String names the store without any password.
func (s Store) String() string {
	if s.SQLite != "" {
		return "sqlite:" + s.SQLite
	}
	if i := strings.Index(s.Postgres, "@"); i >= 0 {
		if j := strings.Index(s.Postgres, "://"); j >= 0 && j < i {
			return s.Postgres[:j+3] + "…" + s.Postgres[i:]
		}
	}
	return s.Postgres
}

// Resolve finds the store for o. It creates nothing. It fails when the
// spec is malformed, when no state directory can be found for the
// default, and when a database is still at the old default place (the
// error, a *MoveError, carries the command that moves it).
func Resolve(o Options) (Store, error) {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	site, err := filepath.Abs(o.Site)
	if err != nil {
		return Store{}, err
	}
	spec, from := o.Spec, "--db"
	if spec == "" && o.Kind == Votes {
		spec, from = o.Getenv(DBEnv), DBEnv
	}
	if spec != "" {
		return parse(spec, from, site)
	}
	state, err := StateDir(o.Getenv, o.GOOS)
	if err != nil {
		return Store{}, fmt.Errorf("%w; or name the vote database with --db sqlite:PATH", err)
	}
	dir := filepath.Join(state, "postcard", SiteID(site))
	s := sqliteStore(filepath.Join(dir, o.Kind.file()))
	if err := checkLegacy(filepath.Join(site, o.Kind.legacy()), s); err != nil {
		return Store{}, err
	}
	return s, nil
}

func sqliteStore(path string) Store {
	return Store{SQLite: path, SecretFile: path + ".secret"}
}

// parse reads an operator's spec.
func parse(spec, from, site string) (Store, error) {
	switch {
	case strings.HasPrefix(spec, "sqlite:"):
		p := strings.TrimPrefix(spec, "sqlite:")
		if p == "" {
			return Store{}, fmt.Errorf("%s sqlite: needs a file name, as in sqlite:/var/lib/postcard/votes.db", from)
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(site, p)
		}
		s := sqliteStore(filepath.Clean(p))
		s.Named = true
		if inside(site, s.SQLite) {
			s.Warning = fmt.Sprintf("the vote database %s is inside the site's folder, where `git add .` would commit it and its secret; "+
				"keep it outside (without --db it lives in the user's state directory)", s.SQLite)
		}
		return s, nil
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		return Store{Postgres: spec, Named: true}, nil
	}
	return Store{}, fmt.Errorf("%s %q: want sqlite:PATH or a postgres:// URL", from, redact(spec))
}

// redact hides a password in a spec that failed to parse.
func redact(spec string) string {
	return Store{Postgres: spec}.String()
}

// inside reports whether path is in dir or below it.
func inside(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// StateDir is the user's folder for state that outlives a run but is not
// configuration: $XDG_STATE_HOME when it is set (on every platform), else
// ~/.local/state (Linux and other Unix systems, as the XDG base directory
// specification says), ~/Library/Application Support (macOS, as
// os.UserConfigDir) or %LocalAppData% (Windows).
func StateDir(getenv func(string) string, goos string) (string, error) {
	if goos == "" {
		goos = runtime.GOOS
	}
	if d := getenv(StateEnv); d != "" {
		if !filepath.IsAbs(d) {
			return "", fmt.Errorf("%s is not an absolute path: %q", StateEnv, d)
		}
		return d, nil
	}
	switch goos {
	case "windows":
		if d := getenv("LocalAppData"); d != "" {
			return d, nil
		}
		return "", errors.New("cannot find the state directory: %LocalAppData% is not set")
	case "darwin", "ios":
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, "Library", "Application Support"), nil
		}
	default:
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, ".local", "state"), nil
		}
	}
	return "", fmt.Errorf("cannot find the state directory: neither %s nor HOME is set", StateEnv)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// SiteID names a site's folder under the state directory: the site
// folder's base name (for people looking there) and 8 hex digits of a
// SHA-256 of its absolute path with symbolic links resolved (so two sites
// of the same name never share a store, and one site reached by two paths
// keeps one).
func SiteID(site string) string {
	if abs, err := filepath.Abs(site); err == nil {
		site = abs
	}
	if real, err := filepath.EvalSymlinks(site); err == nil {
		site = real
	}
	sum := sha256.Sum256([]byte(site))
	name := strings.Trim(unsafeName.ReplaceAllString(filepath.Base(site), "-"), "-.")
	if name == "" {
		name = "site"
	}
	return name + "-" + hex.EncodeToString(sum[:4])
}

// companions are the suffixes of the files SQLite and Postcard keep beside
// a database, moved with it: the database itself, its journal and shared
// memory, and the cookie secret.
func companions() []string { return []string{"", "-wal", "-shm", ".secret"} }

// MoveError stops a command that found a database at the old default
// place: starting on the new, empty one would lose its votes and its
// voters' cookies.
type MoveError struct {
	Old, New string // the old database and its new place
	// Command is one POSIX shell command that moves the database and its
	// companion files; "" when a database is at both places.
	Command string
}

func (e *MoveError) Error() string {
	if e.Command == "" {
		return fmt.Sprintf("there is a vote database at the old place %s, inside the site's folder, and another at %s; "+
			"keep the one with the votes: remove or move the other, or name one with --db sqlite:PATH", e.Old, e.New)
	}
	return fmt.Sprintf("the vote database is at the old place %s, inside the site's folder, where `git add .` would commit it and its secret; "+
		"Postcard now keeps it in %s. Stop any server using it, then move it (with its secret) with:\n\n    %s\n\n"+
		"or name it with --db sqlite:PATH to keep it where it is",
		e.Old, filepath.Dir(e.New), e.Command)
}

// checkLegacy refuses when any of old's files exist.
func checkLegacy(old string, s Store) error {
	var moves [][2]string
	for _, c := range companions() {
		if _, err := os.Lstat(old + c); err == nil {
			moves = append(moves, [2]string{old + c, s.SQLite + c})
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("looking for an old vote database: %w", err)
		}
	}
	if len(moves) == 0 {
		return nil
	}
	e := &MoveError{Old: old, New: s.SQLite}
	for _, c := range companions() {
		if _, err := os.Lstat(s.SQLite + c); err == nil {
			return e
		}
	}
	cmd := []string{"mkdir -p -m 700 " + shellQuote(filepath.Dir(s.SQLite))}
	for _, m := range moves {
		cmd = append(cmd, "mv "+shellQuote(m[0])+" "+shellQuote(m[1]))
	}
	e.Command = strings.Join(cmd, " && ")
	return e
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9@%_+=:,./-]+$`)

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Prepare makes sure the store can be written before a command opens it.
// For SQLite it creates the default state folder (mode 0700) but never an
// operator's folder: a named database whose folder does not exist is
// refused, so a typo cannot start over with an empty database and a new
// secret. It refuses a database file (or its journal) that is marked
// read-only or that this user cannot open for writing, and a folder it
// cannot create files in (SQLite keeps its journal beside the database).
// PostgreSQL needs no check here: its migrations write at start-up.
func (s Store) Prepare() error {
	if s.SQLite == "" {
		return nil
	}
	dir := filepath.Dir(s.SQLite)
	if !s.Named {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("creating the vote database's folder: %w", err)
		}
	}
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("the folder of the vote database %s does not exist; create it first (Postcard does not, so a mistyped --db cannot start over with an empty database)", s.SQLite)
	}
	if err != nil {
		return fmt.Errorf("the vote database's folder: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("the vote database %s: %s is not a folder", s.SQLite, dir)
	}
	for _, c := range []string{"", "-wal", "-shm"} {
		if err := writable(s.SQLite + c); err != nil {
			return err
		}
	}
	f, err := os.CreateTemp(dir, ".postcard-write-check-*")
	if err != nil {
		return fmt.Errorf("the folder of the vote database %s is not writable (SQLite writes its journal beside the database): %w", s.SQLite, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// writable checks an existing file: a regular file, with a write
// permission bit, that opens for writing. A missing file is fine.
func writable(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("the vote database %s is not a regular file", path)
	}
	if fi.Mode().Perm()&0o222 == 0 {
		return fmt.Errorf("the vote database %s is read-only (mode %v); votes could not be stored: chmod u+w it", path, fi.Mode().Perm())
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("the vote database %s is not writable; votes could not be stored: %w", path, err)
	}
	return f.Close()
}
