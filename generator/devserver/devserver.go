// Package devserver is `postcard serve`: it builds the site in memory with
// the build's own pipeline (build.Run, which writes nothing), serves
// it on a loopback address with the voting function running in-process on an
// embedded SQLite store, watches the site's files and rebuilds on every save,
// and tells open browsers to reload over Server-Sent Events. A save to a
// story's files or a page layout re-renders only the pages it can change
// (build.Rebuild); anything else builds the whole site again.
//
// When a rebuild fails, the last good site stays up and every page shows the
// errors in an overlay, each as file:line:col, until the next save fixes them.
package devserver

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/server"
	"github.com/postcard-ssg/postcard/functions/vote/storepath"
	"github.com/postcard-ssg/postcard/functions/vote/submission"
	"github.com/postcard-ssg/postcard/generator/build"
	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/output"
)

// Options configure Run.
type Options struct {
	Source string // the site's folder
	Addr   string // loopback address to listen on, "127.0.0.1:1313"
	Drafts bool
	// VotesDB is the SQLite file of the in-process voting function;
	// "" is the site's preview store in the user's state directory
	// (storepath.Preview), apart from its real votes.
	VotesDB string
	// Results is a CSV of final vote counts (build.Options.Results) baked
	// into every rebuild, to preview a closed contest's results page
	// before publishing it; "" is none.
	Results string
	Now     func() time.Time
	// Getenv reads POSTCARD_VOTE_SECRET and finds the state directory
	// (XDG_STATE_HOME, HOME); nil is os.Getenv.
	Getenv  func(string) string
	Version string
	Logger  *slog.Logger
	// Ready is called with the URL once the server listens.
	Ready func(url string)
	// Built is called after each build with its error, if any.
	Built func(res *build.Result, err error)
}

// Server holds the current build and the browsers waiting for a reload.
type Server struct {
	o Options

	mu      sync.RWMutex
	files   *output.Set
	errs    error // the last build's problems, shown as an overlay
	votes   http.Handler
	store   vote.Store
	version int // counts builds, for reload events

	clientsMu sync.Mutex
	clients   map[chan int]bool
}

// Run builds, serves and watches until ctx ends.
func Run(ctx context.Context, o Options) error {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	spec := ""
	if o.VotesDB != "" {
		spec = "sqlite:" + o.VotesDB
	}
	loc, err := storepath.Resolve(storepath.Options{Spec: spec, Site: o.Source, Kind: storepath.Preview, Getenv: o.Getenv})
	if err != nil {
		return err
	}
	if loc.Warning != "" {
		o.Logger.Warn(loc.Warning)
	}
	if err := loc.Prepare(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return err
	}
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		ln.Close()
		return fmt.Errorf("the preview server listens on loopback only (127.0.0.1 or ::1), not %s", host)
	}
	base := "http://" + net.JoinHostPort(host, port) + "/"
	s := &Server{o: o, clients: map[chan int]bool{}}
	db := server.DB(loc)
	secret, err := server.Secret(o.Getenv, db)
	if err != nil {
		ln.Close()
		return err
	}
	store, err := db.Open(ctx)
	if err != nil {
		ln.Close()
		return fmt.Errorf("opening the preview's vote store: %w", err)
	}
	s.store = store
	defer store.Close()

	// last is the last good build, which a rebuild after an edit to a
	// story's files starts from (build.Rebuild), and since every file
	// changed after it, failed builds' edits included; full says a change
	// since needs everything built. Only the watcher's goroutine touches
	// them after the first build.
	var last *build.Result
	var since []string
	full := true
	rebuild := func(changed []string) {
		if changed == nil {
			full = true
		}
		since = append(since, changed...)
		bo := build.Options{Source: o.Source, BaseURL: base, Drafts: o.Drafts, Now: o.Now(), Version: o.Version, Results: o.Results, Remember: true}
		var res *build.Result
		var err error
		if last != nil && !full {
			res, err = build.Rebuild(ctx, bo, last, since)
		} else {
			res, err = build.Run(ctx, bo)
		}
		if err == nil {
			err = s.swap(res, secret, base)
		}
		if err == nil {
			last, since, full = res, nil, false
		}
		s.mu.Lock()
		s.errs = err
		s.version++
		v := s.version
		s.mu.Unlock()
		if o.Built != nil {
			o.Built(res, err)
		}
		s.broadcast(v)
	}
	rebuild(nil)

	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	w, err := newWatcher(o.Source, o.Results)
	if err != nil {
		ln.Close()
		return err
	}
	defer w.Close()
	go w.run(ctx, func(c change) {
		o.Logger.Info("change", "kinds", strings.Join(c.kinds, ","))
		paths := c.paths
		if slices.Contains(c.kinds, "results") {
			paths = nil // the results CSV lives outside the site: build it all
		}
		rebuild(paths)
	})
	if o.Ready != nil {
		o.Ready(base)
	}
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// swap installs a successful build and a voting handler for its manifest.
func (s *Server) swap(res *build.Result, secret []byte, base string) error {
	origin := strings.TrimSuffix(base, "/")
	origins := []string{origin, strings.Replace(origin, "127.0.0.1", "localhost", 1)}
	h, err := submission.Mount(vote.Config{Manifest: res.Manifest, Store: s.store, Secret: secret, Origins: origins, Now: s.o.Now, Logger: s.o.Logger}, vote.ServerMaxRequest)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.files, s.votes = res.Files, h
	s.mu.Unlock()
	return nil
}

