package main

import (
	"context"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/server"
	"github.com/postcard-ssg/postcard/functions/vote/storepath"
)

const votesUsage = `Usage: postcard votes <command> [flags]

Commands:
  serve   run the voting function as a server for the built site in --source
  export  write a contest's vote counts as CSV (--audit: its bursts per network)

Run "postcard votes <command> -h" for the flags of one command.
`

// runVotes runs the voting function's commands.
func runVotes(ctx context.Context, a *app, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(a.stderr, votesUsage)
		return exitUsage
	}
	switch args[0] {
	case "serve":
		return runVotesServe(ctx, a, args[1:])
	case "export":
		return runVotesExport(ctx, a, args[1:])
	case "-h", "--help", "help":
		fmt.Fprint(a.stdout, votesUsage)
		return exitOK
	}
	fmt.Fprintf(a.stderr, "postcard votes: unknown command %q\n\n%s", args[0], votesUsage)
	return exitUsage
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func votesFlagSet(name, usage string, a *app) *flag.FlagSet {
	fs := flag.NewFlagSet("votes "+name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: postcard votes %s %s\n\nFlags:\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseVotesFlags parses args; ok false means return code.
func parseVotesFlags(fs *flag.FlagSet, a *app, args []string) (code int, ok bool) {
	return parseFlags(fs, args, a.stdout)
}

func runVotesServe(ctx context.Context, a *app, args []string) int {
	var (
		addr, db, source string
		rateLimit        int
		origins, proxies listFlag
	)
	fs := votesFlagSet("serve", "[--addr HOST:PORT] [--db sqlite:PATH|postgres://...] [--rate-limit N] [--source DIR]", a)
	fs.StringVar(&addr, "addr", "127.0.0.1:8787", "the `address` to listen on")
	fs.StringVar(&db, "db", "", dbUsage)
	fs.IntVar(&rateLimit, "rate-limit", 30, "requests a minute per client (by salted address hash); 0 turns the limit off")
	fs.StringVar(&source, "source", ".", "the built site's `folder` (its "+vote.DistDir+"/manifest.json lists the contests, wherever --destination put the pages)")
	fs.Var(&origins, "allow-origin", "another `origin` allowed to vote besides the site's (repeatable)")
	fs.Var(&proxies, "trusted-proxy", "a proxy's address or `CIDR` whose X-Forwarded-For is believed (repeatable)")
	if code, ok := parseVotesFlags(fs, a, args); !ok {
		return code
	}
	if rateLimit < 0 {
		fmt.Fprintln(a.stderr, "postcard votes serve: --rate-limit must be 0 or more")
		return exitUsage
	}
	var trusted []netip.Prefix
	for _, p := range proxies {
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			ip, aerr := netip.ParseAddr(p)
			if aerr != nil {
				fmt.Fprintf(a.stderr, "postcard votes serve: --trusted-proxy %q: want an address or CIDR\n", p)
				return exitUsage
			}
			pfx = netip.PrefixFrom(ip, ip.BitLen())
		}
		trusted = append(trusted, pfx)
	}
	dir, err := siteDir(a, source)
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard votes serve: %v\n", err)
		return exitUsage
	}
	err = server.Run(ctx, server.Options{
		Addr:           addr,
		DB:             db,
		RateLimit:      rateLimit,
		SiteDir:        dir,
		Origins:        origins,
		TrustedProxies: trusted,
		Getenv:         a.getenv,
		Now:            a.now,
		Logger:         slog.New(slog.NewTextHandler(a.stderr, nil)),
	})
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard votes serve: %v\n", err)
		return exitContent
	}
	return exitOK
}

