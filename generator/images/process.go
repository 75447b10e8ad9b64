package images

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Request asks for one source image to be published.
type Request struct {
	// Src is the source, a slash path relative to the site root, e.g.
	// "content/stories/pier/pier.jpg".
	Src string
	// Dir is the output folder, a slash path relative to the destination,
	// e.g. "stories/pier"; "" is the destination's root.
	Dir string
	// Focus steers the social card's crop.
	Focus Focus
	// Card asks for a 1200x630 social card (JPEG) as well.
	Card bool
}

// Variant is one published file.
type Variant struct {
	// URL is "/" + Dir + "/" + name, each path segment percent-escaped.
	URL           string
	Width, Height int
}

// Source is one format of an image, as a <source> of a <picture> lists it.
type Source struct {
	Format   string // "avif", "webp", "jpeg" or "png"
	MIME     string // "image/avif", "image/webp", ...
	Variants []Variant
}

// Image is a processed image, ready for templates.
type Image struct {
	Src string
	// Width and Height are the source's upright size (after EXIF
	// orientation).
	Width, Height int
	// Sources lists the modern formats first and the fallback (JPEG, or PNG
	// when the image has transparency) last. Variants are by ascending width.
	Sources []Source
	// Placeholder is a tiny preview as a data: URI, a few hundred bytes.
	Placeholder string
	// Color is the average colour, "#rrggbb".
	Color string
	// Transparent is true when the image has transparent pixels; such an
	// image keeps PNG as its fallback and gets no placeholder behind it.
	Transparent bool
	// Card is the social card, when requested.
	Card *Variant
}

// Fallback returns the last source, the one every browser can show.
func (img *Image) Fallback() Source {
	if len(img.Sources) == 0 {
		return Source{}
	}
	return img.Sources[len(img.Sources)-1]
}

// Sink receives the files to publish; name is a slash path relative to the
// destination. The Processor calls WriteFile from one goroutine at a time,
// unless the sink is a [ConcurrentSink].
type Sink interface {
	WriteFile(name string, data []byte) error
}

// ConcurrentSink is a Sink whose WriteFile is safe to call from several
// goroutines at once. The Processor then writes from all its workers in
// parallel, which matters on a warm build, where publishing cached files is
// most of the work. ConcurrentWrites is a marker; it is never called.
type ConcurrentSink interface {
	Sink
	ConcurrentWrites()
}

// LinkSink is a Sink that can publish a file from the cache without being
// handed its bytes: LinkFile makes name a hard link to (or a copy of) the
// cache file at the absolute path cached. The Processor uses it for every
// output when a cache is configured: a warm build then publishes each file
// with one link instead of a read and a write. Cache files are never written
// into after they are made, but a published file that is a link shares them,
// so a LinkSink must replace files rather than write into them (remove, then
// link or write), and nothing may edit published files in place. When
// LinkFile fails (for instance across file systems), the Processor writes
// the bytes with WriteFile instead.
type LinkSink interface {
	Sink
	LinkFile(name, cached string) error
}

// Error is the failure of one source. Its message reads
// "content/x/bomb.png: image is 40000x40000 (1600.0 megapixels), over the
// 60 megapixel limit".
type Error struct {
	Src string
	Err error
}

