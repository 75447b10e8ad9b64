// Command serve measures how long a saved edit to one story takes to reach
// an open browser under `postcard serve`, beside `hugo server` on the
// equivalent site: from the write of the story's file to the reload event
// (Postcard's Server-Sent Events stream, Hugo's livereload websocket).
//
//	go run ./bench/site -generate /tmp/p10k -generate-hugo /tmp/h10k -sizes 10000
//	go run ./bench/serve -postcard-site /tmp/p10k -hugo-site /tmp/h10k
//
// It builds postcard from this tree, starts each server on a free
// loopback port, waits for its first build, then edits one story's text
// -edits times, -gap apart, and prints the median and 95th percentile.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench/serve:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fl := flag.NewFlagSet("bench-serve", flag.ContinueOnError)
	psite := fl.String("postcard-site", "", "Postcard site folder (bench/site -generate)")
	hsite := fl.String("hugo-site", "", "Hugo site folder (bench/site -generate-hugo); empty skips Hugo")
	hugo := fl.String("hugo", "hugo", "hugo binary (v0.160.0)")
	edits := fl.Int("edits", 20, "edits to time")
	gap := fl.Duration("gap", 1500*time.Millisecond, "pause between edits")
	story := fl.String("story", "", "slug of the story to edit (default: the middle one)")
	skipPostcard := fl.Bool("skip-postcard", false, "time hugo server only")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *psite == "" {
		return errors.New("-postcard-site is required")
	}
	slug := *story
	if slug == "" {
		entries, err := os.ReadDir(filepath.Join(*psite, "content", "stories"))
		if err != nil || len(entries) == 0 {
			return fmt.Errorf("no stories in %s", *psite)
		}
		slug = strings.TrimSuffix(entries[len(entries)/2].Name(), ".md")
	}
	bin := filepath.Join(os.TempDir(), "postcard-bench-serve")
	fmt.Fprintln(os.Stderr, "building postcard...")
	build := exec.Command("go", "build", "-o", bin, "./cmd/postcard")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return err
	}
	file := filepath.Join(*psite, "content", "stories", slug, "index.md")
	port, err := freePort()
	if err != nil {
		return err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if !*skipPostcard {
		p, err := measure("postcard", exec.Command(bin, "serve", "--source", *psite, "--addr", addr), file, *edits, *gap,
			func(ctx context.Context) (<-chan struct{}, error) {
				return sse(ctx, "http://"+addr+"/_postcard/events")
			})
		if err != nil {
			return err
		}
		fmt.Println(p)
	}
	if *hsite != "" {
		if port, err = freePort(); err != nil {
			return err
		}
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		cmd := exec.Command(*hugo, "server", "--source", *hsite, "--bind", "127.0.0.1", "--port", fmt.Sprint(port), "--appendPort=true", "--baseURL", "http://"+addr+"/", "--disableFastRender=false", "--quiet")
		h, err := measure("hugo", cmd, filepath.Join(*hsite, "content", "stories", slug, "index.md"), *edits, *gap,
			func(ctx context.Context) (<-chan struct{}, error) { return livereload(ctx, addr) })
		if err != nil {
			return err
		}
		fmt.Println(h)
	}
	return nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// measure starts the server, connects to its reload stream once it
// answers, and times each edit of file from the write to the reload.
func measure(name string, cmd *exec.Cmd, file string, edits int, gap time.Duration, connect func(context.Context) (<-chan struct{}, error)) (string, error) {
	orig, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	defer os.WriteFile(file, orig, 0o644)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		return "", err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fmt.Fprintf(os.Stderr, "%s: waiting for the first build...\n", name)
	var reloads <-chan struct{}
	deadline := time.Now().Add(15 * time.Minute)
	for {
		if reloads, err = connect(ctx); err == nil {
			break
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("%s: no reload stream: %w", name, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // let the server settle after its first build
	drain(reloads)
	var times []time.Duration
	for i := range edits {
		data := fmt.Appendf(slices.Clone(orig), "\nEdit number %d of the bench: the lake was calm.\n", i+1)
		start := time.Now()
		if err := os.WriteFile(file, data, 0o644); err != nil {
			return "", err
		}
		select {
		case <-reloads:
			times = append(times, time.Since(start))
		case <-time.After(60 * time.Second):
			return "", fmt.Errorf("%s: no reload 60 s after edit %d", name, i+1)
		}
		time.Sleep(gap)
		drain(reloads)
	}
	slices.Sort(times)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	p95 := times[min(len(times)-1, (len(times)*95+99)/100-1)]
	return fmt.Sprintf("%s: %d edits, median %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms",
		name, len(times), ms(times[len(times)/2]), ms(p95), ms(times[0]), ms(times[len(times)-1])), nil
}

func drain(c <-chan struct{}) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}

// sse follows a Server-Sent Events stream: each data line after the
// first (the current build) is a reload.
func sse(ctx context.Context, url string) (<-chan struct{}, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	out := make(chan struct{}, 64)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		first := true
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "data:") {
				if !first {
					out <- struct{}{}
				}
				first = false
			}
		}
	}()
	return out, nil
}

// livereload follows Hugo's livereload websocket: a hello each way, then
// a message whose command is "reload" for each rebuild.
func livereload(ctx context.Context, addr string) (<-chan struct{}, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	key := make([]byte, 16)
	rand.Read(key)
	fmt.Fprintf(conn, "GET /livereload HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nOrigin: http://%s\r\n\r\n",
		addr, base64.StdEncoding.EncodeToString(key), addr)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		conn.Close()
		return nil, fmt.Errorf("livereload: %s", resp.Status)
	}
	if err := writeFrame(conn, []byte(`{"command":"hello","protocols":["http://livereload.com/protocols/official-7"]}`)); err != nil {
		conn.Close()
		return nil, err
	}
	out := make(chan struct{}, 64)
	go func() {
		<-ctx.Done()
		conn.Close()
	}()
	go func() {
		defer conn.Close()
		for {
			msg, err := readFrame(br)
			if err != nil {
				return
			}
			if strings.Contains(string(msg), `"reload"`) {
				out <- struct{}{}
			}
		}
	}()
	return out, nil
}

// writeFrame sends one masked text frame, as a client must.
func writeFrame(w io.Writer, payload []byte) error {
	hdr := []byte{0x81}
	switch n := len(payload); {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	default:
		hdr = append(hdr, 0x80|126, byte(n>>8), byte(n))
	}
	mask := make([]byte, 4)
	rand.Read(mask)
	hdr = append(hdr, mask...)
	body := slices.Clone(payload)
	for i := range body {
		body[i] ^= mask[i%4]
	}
	_, err := w.Write(append(hdr, body...))
	return err
}

// readFrame reads one unmasked server frame's payload.
func readFrame(r *bufio.Reader) ([]byte, error) {
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, err
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	if n > 1<<20 {
		return nil, errors.New("livereload: frame too large")
	}
	if h[1]&0x80 != 0 {
		var m [4]byte
		if _, err := io.ReadFull(r, m[:]); err != nil {
			return nil, err
		}
	}
	buf := make([]byte, n)
	_, err := io.ReadFull(r, buf)
	return buf, err
}