func runVotesExport(ctx context.Context, a *app, args []string) int {
	var contest, db, source, output string
	var audit, preview bool
	var minVotes int
	fs := votesFlagSet("export", "--contest SLUG [--audit [--min-votes N]] [--db sqlite:PATH|postgres://...|--preview] [--source DIR] [--output FILE]", a)
	fs.StringVar(&contest, "contest", "", "the contest's `slug` (required)")
	fs.StringVar(&db, "db", "", dbUsage+"; when that has no database but the preview.db of postcard serve exists, the preview's votes, with a note")
	fs.BoolVar(&preview, "preview", false, "export the votes of the preview store of postcard serve (preview.db) instead of the real ones")
	fs.StringVar(&source, "source", ".", "the site's `folder`; its "+vote.DistDir+"/manifest.json adds titles, categories and entries without votes")
	fs.StringVar(&output, "output", "-", "the CSV `file`"+pathFlagHelp+"; - is standard output")
	fs.BoolVar(&audit, "audit", false, "list the bursts (votes from one network for one entry within one UTC hour) for review instead of the counts, most votes first")
	fs.IntVar(&minVotes, "min-votes", 5, "with --audit, the fewest votes a burst must have to be listed")
	if code, ok := parseVotesFlags(fs, a, args); !ok {
		return code
	}
	if contest == "" {
		fmt.Fprintln(a.stderr, "postcard votes export: --contest is required")
		return exitUsage
	}
	dir, err := siteDir(a, source)
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard votes export: %v\n", err)
		return exitUsage
	}
	if preview && db != "" {
		fmt.Fprintln(a.stderr, "postcard votes export: --preview and --db name two stores; give one")
		return exitUsage
	}
	spec, err := findExportStore(a, db, dir, preview)
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard votes export: %v\n", err)
		return exitContent
	}
	if spec.SQLite != "" {
		if _, err := os.Stat(spec.SQLite); err != nil {
			fmt.Fprintf(a.stderr, "postcard votes export: no vote database: %v\n", err)
			return exitContent
		}
	}
	var c *vote.Contest
	switch m, err := server.ReadManifest(dir); {
	case errors.Is(err, os.ErrNotExist):
		// Not built here: the counts alone, without titles.
	case err != nil:
		fmt.Fprintf(a.stderr, "postcard votes export: %v\n", err)
		return exitContent
	default:
		if c = m.Contest(contest); c == nil {
			fmt.Fprintf(a.stderr, "postcard votes export: no contest %q in %s\n", contest, rel(dir, vote.ManifestPath(dir)))
			return exitContent
		}
	}
	store, err := spec.Open(ctx)
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard votes export: %v\n", err)
		return exitContent
	}
	counts, err := store.Counts(ctx, contest)
	var bursts []vote.Burst
	if err == nil && audit {
		bursts, err = store.Audit(ctx, contest, minVotes)
	}
	store.Close()
	if err != nil {
		fmt.Fprintf(a.stderr, "postcard votes export: %v\n", err)
		return exitContent
	}
	var w io.Writer = a.stdout
	if output != "-" {
		f, err := os.Create(sourcePath(dir, output))
		if err != nil {
			fmt.Fprintf(a.stderr, "postcard votes export: %v\n", err)
			return exitContent
		}
		defer f.Close()
		w = f
	}
	write := func() error { return writeCountsCSV(w, contest, c, counts) }
	if audit {
		write = func() error { return writeAuditCSV(w, contest, bursts, counts) }
	}
	if err := write(); err != nil {
		fmt.Fprintf(a.stderr, "postcard votes export: %v\n", err)
		return exitContent
	}
	return exitOK
}

// writeCountsCSV writes one row per entry, most votes first: every entry of
// the manifest's contest when there is one, else every entry with votes.
func writeCountsCSV(w io.Writer, contest string, c *vote.Contest, counts map[string]int) error {
	type row struct {
		entry, title, category string
		votes                  int
	}
	var rows []row
	if c != nil {
		for _, e := range c.Entries {
			rows = append(rows, row{e.Slug, e.Title, e.Category, counts[e.Slug]})
		}
	} else {
		for e, n := range counts {
			rows = append(rows, row{entry: e, votes: n})
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].votes != rows[j].votes {
			return rows[i].votes > rows[j].votes
		}
		return rows[i].entry < rows[j].entry
	})
	cw := csv.NewWriter(w)
	cw.Write([]string{"contest", "entry", "title", "category", "votes"})
	for _, r := range rows {
		cw.Write([]string{contest, r.entry, r.title, r.category, strconv.Itoa(r.votes)})
	}
	cw.Flush()
	return cw.Error()
}