func (e *Error) Error() string { return e.Src + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Stats counts a Processor's work since New.
type Stats struct {
	Sources       int   // distinct sources processed, successfully or not
	Hashed        int   // sources read and hashed (the others were known unchanged by size and time)
	Decoded       int   // sources whose pixels were decoded
	DecodedPixels int64 // pixels decoded
	Cached        int   // sources published entirely from the cache
	Failed        int   // sources that gave an error
	Written       int   // files written to sinks
	WrittenBytes  int64 // bytes written to sinks
	CacheWrites   int   // cache entries of outputs and sources written
}

// Processor publishes images. It is safe for concurrent use; New it once
// per build (or per dev-server session) so its statistics and the set of
// cache entries it used mean something for Prune.
type Processor struct {
	root    *os.Root
	cfg     Config
	cache   *cache
	budget  *budget
	cpu     chan struct{} // one token per source decoding or encoding
	started time.Time
	version string

	sinkMu sync.Mutex

	sources, hashed, decoded, cached, failed, written, cacheWrites atomic.Int64
	decodedPixels, writtenBytes                                    atomic.Int64
}

// New returns a Processor reading sources from root, the site's root folder.
// Every read goes through root, so no source can be outside it.
func New(root *os.Root, cfg Config) (*Processor, error) {
	if root == nil {
		return nil, errors.New("images: nil root")
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if cfg.CacheDir != "" && !filepath.IsAbs(cfg.CacheDir) {
		return nil, fmt.Errorf("images: cache folder %q must be an absolute path", cfg.CacheDir)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	return &Processor{
		root:    root,
		cfg:     cfg,
		cache:   &cache{dir: cfg.CacheDir},
		budget:  newBudget(cfg.MemoryBudget),
		cpu:     make(chan struct{}, cfg.Workers),
		started: time.Now(),
		version: EncoderVersion(),
	}, nil
}

// Stats returns the counts so far.
func (p *Processor) Stats() Stats {
	return Stats{
		Sources:       int(p.sources.Load()),
		Hashed:        int(p.hashed.Load()),
		Decoded:       int(p.decoded.Load()),
		DecodedPixels: p.decodedPixels.Load(),
		Cached:        int(p.cached.Load()),
		Failed:        int(p.failed.Load()),
		Written:       int(p.written.Load()),
		WrittenBytes:  p.writtenBytes.Load(),
		CacheWrites:   int(p.cacheWrites.Load()),
	}
}

// Prune removes cache entries that this Processor did not use and that no
// other build touched since this Processor was made. Call it after a
// complete, successful build (never after a partial one, such as the dev
// server rebuilding one page, which would drop entries the full site still
// needs). It returns the number of files removed.
func (p *Processor) Prune() (int, error) {
	return p.cache.prune(p.started)
}

// Process publishes every request: it writes each output file to sink and
// returns the images by Src. Requests are processed in parallel with at
// most Config.MemoryBudget decoded pixels in flight. Requests with the same
// Src are processed once: the first one's Dir and Focus are used, and a
// card is made if any asks for one.
//
// A bad source does not stop the others: the returned slice holds one
// *Error per failed source (sorted by Src), and the map has no entry for
// it. If ctx is cancelled, sources not yet started are skipped and ctx's
// error is appended once.
func (p *Processor) Process(ctx context.Context, reqs []Request, sink Sink) (map[string]*Image, []error) {
	var order []string
	merged := map[string]*Request{}
	for _, r := range reqs {
		if m, ok := merged[r.Src]; ok {
			m.Card = m.Card || r.Card
			continue
		}
		merged[r.Src] = &r
		order = append(order, r.Src)
	}

	var (
		mu      sync.Mutex
		out     = make(map[string]*Image, len(order))
		errs    []error
		done    int
		skipped bool
		jobs    = make(chan *Request)
		wg      sync.WaitGroup
	)
	for range min(4*p.cfg.Workers, max(1, len(order))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				img, err := p.one(ctx, *r, sink)
				mu.Lock()
				if err != nil {
					if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
						skipped = true
					} else {
						errs = append(errs, &Error{Src: r.Src, Err: err})
					}
				} else {
					out[r.Src] = img
				}
				done++
				if p.cfg.Progress != nil {
					p.cfg.Progress(done, len(order))
				}
				mu.Unlock()
			}
		}()
	}
	for _, src := range order {
		if ctx.Err() != nil {
			mu.Lock()
			skipped = true
			mu.Unlock()
			break
		}
		jobs <- merged[src]
	}
	close(jobs)
	wg.Wait()
	slices.SortFunc(errs, func(a, b error) int {
		return cmp.Compare(a.(*Error).Src, b.(*Error).Src)
	})
	if skipped {
		errs = append(errs, ctx.Err())
	}
	return out, errs
}

