// Command votes is the voting function's benchmark harness (not a test): it
// starts the standalone server on loopback with SQLite, with PostgreSQL when
// POSTCARD_TEST_POSTGRES is set, and a no-op handler behind the same
// http.Server as the baseline, loads each in turn with many distinct voters
// (three votes per voter cookie, then a new voter) for a fixed time, several
// runs interleaved, and prints median throughput and latency side by side.
//
//	go run ./bench/votes [-duration 10s] [-runs 3] [-connections 64]
//
// Every run of a store starts on an empty database, and after it the
// harness checks that the store counts exactly as many votes as were
// acknowledged with 201. Servers listen on 127.0.0.1 only; each run is
// bounded by -duration.
//
//	go run ./bench/votes -pooler [-pooler-instances 200] [-pooler-votes 50]
//
// runs the pooler load test instead (pooler.go): many serverless function
// instances, each with its own store, through PgBouncer in transaction
// mode to a PostgreSQL that allows few connections, then straight at it.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/server"
)

const contest = "bench"

func main() {
	serve := flag.String("serve", "", "internal: run one server (noop, sqlite:PATH or a postgres URL) and print its address")
	manifestPath := flag.String("manifest", "", "internal: the manifest for -serve")
	duration := flag.Duration("duration", 10*time.Second, "how long each run loads a server")
	warmup := flag.Duration("warmup", time.Second, "load before measuring, each run")
	runs := flag.Int("runs", 3, "runs per server; medians are reported")
	conns := flag.Int("connections", 64, "concurrent keep-alive connections")
	entries := flag.Int("entries", 50, "entries in the contest")
	only := flag.String("only", "", "comma-separated servers to run (noop, sqlite, postgres); empty is all")
	profile := flag.String("cpuprofile", "", "write each store server's CPU profile to `PREFIX`-NAME-RUN.pprof")
	var po poolerOptions
	pooler := flag.Bool("pooler", false, "run the pooler load test instead (see pooler.go)")
	flag.IntVar(&po.instances, "pooler-instances", 200, "pooler test: function instances, each with its own store")
	flag.IntVar(&po.votes, "pooler-votes", 50, "pooler test: votes per instance, each from a new voter")
	flag.DurationVar(&po.duration, "pooler-duration", time.Minute, "pooler test: the most time each path is loaded")
	flag.IntVar(&po.challenge, "pooler-challenge", 8, "pooler test: the contest's proof-of-work difficulty in bits, solved for every vote")
	flag.IntVar(&po.maxConns, "pooler-max-connections", 50, "pooler test: PostgreSQL's max_connections")
	flag.IntVar(&po.poolSize, "pooler-pool-size", 40, "pooler test: PgBouncer's server connections")
	flag.StringVar(&po.modes, "pooler-modes", "pgbouncer,direct", "pooler test: the paths to load, in order (pgbouncer, direct)")
	flag.StringVar(&po.script, "pooler-postgres", "functions/vote/postgres/testdata/start-postgres.sh", "pooler test: the script that starts PostgreSQL")
	flag.Parse()
	if *pooler {
		po.entries = *entries
		if err := poolerBench(po); err != nil {
			fmt.Fprintln(os.Stderr, "bench/votes:", err)
			os.Exit(1)
		}
		return
	}
	if *serve != "" {
		if *profile != "" {
			f, err := os.Create(*profile)
			if err == nil {
				pprof.StartCPUProfile(f)
				defer pprof.StopCPUProfile()
			}
		}
		if err := runServer(*serve, *manifestPath); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if err := bench(*duration, *warmup, *runs, *conns, *entries, *only, *profile); err != nil {
		fmt.Fprintln(os.Stderr, "bench/votes:", err)
		os.Exit(1)
	}
}

func manifest(entries, challenge int) []byte {
	var es []string
	for i := range entries {
		es = append(es, fmt.Sprintf(`{"slug": "entry-%d", "title": "Entry %d", "category": "all"}`, i, i))
	}
	// Every vote comes from loopback: the network quota and the challenge
	// are off, so the bench measures the store.
	return []byte(`{"version": 2, "site": "http://127.0.0.1", "contests": [{
		"slug": "` + contest + `", "title": "Bench", "categories": ["all"],
		"voting_opens": "2000-01-01T00:00:00Z", "voting_closes": "2100-01-01T00:00:00Z",
		"votes_per_voter": 3, "show_counts": true, "network_quota": 0, "challenge": ` + fmt.Sprint(challenge) + `,
		"entries": [` + strings.Join(es, ",") + `]}]}`)
}

// runServer is the child process: a vote server or the no-op baseline.
func runServer(spec, manifestPath string) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	ready := func(a net.Addr) { fmt.Printf("LISTEN %s\n", a) }
	if spec == "noop" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		// The same server settings as the vote server; the handler reads
		// the body and answers as a vote would, without doing anything.
		srv := &http.Server{
			Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, io.LimitReader(r.Body, 1<<10))
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				w.WriteHeader(http.StatusCreated)
				io.WriteString(w, `{"entry":"entry-0","votes":1}`+"\n")
			}),
			ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
			WriteTimeout: 15 * time.Second, IdleTimeout: 60 * time.Second,
		}
		ready(ln.Addr())
		go func() { <-ctx.Done(); srv.Close() }()
		if err := srv.Serve(ln); err != http.ErrServerClosed {
			return err
		}
		return nil
	}
	b, err := os.ReadFile(manifestPath)
	if err != nil {
		return err
	}
	m, err := vote.ParseManifest(b)
	if err != nil {
		return err
	}
	return server.Run(ctx, server.Options{
		Addr:     "127.0.0.1:0",
		DB:       spec,
		Manifest: m,
		Ready:    ready,
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
}

type target struct {
	key   string
	name  string
	spec  func(run int) (string, func(), error) // the -serve spec for a run, and its cleanup
	store bool
}

type result struct {
	ok, other      int
	rps            float64
	p50, p99, pmax time.Duration
	counted        int
}

func bench(duration, warmup time.Duration, runs, conns, entries int, only, profile string) error {
	tmp, err := os.MkdirTemp("", "postcard-bench-votes-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	mpath := filepath.Join(tmp, "manifest.json")
	if err := os.WriteFile(mpath, manifest(entries, 0), 0o644); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	secret := make([]byte, 32)
	rand.Read(secret)

	targets := []target{
		{key: "noop", name: "no-op handler", spec: func(int) (string, func(), error) { return "noop", func() {}, nil }},
		{key: "sqlite", name: "SQLite", store: true, spec: func(run int) (string, func(), error) {
			dir := filepath.Join(tmp, fmt.Sprintf("sqlite-%d", run))
			return "sqlite:" + filepath.Join(dir, "votes.db"), func() { os.RemoveAll(dir) }, os.MkdirAll(dir, 0o755)
		}},
	}
	if dsn := os.Getenv("POSTCARD_TEST_POSTGRES"); dsn != "" {
		targets = append(targets, target{key: "postgres", name: "PostgreSQL", store: true, spec: func(run int) (string, func(), error) {
			return pgSchema(dsn, run)
		}})
	} else {
		fmt.Println("POSTCARD_TEST_POSTGRES is not set: PostgreSQL is left out")
	}

	if only != "" {
		targets = slices.DeleteFunc(targets, func(t target) bool {
			return !slices.Contains(strings.Split(only, ","), t.key)
		})
		if len(targets) == 0 || targets[0].key != "noop" {
			return fmt.Errorf("-only %q: the no-op baseline must be included", only)
		}
	}
	fmt.Printf("load average before: %s\n", loadavg())
	defer func() { fmt.Printf("load average after: %s\n", loadavg()) }()
	fmt.Printf("%d cores, GOMAXPROCS %d, %s; %d connections, %d runs of %s (after %s warm-up) per server\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), conns, runs, duration, warmup)
	results := make(map[string][]result)
	for run := range runs {
		for _, t := range targets {
			spec, cleanup, err := t.spec(run)
			if err != nil {
				return err
			}
			prof := ""
			if profile != "" && t.store {
				prof = fmt.Sprintf("%s-%s-%d.pprof", profile, t.key, run+1)
			}
			r, err := oneRun(self, spec, prof, mpath, hex.EncodeToString(secret), t.store, duration, warmup, conns, entries)
			cleanup()
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			fmt.Printf("run %d %-14s %9.0f req/s  p50 %-9s p99 %-9s max %-9s 201: %d  other: %d",
				run+1, t.name, r.rps, r.p50, r.p99, r.pmax, r.ok, r.other)
			if t.store {
				fmt.Printf("  stored: %d", r.counted)
			}
			fmt.Println()
			results[t.name] = append(results[t.name], r)
		}
	}

	median := func(rs []result, f func(result) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	base := median(results["no-op handler"], func(r result) float64 { return r.rps })
	fmt.Println()
	fmt.Printf("| server | throughput (req/s) | × no-op | p50 | p99 | every 201 stored |\n|---|---|---|---|---|---|\n")
	for _, t := range targets {
		rs := results[t.name]
		rps := median(rs, func(r result) float64 { return r.rps })
		p50 := time.Duration(median(rs, func(r result) float64 { return float64(r.p50) }))
		p99 := time.Duration(median(rs, func(r result) float64 { return float64(r.p99) }))
		stored := "n/a"
		if t.store {
			stored = "yes"
			for _, r := range rs {
				if r.counted != r.ok || r.other != 0 {
					stored = fmt.Sprintf("NO (%d acknowledged, %d stored, %d other answers)", r.ok, r.counted, r.other)
				}
			}
		}
		fmt.Printf("| %s | %.0f | %.2f | %s | %s | %s |\n", t.name, rps, rps/base, round(p50), round(p99), stored)
	}
	return nil
}

func round(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

// pgSchema makes an empty schema for one run and returns a DSN that uses it.
func pgSchema(dsn string, run int) (string, func(), error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("bench_votes_%d_%d", os.Getpid(), run)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, err
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("pool_max_conns", "32")
	u.RawQuery = q.Encode()
	cleanup := func() {
		if c, err := pgx.Connect(ctx, dsn); err == nil {
			c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			c.Close(ctx)
		}
	}
	return u.String(), cleanup, nil
}

func oneRun(self, spec, prof, mpath, secret string, store bool, duration, warmup time.Duration, conns, entries int) (result, error) {
	cmd := exec.Command(self, "-serve", spec, "-manifest", mpath, "-cpuprofile", prof)
	cmd.Env = append(os.Environ(), server.SecretEnv+"="+secret)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return result{}, err
	}
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}()
	addrc := make(chan string, 1)
	go func() {
		buf := make([]byte, 256)
		var line string
		for {
			n, err := out.Read(buf)
			line += string(buf[:n])
			if a, ok := strings.CutPrefix(strings.SplitN(line, "\n", 2)[0], "LISTEN "); ok && strings.Contains(line, "\n") {
				addrc <- a
				io.Copy(io.Discard, out)
				return
			}
			if err != nil {
				close(addrc)
				return
			}
		}
	}()
	var addr string
	select {
	case a, ok := <-addrc:
		if !ok {
			return result{}, fmt.Errorf("the server exited before listening")
		}
		addr = a
	case <-time.After(30 * time.Second):
		return result{}, fmt.Errorf("the server did not start")
	}
	base := "http://" + addr

	load(base, conns, entries, warmup) // warm-up, not measured
	before := 0
	if store {
		if before, err = stored(base); err != nil {
			return result{}, err
		}
	}
	r := load(base, conns, entries, duration)
	if store {
		n, err := stored(base)
		if err != nil {
			return result{}, err
		}
		r.counted = n - before
	}
	return r, nil
}

// stored sums the contest's counts as the server reports them.
func stored(base string) (int, error) {
	resp, err := http.Get(base + "/api/votes?contest=" + contest)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var body struct{ Entries map[string]int }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, err
	}
	n := 0
	for _, c := range body.Entries {
		n += c
	}
	return n, nil
}

// load votes from conns keep-alive connections for d: each connection casts
// three votes per voter cookie, then starts as a new voter.
func load(base string, conns, entries int, d time.Duration) result {
	var mu sync.Mutex
	var lat []time.Duration
	var res result
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{
				Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true},
				Timeout:   10 * time.Second,
			}
			defer client.CloseIdleConnections()
			my := make([]time.Duration, 0, 1<<14)
			ok, other := 0, 0
			var cookie string
			for i := 0; time.Now().Before(deadline); i++ {
				if i%3 == 0 {
					cookie = ""
				}
				entry := (c*7 + i*13) % entries
				body := fmt.Sprintf(`{"contest":%q,"entry":"entry-%d"}`, contest, entry)
				req, _ := http.NewRequest(http.MethodPost, base+"/api/votes", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Origin", "http://127.0.0.1")
				if cookie != "" {
					req.Header.Set("Cookie", "postcard_voter="+cookie)
				}
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					other++
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				my = append(my, time.Since(start))
				if resp.StatusCode == http.StatusCreated {
					ok++
				} else {
					other++
				}
				if cookie == "" {
					for _, ck := range resp.Cookies() {
						if ck.Name == "postcard_voter" {
							cookie = ck.Value
						}
					}
				}
			}
			mu.Lock()
			lat = append(lat, my...)
			res.ok += ok
			res.other += other
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	if n := len(lat); n > 0 {
		res.p50, res.p99, res.pmax = lat[n/2], lat[n*99/100], lat[n-1]
	}
	res.rps = float64(res.ok) / d.Seconds()
	return res
}

// loadavg reports the machine's load, since other work on it skews figures.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
