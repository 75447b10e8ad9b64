package main

// The pooler load test: a popular contest on a serverless host runs
// hundreds of function instances at once, each with its own store, and
// PostgreSQL allows only so many connections. It starts a throw-away
// PostgreSQL with few connections (-pooler-max-connections) and PgBouncer
// in transaction mode in front of it, then runs -pooler-instances
// instances of the Lambda entry point in this process, each opening its
// store as the entry point does (postgres.OpenServerless, through
// lambda.NewInstance), each casting votes as the theme's script does: a
// challenge, its proof of work, the vote, every vote from a new voter. Then
// it checks in PostgreSQL itself that every 201 is stored, entry by entry.
// The same load straight at PostgreSQL, without the pooler, shows what
// fails there.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/jackc/pgx/v5"
	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/lambda"
)

type poolerOptions struct {
	instances, votes, entries, challenge, maxConns, poolSize int
	duration                                                 time.Duration
	modes, script                                            string
}

type poolerResult struct {
	mode            string
	started         int   // instances whose store opened
	setupErrs       int   // store opens that failed (cold starts that fail)
	ok              int   // votes answered 201
	failed          int   // votes answered otherwise, or not answered
	stored          int   // votes PostgreSQL holds
	told            []int // 201s by entry, as the clients were answered
	mismatch        []string
	opening         time.Duration // the burst of cold starts, all instances at once
	elapsed         time.Duration
	p50, p99, pmax  time.Duration
	errs            map[string]int
	poolerErrLines  int
	poolerErrSample []string
}

func poolerBench(o poolerOptions) error {
	if _, err := os.Stat(o.script); err != nil {
		return fmt.Errorf("-pooler needs %s (run from the repository's root): %w", o.script, err)
	}
	tmp, err := os.MkdirTemp("", "postcard-bench-pooler-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// PostgreSQL and PgBouncer run as the postgres user when this runs as root.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	pgPort, err := freePort()
	if err != nil {
		return err
	}
	pgEnv := append(os.Environ(),
		"POSTCARD_PG_DIR="+filepath.Join(tmp, "pg"),
		fmt.Sprintf("POSTCARD_PG_PORT=%d", pgPort),
		fmt.Sprintf("POSTCARD_PG_MAX_CONNECTIONS=%d", o.maxConns))
	var pgLog bytes.Buffer
	start := exec.Command("bash", o.script)
	start.Env, start.Stderr = pgEnv, &pgLog
	out, err := start.Output()
	if err != nil {
		return fmt.Errorf("starting PostgreSQL: %w\n%s", err, pgLog.String())
	}
	defer func() {
		stop := exec.Command("bash", o.script, "stop")
		stop.Env = pgEnv
		stop.Run()
	}()
	dsn, ok := strings.CutPrefix(strings.TrimSpace(string(out)), "export POSTCARD_TEST_POSTGRES=")
	if !ok {
		return fmt.Errorf("starting PostgreSQL: unexpected output %q", out)
	}
	dsn = strings.Trim(dsn, "'")

	fmt.Printf("load average before: %s\n", loadavg())
	defer func() { fmt.Printf("load average after: %s\n", loadavg()) }()
	pgbVersion, _ := exec.Command("pgbouncer", "--version").Output()
	fmt.Printf("%d cores, GOMAXPROCS %d, %s; PostgreSQL max_connections %d; %s\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), o.maxConns, strings.SplitN(string(pgbVersion), "\n", 2)[0])
	fmt.Printf("%d instances, up to %d votes each (one new voter per vote) within %s; %d entries; challenge %d bits\n",
		o.instances, o.votes, o.duration, o.entries, o.challenge)

	var results []poolerResult
	for _, mode := range strings.Split(o.modes, ",") {
		if mode != "pgbouncer" && mode != "direct" {
			return fmt.Errorf("-pooler-modes: unknown mode %q (pgbouncer, direct)", mode)
		}
		db := "bench_" + mode
		direct, err := createDB(dsn, db)
		if err != nil {
			return err
		}
		target := direct
		var pooler *pgbouncer
		if mode == "pgbouncer" {
			if pooler, err = startPgBouncer(filepath.Join(tmp, "pgbouncer"), pgPort, o.poolSize); err != nil {
				return err
			}
			target = withPort(direct, pooler.port)
		}
		r := loadInstances(o, mode, target)
		if pooler != nil {
			r.poolerErrLines, r.poolerErrSample = pooler.stop()
		}
		if err := verify(direct, &r); err != nil {
			return fmt.Errorf("%s: checking the stored votes: %w", mode, err)
		}
		printPooler(r)
		results = append(results, r)
	}
	fmt.Println()
	fmt.Printf("| path | instances started | votes/s | p50 | p99 | max | 201 | stored | other answers | store opens failed |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		fmt.Printf("| %s | %d of %d | %.0f | %s | %s | %s | %d | %d | %d | %d |\n", r.mode, r.started, o.instances,
			float64(r.ok)/r.elapsed.Seconds(), round(r.p50), round(r.p99), round(r.pmax), r.ok, r.stored, r.failed, r.setupErrs)
	}
	for _, r := range results {
		if r.mode == "pgbouncer" && (r.ok != r.stored || r.failed != 0 || r.setupErrs != 0 || len(r.mismatch) > 0) {
			return errors.New("through PgBouncer: not every vote was answered 201 and stored")
		}
	}
	return nil
}

func printPooler(r poolerResult) {
	fmt.Printf("\n%s: %d instances started in %s, %d store opens failed; %d votes answered 201 in %s (%.0f votes/s), p50 %s p99 %s max %s; %d other answers; PostgreSQL holds %d\n",
		r.mode, r.started, r.opening.Round(time.Millisecond), r.setupErrs, r.ok, r.elapsed.Round(time.Millisecond), float64(r.ok)/r.elapsed.Seconds(),
		round(r.p50), round(r.p99), round(r.pmax), r.failed, r.stored)
	keys := make([]string, 0, len(r.errs))
	for k := range r.errs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Printf("  %6d × %s\n", r.errs[k], k)
	}
	for _, m := range r.mismatch {
		fmt.Println("  MISMATCH:", m)
	}
	if r.mode == "pgbouncer" {
		fmt.Printf("  PgBouncer logged %d errors or warnings\n", r.poolerErrLines)
		for _, l := range r.poolerErrSample {
			fmt.Println("   ", l)
		}
	}
}