// one publishes one source.
func (p *Processor) one(ctx context.Context, r Request, sink Sink) (img *Image, err error) {
	p.sources.Add(1)
	defer func() {
		if err != nil {
			p.failed.Add(1)
		}
	}()
	if err := checkDir(r.Dir); err != nil {
		return nil, err
	}
	st, err := statSource(p.root, r.Src, p.cfg.MaxBytes)
	if err != nil {
		return nil, err
	}
	sig := p.opSignature(r)
	statName := key("stat", p.root.Name(), r.Src, strconv.FormatInt(st.Size(), 10), strconv.FormatInt(st.ModTime().UnixNano(), 10)) + ".src"
	if p.cache.enabled() {
		if h, err := p.cache.get(statName); err == nil && len(h) == 64 {
			if img, err := p.fromCache(r, string(h), sig, sink); err == nil {
				return img, nil
			} else if !errors.Is(err, errCacheMiss) {
				return nil, err
			}
		}
	}
	hashedAt := time.Now()
	data, err := readSource(p.root, r.Src, p.cfg.MaxBytes)
	if err != nil {
		return nil, err
	}
	p.hashed.Add(1)
	sum := sha256.Sum256(data)
	srcHash := hex.EncodeToString(sum[:])
	if p.cache.enabled() && hashedAt.Sub(st.ModTime()) > racyWindow {
		_ = p.cache.put(statName, []byte(srcHash)) // best effort: only speeds up the next build
	}
	if p.cache.enabled() {
		if img, err := p.fromCache(r, srcHash, sig, sink); err == nil {
			return img, nil
		} else if !errors.Is(err, errCacheMiss) {
			return nil, err
		}
	}
	entryName := key(srcHash, "entry", sig, p.version) + ".json"
	var e sourceEntry
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e, err = p.render(ctx, r, data, srcHash, sink)
	if err != nil {
		return nil, err
	}
	if err := p.cache.putJSON(entryName, e); err == nil && p.cache.enabled() {
		p.cacheWrites.Add(1)
	}
	return p.image(r, &e), nil
}

// opSignature describes everything besides the source bytes that decides a
// source's outputs.
func (p *Processor) opSignature(r Request) string {
	var b strings.Builder
	fmt.Fprintf(&b, "widths=%v formats=%v q=%d", p.cfg.Widths, p.cfg.Formats, p.cfg.Quality)
	if r.Card {
		b.WriteString(" card focus=" + r.Focus.String())
	}
	return b.String()
}

var errCacheMiss = errors.New("cache miss")

// collectAfter is the budget cost of a source big enough that the
// Processor runs a garbage collection when it is done. Without it, the Go
// heap's next collection waits until the heap doubles the size it had while
// that source was being decoded (Go's GOGC pacing), so one 15-megapixel
// progressive JPEG (about 250 MB while it decodes) sets the process's peak
// at twice that. A collection costs milliseconds next to the source's
// hundreds; measured on the benchmark, it cut peak memory by about a third.
const collectAfter = 16_000_000

// fromCache publishes a source from its cache entry; errCacheMiss when the
// entry or one of its files is missing.
func (p *Processor) fromCache(r Request, srcHash, sig string, sink Sink) (*Image, error) {
	var e sourceEntry
	if p.cache.getJSON(key(srcHash, "entry", sig, p.version)+".json", &e) != nil {
		return nil, errCacheMiss
	}
	// The limit may have been lowered since the entry was made.
	if err := checkPixels(e.Width, e.Height, p.cfg.MaxPixels); err != nil {
		return nil, err
	}
	if err := p.publishCached(r, &e, sink); err != nil {
		return nil, err
	}
	p.cached.Add(1)
	return p.image(r, &e), nil
}

