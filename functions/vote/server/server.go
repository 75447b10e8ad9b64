// Package server runs the voting function as one standalone HTTP server:
// what `postcard votes serve` starts from a site's folder after a build, and
// what a container runs.
//
// It reads the contest manifest the build wrote, finds the store with
// storepath (the one named by a --db spec, else the site's own in the
// user's state directory), refuses to start on a store it could not write,
// takes the cookie secret from the environment or, for SQLite, from a file
// it creates once beside the database, and serves the handler
// with timeouts until its context ends, then shuts down gracefully: requests
// in flight finish and votes in flight are committed before the store closes.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/postgres"
	"github.com/postcard-ssg/postcard/functions/vote/sqlite"
	"github.com/postcard-ssg/postcard/functions/vote/storepath"
	"github.com/postcard-ssg/postcard/functions/vote/submission"
)

// SecretEnv names the environment variable holding the cookie secret.
const SecretEnv = "POSTCARD_VOTE_SECRET"

// Options configure Run.
type Options struct {
	Addr string // listen address; "" is 127.0.0.1:8787
	// DB is "sqlite:PATH" (relative to SiteDir) or a postgres:// URL; ""
	// is POSTCARD_VOTE_DB, else the site's store in the user's state
	// directory (see storepath).
	DB        string
	RateLimit int // requests per minute per client; 0 = off

	// SiteDir is the site's folder: the manifest is read from
	// vote.ManifestPath(SiteDir) unless Manifest is set, a relative SQLite
	// path is resolved in it, and it names the default store.
	SiteDir  string
	Manifest *vote.Manifest

	Origins        []string       // more allowed origins than the manifest's site
	TrustedProxies []netip.Prefix // believe X-Forwarded-For from these peers only

	Getenv func(string) string // nil: os.Getenv; also finds the state directory (XDG_STATE_HOME, HOME)
	Now    func() time.Time    // nil: time.Now
	Logger *slog.Logger        // nil: slog.Default()

	// Ready, if set, is called with the bound address once the server
	// listens (useful with port 0).
	Ready func(net.Addr)
}

// Timeouts of the HTTP server. A ballot is tiny, but a submission may be
// 25 MB of photos from a phone: the body gets a minute, headers 5 seconds.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 75 * time.Second
	idleTimeout       = 60 * time.Second
	shutdownTimeout   = 15 * time.Second
)

// Run serves the voting function until ctx ends.
func Run(ctx context.Context, o Options) error {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Addr == "" {
		o.Addr = "127.0.0.1:8787"
	}
	m := o.Manifest
	if m == nil {
		var err error
		if m, err = ReadManifest(o.SiteDir); err != nil {
			return err
		}
	}
	loc, err := storepath.Resolve(storepath.Options{Spec: o.DB, Site: o.SiteDir, Kind: storepath.Votes, Getenv: o.Getenv})
	if err != nil {
		return err
	}
	db := DB(loc)
	if db.SQLite != "" && o.Getenv("AWS_LAMBDA_FUNCTION_NAME") != "" {
		return errors.New("SQLite cannot be used on AWS Lambda: its disk is ephemeral and votes would be lost; use a postgres:// database")
	}
	if loc.Warning != "" {
		o.Logger.Warn(loc.Warning)
	}
	if err := loc.Prepare(); err != nil {
		return err
	}
	secret, err := Secret(o.Getenv, db)
	if err != nil {
		return err
	}
	store, err := db.Open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()

	var addrs vote.AddrSource = vote.RemoteAddr{}
	if len(o.TrustedProxies) > 0 {
		addrs = vote.TrustedProxies{Proxies: o.TrustedProxies}
	}
	var challenge vote.Challenge
	if ts := o.Getenv("POSTCARD_TURNSTILE_SECRET"); ts != "" {
		challenge = vote.Turnstile{Secret: ts}
	}
	h, err := submission.Mount(vote.Config{
		Manifest:   m,
		Store:      store,
		Secret:     secret,
		RateLimit:  o.RateLimit,
		ClientAddr: addrs,
		Origins:    o.Origins,
		Challenge:  challenge,
		Now:        o.Now,
		Logger:     o.Logger,
	}, vote.ServerMaxRequest)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          log.New(redactor{o.Logger}, "", 0),
	}
	o.Logger.Info("voting function listening", "addr", ln.Addr().String(), "db", db.String(), "contests", len(m.Contests))
	if o.Ready != nil {
		o.Ready(ln.Addr())
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	return store.Close()
}

// ReadManifest reads and validates the manifest the build wrote for the
// site in siteDir (vote.ManifestPath). When there is none the error wraps
// fs.ErrNotExist.
func ReadManifest(siteDir string) (*vote.Manifest, error) {
	b, err := os.ReadFile(vote.ManifestPath(siteDir))
	if err != nil {
		return nil, fmt.Errorf("reading the contest manifest (run postcard build first): %w", err)
	}
	m, err := vote.ParseManifest(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", vote.ManifestPath(siteDir), err)
	}
	return m, nil
}

// DB is a store found by storepath, which it opens.
type DB storepath.Store

// String names the database without any password.
func (d DB) String() string { return storepath.Store(d).String() }

// Open opens the store.
func (d DB) Open(ctx context.Context) (vote.Store, error) {
	if d.SQLite != "" {
		return sqlite.Open(ctx, d.SQLite)
	}
	return postgres.Open(ctx, d.Postgres)
}

// Secret returns the cookie secret: POSTCARD_VOTE_SECRET when set, else for
// SQLite the content of the store's secret file beside the database,
// created once with 32 random bytes and mode 0600 (its folder must exist:
// see storepath.Store.Prepare). A PostgreSQL server has no file of its own
// to keep it in, so it needs the environment variable.
func Secret(getenv func(string) string, d DB) ([]byte, error) {
	if s := getenv(SecretEnv); s != "" {
		if len(s) < 32 {
			return nil, fmt.Errorf("%s must be at least 32 characters", SecretEnv)
		}
		return []byte(s), nil
	}
	if d.SQLite == "" {
		return nil, fmt.Errorf("set %s (at least 32 random characters, e.g. from `openssl rand -hex 32`): with PostgreSQL there is no local file to keep a generated one", SecretEnv)
	}
	path := d.SecretFile
	if path == "" {
		path = d.SQLite + ".secret"
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		_, err = f.WriteString(hex.EncodeToString(b) + "\n")
		if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
			os.Remove(path)
			return nil, fmt.Errorf("writing the voter cookie secret: %w", err)
		}
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("creating the voter cookie secret: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s is readable by others (mode %v): chmod 600 it", path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := strings.TrimSpace(string(b))
	if len(s) < 32 {
		return nil, fmt.Errorf("%s holds fewer than 32 characters", path)
	}
	return []byte(s), nil
}

// addrPattern matches IPv4 addresses and IPv6 addresses, bare or in
// brackets, with an optional port.
var addrPattern = regexp.MustCompile(`\[[0-9A-Fa-f:.%]+\](:\d+)?|\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b|\b[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}\b`)

// redactor passes net/http's own error messages (some name the client,
// as in "http: TLS handshake error from 203.0.113.7:5123") to the logger
// with every address replaced, so that no raw address is ever logged.
type redactor struct{ log *slog.Logger }

func (r redactor) Write(p []byte) (int, error) {
	msg := addrPattern.ReplaceAllString(strings.TrimSpace(string(p)), "[address]")
	r.log.Warn(msg)
	return len(p), nil
}