const eventsPath = "/_postcard/events"

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == eventsPath {
		s.events(w, r)
		return
	}
	s.mu.RLock()
	files, errs, votes := s.files, s.errs, s.votes
	s.mu.RUnlock()
	if (strings.HasPrefix(r.URL.Path, vote.Path) || strings.HasPrefix(r.URL.Path, vote.SubmissionsPath)) && votes != nil {
		votes.ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if files == nil {
		// No build has succeeded yet: all there is to show is the errors.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, inject([]byte("<!doctype html><title>Build failed</title><body></body>"), errs))
		return
	}
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	if strings.HasSuffix(r.URL.Path, "/") || name == "" {
		name = path.Join(name, "index.html")
	}
	status := http.StatusOK
	if !strings.HasSuffix(name, ".html") && files.IsSource(name) {
		// A video: streamed from the site, never read whole.
		rc, size, err := files.Open(name)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer rc.Close()
		w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
		w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
		w.Header().Set("Cache-Control", "no-store")
		io.Copy(w, rc)
		return
	}
	data, ok := files.Get(name)
	if !ok {
		if _, dir := files.Get(path.Join(name, "index.html")); dir {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		status = http.StatusNotFound
		name = "404.html"
		data, _ = files.Get(name)
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if strings.HasSuffix(name, ".html") {
		io.WriteString(w, inject(data, errs))
		return
	}
	w.Write(data)
}

// inject adds the reload script, and the error overlay when the last build
// failed, before </body>. This is the preview's own markup, not the site's.
func inject(page []byte, errs error) string {
	var b strings.Builder
	if errs != nil {
		b.WriteString(`<div id="postcard-errors" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#2b0d0d;color:#ffe3e3;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;border-top:4px solid #e5484d"><strong>The last build failed; this is the last good version of the site.</strong><ul style="margin:.5rem 0 0;padding-left:1.2rem">`)
		var le *diag.ListError
		if errors.As(errs, &le) {
			for _, e := range le.Errs {
				b.WriteString("<li>" + html.EscapeString(e.Error()) + "</li>")
			}
		} else {
			b.WriteString("<li>" + html.EscapeString(errs.Error()) + "</li>")
		}
		b.WriteString("</ul></div>")
	}
	b.WriteString(`<script>(()=>{const e=new EventSource("` + eventsPath + `");let v=null;e.onmessage=m=>{if(v!==null&&m.data!==v)location.reload();v=m.data}})()</script>`)
	s := string(page)
	if i := strings.LastIndex(s, "</body>"); i >= 0 {
		return s[:i] + b.String() + s[i:]
	}
	return s + b.String()
}

// events streams the build number; a browser reloads when it changes.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	ch := make(chan int, 1)
	s.clientsMu.Lock()
	s.clients[ch] = true
	s.clientsMu.Unlock()
	defer func() {
		s.clientsMu.Lock()
		delete(s.clients, ch)
		s.clientsMu.Unlock()
	}()
	s.mu.RLock()
	v := s.version
	s.mu.RUnlock()
	fmt.Fprintf(w, "data: %d\n\n", v)
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case v := <-ch:
			fmt.Fprintf(w, "data: %d\n\n", v)
			fl.Flush()
		}
	}
}

func (s *Server) broadcast(v int) {
	s.clientsMu.Lock()
	defer s.clientsMu.Unlock()
	for ch := range s.clients {
		select {
		case ch <- v:
		default:
		}
	}
}