// publishCached writes a cached source's files to sink; errCacheMiss when
// one of them is gone.
func (p *Processor) publishCached(r Request, e *sourceEntry, sink Sink) error {
	files := make([]entryFile, 0, 8)
	for _, s := range e.Sources {
		files = append(files, s.Files...)
	}
	if e.Card != nil {
		files = append(files, *e.Card)
	}
	if ls, ok := sink.(LinkSink); ok {
		paths := make([]string, len(files))
		sizes := make([]int64, len(files))
		for i, f := range files {
			var err error
			if paths[i], sizes[i], err = p.cache.stat(f.Entry); err != nil {
				return errCacheMiss
			}
		}
		for i, f := range files {
			if err := p.link(ls, r.Dir, f.Name, paths[i], sizes[i]); err != nil {
				return err
			}
		}
		return nil
	}
	blobs := make([][]byte, len(files))
	for i, f := range files {
		data, err := p.cache.get(f.Entry)
		if err != nil {
			return errCacheMiss
		}
		blobs[i] = data
	}
	for i, f := range files {
		if err := p.write(sink, r.Dir, f.Name, blobs[i]); err != nil {
			return err
		}
	}
	return nil
}

// link publishes a cache file through a LinkSink, falling back to writing
// its bytes when the sink cannot link it.
func (p *Processor) link(sink LinkSink, dir, name, cached string, size int64) error {
	err := func() error {
		if _, ok := sink.(ConcurrentSink); !ok {
			p.sinkMu.Lock()
			defer p.sinkMu.Unlock()
		}
		return sink.LinkFile(path.Join(dir, name), cached)
	}()
	if err == nil {
		p.written.Add(1)
		p.writtenBytes.Add(size)
		return nil
	}
	data, rerr := os.ReadFile(cached)
	if rerr != nil {
		return errCacheMiss
	}
	return p.write(sink, dir, name, data)
}

// render decodes a source and makes all its outputs.
func (p *Processor) render(ctx context.Context, r Request, data []byte, srcHash string, sink Sink) (sourceEntry, error) {
	var e sourceEntry
	h, err := decodeHeader(data, p.cfg.MaxPixels)
	if err != nil {
		return e, err
	}
	if h.cost() >= collectAfter {
		// Deferred first, so it runs last: after the budget and the CPU token
		// are returned and every buffer of this source is garbage.
		defer runtime.GC()
	}
	select {
	case p.cpu <- struct{}{}:
	case <-ctx.Done():
		return e, ctx.Err()
	}
	defer func() { <-p.cpu }()
	n, err := p.budget.acquire(ctx, h.cost())
	if err != nil {
		return e, err
	}
	defer p.budget.release(n)

	var src image.Image
	src, err = decodePixels(data, h.format)
	if err != nil {
		return e, err
	}
	p.decoded.Add(1)
	p.decodedPixels.Add(int64(h.width) * int64(h.height))
	src = orient(src, h.orientation)
	b := src.Bounds()
	e.Width, e.Height = b.Dx(), b.Dy()
	e.Alpha = !isOpaque(src)

	stem := stemOf(r.Src)
	fallback := "jpeg"
	if e.Alpha {
		fallback = "png"
	}
	formats := append(p.cfg.modern(), fallback)
	widths := targetWidths(p.cfg.Widths, e.Width)
	e.Sources = make([]entrySource, len(formats))
	for i, f := range formats {
		e.Sources[i] = entrySource{Format: f, Files: make([]entryFile, len(widths))}
	}

	ct := sourceColor(data, h.format)
	if r.Card {
		c := card(src, r.Focus)
		if ct != nil {
			c = ct.apply(c)
		}
		k := key(srcHash, "card", r.Focus.String(), strconv.Itoa(p.cfg.Quality), p.version)
		f := entryFile{Name: stem + "-card-" + k[:8] + ".jpg", Entry: k + ".jpg", Width: c.Rect.Dx(), Height: c.Rect.Dy()}
		if err := p.emit(sink, r.Dir, f, c, "jpeg"); err != nil {
			return e, err
		}
		e.Card = &f
	}

	// The cascade: largest width first, each from the previous one.
	chain := fmt.Sprint(widths)
	cur := shrinkFor(src, widths[len(widths)-1])
	src = nil
	if ct != nil {
		cur = ct.apply(cur)
	}
	for i := len(widths) - 1; i >= 0; i-- {
		w := widths[i]
		next := resize(cur, w, scaledHeight(e.Width, e.Height, w))
		cur = next
		for j, f := range formats {
			k := key(srcHash, "resize", strconv.Itoa(w), chain, f, strconv.Itoa(p.cfg.Quality), p.version)
			file := entryFile{Name: stem + "-" + strconv.Itoa(w) + "w-" + k[:8] + "." + extOf(f), Entry: k + "." + extOf(f), Width: w, Height: next.Rect.Dy()}
			if err := p.emit(sink, r.Dir, file, next, f); err != nil {
				return e, err
			}
			e.Sources[j].Files[i] = file
		}
	}

	t := tiny(cur)
	e.Color = averageColor(t)
	e.Placeholder, err = placeholderURI(t, slices.Contains(formats, "webp"))
	if err != nil {
		return e, err
	}
	return e, nil
}