// loadInstances starts the instances all at once, as a burst of cold
// starts, then has each cast its votes. An instance whose store could not
// open tries again at its next vote, as the host starts a new instance for
// the next request; the vote it was for fails.
func loadInstances(o poolerOptions, mode, dsn string) poolerResult {
	secret := make([]byte, 32)
	rand.Read(secret)
	env := map[string]string{
		"POSTCARD_VOTE_SECRET":     hex.EncodeToString(secret),
		"POSTCARD_VOTE_DB":         dsn,
		"POSTCARD_VOTE_RATE_LIMIT": "0",
	}
	getenv := func(k string) string { return env[k] }
	manifest := manifest(o.entries, o.challenge)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()

	res := poolerResult{mode: mode, errs: map[string]int{}}
	var mu sync.Mutex
	fail := func(what string, err error) {
		mu.Lock()
		res.errs[what+": "+shorten(err.Error())]++
		mu.Unlock()
	}
	instances := make([]*lambda.Instance, o.instances)
	open := func(i int) bool {
		in, err := lambda.NewInstance(ctx, manifest, getenv, logger)
		if err != nil {
			fail("store open", err)
			mu.Lock()
			res.setupErrs++
			mu.Unlock()
			return false
		}
		instances[i] = in
		return true
	}
	var wg sync.WaitGroup
	t0 := time.Now()
	for i := range instances {
		wg.Go(func() { open(i) })
	}
	wg.Wait()
	res.opening = time.Since(t0)
	for _, in := range instances {
		if in != nil {
			res.started++
		}
	}

	perEntry := make([]int, o.entries)
	var lat []time.Duration
	begin := time.Now()
	deadline := begin.Add(o.duration)
	for i := range instances {
		wg.Go(func() {
			ip := fmt.Sprintf("198.18.%d.%d", i/250, i%250+1)
			var my []time.Duration
			ok, failed := 0, 0
			mine := make([]int, o.entries)
			for n := 0; n < o.votes && time.Now().Before(deadline); n++ {
				if instances[i] == nil && !open(i) {
					failed++
					continue
				}
				in := instances[i]
				entry := (i*7 + n*13) % o.entries
				start := time.Now()
				status, body, err := castVote(ctx, in, ip, entry)
				if err != nil {
					fail("vote", err)
					failed++
					continue
				}
				my = append(my, time.Since(start))
				if status == 201 {
					ok++
					mine[entry]++
				} else {
					fail(fmt.Sprintf("vote answered %d", status), errors.New(body))
					failed++
				}
			}
			mu.Lock()
			lat = append(lat, my...)
			res.ok += ok
			res.failed += failed
			for e, c := range mine {
				perEntry[e] += c
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(begin)
	for _, in := range instances {
		if in != nil {
			in.Close()
		}
	}
	slices.Sort(lat)
	if n := len(lat); n > 0 {
		res.p50, res.p99, res.pmax = lat[n/2], lat[n*99/100], lat[n-1]
	}
	res.told = perEntry
	return res
}

// castVote does what the theme's vote script does for one vote: fetch a
// challenge, solve it, send the vote with the proof. The latency measured
// is the whole of it, as the voter waits for all three.
func castVote(ctx context.Context, in *lambda.Instance, ip string, entry int) (int, string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	st, body, err := invoke(ctx, in, ip, "GET", vote.ChallengePath, "contest="+contest, nil, "")
	if err != nil {
		return 0, "", err
	}
	if st != 200 {
		return st, body, nil
	}
	var c struct {
		Challenge  string
		Difficulty int
	}
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		return 0, "", fmt.Errorf("challenge: %w", err)
	}
	headers := map[string]string{"content-type": "application/json", "origin": "http://127.0.0.1"}
	if c.Difficulty > 0 {
		headers[strings.ToLower(vote.ProofHeader)] = vote.Solve(c.Challenge, c.Difficulty)
	}
	return invoke(ctx, in, ip, "POST", vote.Path, "", headers, fmt.Sprintf(`{"contest":%q,"entry":"entry-%d"}`, contest, entry))
}

// invoke sends one payload 2.0 event, as a function URL or an HTTP API does.
func invoke(ctx context.Context, in *lambda.Instance, ip, method, path, query string, headers map[string]string, body string) (int, string, error) {
	ev := events.APIGatewayV2HTTPRequest{Version: "2.0", RawPath: path, RawQueryString: query, Headers: headers, Body: body}
	ev.RequestContext.HTTP.Method = method
	ev.RequestContext.HTTP.SourceIP = ip
	raw, err := json.Marshal(ev)
	if err != nil {
		return 0, "", err
	}
	out, err := in.Invoke(ctx, raw)
	if err != nil {
		return 0, "", err
	}
	resp, ok := out.(events.APIGatewayV2HTTPResponse)
	if !ok {
		return 0, "", fmt.Errorf("unexpected answer %T", out)
	}
	return resp.StatusCode, resp.Body, nil
}

// verify counts in PostgreSQL, straight and not through the pooler, what
// the store holds: every vote the clients were answered 201 for, entry by
// entry, each from its own voter, and the tallies agreeing.
func verify(dsn string, r *poolerResult) error {
	told := r.told
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	stored := make([]int, len(told))
	rows, err := conn.Query(ctx, `SELECT entry, count(*), count(DISTINCT voter) FROM votes WHERE contest = $1 GROUP BY entry`, contest)
	if err != nil {
		return err
	}
	var entry string
	var n, voters int
	_, err = pgx.ForEachRow(rows, []any{&entry, &n, &voters}, func() error {
		var e int
		if _, err := fmt.Sscanf(entry, "entry-%d", &e); err != nil || e < 0 || e >= len(stored) {
			r.mismatch = append(r.mismatch, "a vote for an unknown entry "+entry)
			return nil
		}
		stored[e] = n
		r.stored += n
		if voters != n {
			r.mismatch = append(r.mismatch, fmt.Sprintf("%s: %d votes from %d voters", entry, n, voters))
		}
		return nil
	})
	if err != nil {
		return err
	}
	var tallied, voters2 int
	if err := conn.QueryRow(ctx, `SELECT coalesce(sum(votes), 0) FROM tallies WHERE contest = $1`, contest).Scan(&tallied); err != nil {
		return err
	}
	if err := conn.QueryRow(ctx, `SELECT count(DISTINCT voter) FROM votes WHERE contest = $1`, contest).Scan(&voters2); err != nil {
		return err
	}
	if tallied != r.stored {
		r.mismatch = append(r.mismatch, fmt.Sprintf("tallies sum to %d, votes rows %d", tallied, r.stored))
	}
	if voters2 != r.stored {
		r.mismatch = append(r.mismatch, fmt.Sprintf("%d votes from %d distinct voters, want one vote each", r.stored, voters2))
	}
	for e, want := range told {
		if stored[e] != want {
			r.mismatch = append(r.mismatch, fmt.Sprintf("entry-%d: %d answered 201, %d stored", e, want, stored[e]))
		}
	}
	return nil
}

// createDB makes an empty database for one path of the test and returns its URL.
func createDB(dsn, name string) (string, error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", err
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

func withPort(dsn string, port int) string {
	u, _ := url.Parse(dsn)
	u.Host = fmt.Sprintf("%s:%d", u.Hostname(), port)
	return u.String()
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

type pgbouncer struct {
	cmd  *exec.Cmd
	port int
	log  *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startPgBouncer runs PgBouncer on loopback in transaction mode in front
// of the server on pgPort, with at most poolSize server connections.
// Authentication is trust: it listens on 127.0.0.1 only, for this test.
func startPgBouncer(dir string, pgPort, poolSize int) (*pgbouncer, error) {
	if _, err := exec.LookPath("pgbouncer"); err != nil {
		return nil, errors.New("pgbouncer is not installed (Debian: apt-get install pgbouncer)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	userlist := filepath.Join(dir, "userlist.txt")
	if err := os.WriteFile(userlist, []byte(`"postgres" ""`+"\n"), 0o644); err != nil {
		return nil, err
	}
	ini := fmt.Sprintf(`[databases]
* = host=127.0.0.1 port=%d

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = trust
auth_file = %s
pool_mode = transaction
max_client_conn = 2000
default_pool_size = %d
max_db_connections = %d
server_reset_query =
log_connections = 0
log_disconnections = 0
`, pgPort, port, userlist, poolSize, poolSize)
	conf := filepath.Join(dir, "pgbouncer.ini")
	if err := os.WriteFile(conf, []byte(ini), 0o644); err != nil {
		return nil, err
	}
	args := []string{conf}
	if os.Geteuid() == 0 {
		args = []string{"-u", "postgres", conf} // it refuses to run as root
	}
	p := &pgbouncer{cmd: exec.Command("pgbouncer", args...), port: port, log: &lockedBuffer{}}
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	for range 100 {
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second); err == nil {
			c.Close()
			return p, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.stop()
	return nil, fmt.Errorf("pgbouncer did not start:\n%s", p.log.String())
}

// stop ends PgBouncer and reports the errors and warnings it logged.
func (p *pgbouncer) stop() (int, []string) {
	p.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
	n := 0
	var sample []string
	for _, l := range strings.Split(p.log.String(), "\n") {
		if strings.Contains(l, " ERROR ") || strings.Contains(l, " WARNING ") {
			n++
			if len(sample) < 5 {
				sample = append(sample, l)
			}
		}
	}
	return n, sample
}

func shorten(s string) string {
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