// dbUsage documents --db, the same for every command on the vote store.
const dbUsage = "the vote store: sqlite:`PATH`" + pathFlagHelp + " (its folder must exist) or a postgres:// URL; " +
	"default $POSTCARD_VOTE_DB, else votes.db in the site's folder under the user's state directory ($XDG_STATE_HOME/postcard/…)"

// findStore finds the vote store a command named cmd runs on, the way every
// command does (storepath), and prints any warning about it.
func findStore(a *app, cmd, spec, dir string) (server.DB, error) {
	loc, err := storepath.Resolve(storepath.Options{Spec: spec, Site: dir, Kind: storepath.Votes, Getenv: a.getenv})
	if err != nil {
		return server.DB{}, err
	}
	if loc.Warning != "" {
		fmt.Fprintf(a.stderr, "postcard %s: warning: %s\n", cmd, loc.Warning)
	}
	return server.DB(loc), nil
}

// findExportStore finds the store `votes export` reads. With no store
// named (no --db, no POSTCARD_VOTE_DB) it is the site's real votes.db; but
// an editor who has only tried the site with `postcard serve` has votes in
// preview.db alone, so when votes.db does not exist and preview.db does,
// those are exported, with a note on stderr that they are preview votes.
// --preview asks for the preview store outright.
func findExportStore(a *app, db, dir string, preview bool) (server.DB, error) {
	return findStoreOrPreview(a, "votes export", db, dir, preview)
}

// findStoreOrPreview is findExportStore for the command named cmd.
func findStoreOrPreview(a *app, cmd, db, dir string, preview bool) (server.DB, error) {
	if preview {
		loc, err := storepath.Resolve(storepath.Options{Site: dir, Kind: storepath.Preview, Getenv: a.getenv})
		return server.DB(loc), err
	}
	spec, err := findStore(a, cmd, db, dir)
	if err != nil || db != "" || a.getenv(storepath.DBEnv) != "" || exists(spec.SQLite) {
		return spec, err
	}
	loc, err := storepath.Resolve(storepath.Options{Site: dir, Kind: storepath.Preview, Getenv: a.getenv})
	if err != nil || !exists(loc.SQLite) {
		return spec, nil // report the missing votes.db
	}
	fmt.Fprintf(a.stderr, "postcard %s: note: no real votes yet (%s); these are the preview votes of `postcard serve` (%s)\n", cmd, spec.SQLite, loc.SQLite)
	return server.DB(loc), nil
}

// exists reports whether a file is there.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// writeAuditCSV writes one row per burst, in the store's order (most votes
// first): the network's key (the first 8 bytes of its HMAC, in hex: it
// names the network for that day only and cannot be turned back into an
// address), the entry, the hour, the burst's votes and the entry's total, so
// that an editor sees at a glance which share of an entry's votes came from
// one network in one hour.
func writeAuditCSV(w io.Writer, contest string, bursts []vote.Burst, counts map[string]int) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"contest", "network", "entry", "hour", "votes", "entry_votes"})
	for _, b := range bursts {
		key := b.Network
		if len(key) > 8 {
			key = key[:8]
		}
		cw.Write([]string{contest, hex.EncodeToString(key), b.Entry, b.Hour.UTC().Format(time.RFC3339),
			strconv.Itoa(b.Votes), strconv.Itoa(counts[b.Entry])})
	}
	cw.Flush()
	return cw.Error()
}

// siteDir resolves the --source folder against the working directory.
func siteDir(a *app, source string) (string, error) {
	if filepath.IsAbs(source) {
		return source, nil
	}
	wd, err := a.getwd()
	if err != nil {
		return "", err
	}
	return filepath.Join(wd, source), nil
}