// emit encodes one output, stores it in the cache and writes it to sink.
func (p *Processor) emit(sink Sink, dir string, f entryFile, img *image.NRGBA, format string) error {
	data, err := encode(img, format, p.cfg.Quality)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", format, err)
	}
	if p.cache.enabled() {
		if err := p.cache.put(f.Entry, data); err == nil {
			p.cacheWrites.Add(1)
			if ls, ok := sink.(LinkSink); ok {
				return p.link(ls, dir, f.Name, p.cache.path(f.Entry), int64(len(data)))
			}
		}
	}
	return p.write(sink, dir, f.Name, data)
}

func (p *Processor) write(sink Sink, dir, name string, data []byte) error {
	if _, ok := sink.(ConcurrentSink); !ok {
		p.sinkMu.Lock()
		defer p.sinkMu.Unlock()
	}
	if err := sink.WriteFile(path.Join(dir, name), data); err != nil {
		return err
	}
	p.written.Add(1)
	p.writtenBytes.Add(int64(len(data)))
	return nil
}

// image builds the template-facing Image of an entry.
func (p *Processor) image(r Request, e *sourceEntry) *Image {
	img := &Image{
		Src: r.Src, Width: e.Width, Height: e.Height,
		Placeholder: e.Placeholder, Color: e.Color, Transparent: e.Alpha,
	}
	for _, s := range e.Sources {
		src := Source{Format: s.Format, MIME: mimeOf(s.Format)}
		for _, f := range s.Files {
			src.Variants = append(src.Variants, Variant{URL: urlOf(r.Dir, f.Name), Width: f.Width, Height: f.Height})
		}
		img.Sources = append(img.Sources, src)
	}
	if e.Card != nil {
		img.Card = &Variant{URL: urlOf(r.Dir, e.Card.Name), Width: e.Card.Width, Height: e.Card.Height}
	}
	return img
}

// placeholderURI encodes a tiny preview as a data: URI: WebP when the site
// publishes WebP (smallest), else PNG.
func placeholderURI(t *image.NRGBA, webp bool) (string, error) {
	if webp {
		data, err := encode(t, "webp", 40)
		if err == nil {
			return "data:image/webp;base64," + base64.StdEncoding.EncodeToString(data), nil
		}
	}
	data, err := encode(t, "png", 0)
	if err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(data), nil
}

// checkDir refuses an output folder outside the destination.
func checkDir(dir string) error {
	if dir == "" || dir == "." {
		return nil
	}
	if !fs.ValidPath(dir) || strings.Contains(dir, `\`) {
		return fmt.Errorf("output folder %q is not a clean slash path inside the destination", dir)
	}
	return nil
}

// urlOf returns the site URL of a file in dir, each segment escaped.
func urlOf(dir, name string) string {
	var b strings.Builder
	if dir != "" && dir != "." {
		for _, seg := range strings.Split(dir, "/") {
			b.WriteString("/" + url.PathEscape(seg))
		}
	}
	b.WriteString("/" + url.PathEscape(name))
	return b.String()
}

// stemOf returns the base of an output name: the source's file name without
// extension, lower case, with anything but letters and digits turned to "-".
func stemOf(src string) string {
	base := path.Base(src)
	base = strings.TrimSuffix(base, path.Ext(base))
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(base) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		return "image"
	}
	if len(s) > 60 {
		s = strings.TrimSuffix(s[:60], "-")
	}
	return s
}
