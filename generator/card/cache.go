package card

// Cards are kept between builds like processed images: one file per card,
// named by a hash of everything that draws it, so an entry never changes
// once written, a changed title or cover makes a new one, and a warm build
// reads files instead of composing.

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Key identifies the card s composes in fonts: a hash of the layout
// version, the fonts, every text and hint, the brand, and the image and
// logo bytes.
func Key(s Spec, fonts *Fonts) string {
	h := sha256.New()
	field := func(v string) { fmt.Fprintf(h, "%d:%s", len(v), v) }
	field("postcard-card/" + LayoutVersion)
	field(fonts.Digest())
	field(strconv.Itoa(int(s.Kind)))
	field(s.Title)
	field(s.Label)
	field(s.Byline)
	if s.LinesFrom != nil {
		field("lines from " + s.LinesFrom.Key)
	} else {
		field(strconv.Itoa(len(s.Lines)))
		for _, l := range s.Lines {
			field(l)
		}
		field(strconv.FormatBool(s.More))
	}
	field(s.Lang)
	field(s.Dir)
	field(digest(s.Image))
	b := s.Brand
	field(b.Name)
	field(digest(b.Logo))
	for _, c := range []struct{ R, G, B, A uint8 }{b.Primary, b.Accent, b.Background, b.Text} {
		field(fmt.Sprintf("%02x%02x%02x%02x", c.R, c.G, c.B, c.A))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func digest(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	d := sha256.Sum256(b)
	return hex.EncodeToString(d[:])
}

// Made is one card, composed or found in the cache.
type Made struct {
	Key string
	// Ref is the key of the spec the card was asked for when its lines
	// were not made yet (Spec.LinesFrom): the cache keeps which card it
	// stands for, so that the next build need not make them.
	Ref string
	// Data is the card's bytes, or nil when it is in the cache at Path:
	// a build of ten thousand cards does not hold them all in memory, and
	// publishes them from the cache by hard link.
	Data []byte
	Path string
	Ext  string // ".jpg" or ".png"
	// Missing lists characters no font has; Err a problem that still
	// left a card (an image that would not decode). Both only when the
	// card was composed: a cached card was fine or warned of before.
	Missing []rune
	Err     error
}

// Maker makes cards, composing only those its cache lacks.
type Maker struct {
	fonts *Fonts
	dir   string // "" for no cache
	// composed counts the cards composed rather than read.
	composed atomic.Int64
	// known are cards already in memory (Remember), by key, and the keys
	// of their specs whose lines were not made (Made.Ref).
	known     map[string]Made
	knownRefs map[string]string
	// idle are composers a Make is done with, for the next: each holds
	// the fonts parsed, which is most of the time a single card takes,
	// as a dev server's rebuild after an edit to a poem makes.
	mu   sync.Mutex
	idle []*Composer
}

// composer returns an idle composer, or a new one.
func (m *Maker) composer() (*Composer, error) {
	m.mu.Lock()
	if n := len(m.idle); n > 0 {
		c := m.idle[n-1]
		m.idle = m.idle[:n-1]
		m.mu.Unlock()
		return c, nil
	}
	m.mu.Unlock()
	c, err := NewComposer(m.fonts)
	if err != nil {
		return nil, err
	}
	c.canvas = image.NewRGBA(image.Rect(0, 0, Width, Height))
	return c, nil
}

func (m *Maker) release(c *Composer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.idle = append(m.idle, c)
}

// Remember gives the maker cards a previous Make returned, so that the
// dev server's rebuilds take them from memory instead of reading ten
// thousand files from the cache again.
func (m *Maker) Remember(made []Made) {
	if m.known == nil {
		m.known = make(map[string]Made, len(made))
		m.knownRefs = map[string]string{}
	}
	for _, c := range made {
		if c.Data != nil {
			m.known[c.Key] = Made{Key: c.Key, Data: c.Data, Ext: c.Ext}
			if c.Ref != "" {
				m.knownRefs[c.Ref] = c.Key
			}
		}
	}
}

// NewMaker returns a maker keeping cards in dir ("" keeps none).
func NewMaker(fonts *Fonts, dir string) *Maker { return &Maker{fonts: fonts, dir: dir} }

// Composed is how many cards the maker has composed, as opposed to read
// from its cache.
func (m *Maker) Composed() int { return int(m.composed.Load()) }

// Make returns the cards of specs, in order, composing them in parallel.
// The error is for the cache or the fonts; a card's own problem is in
// its Made.Err.
func (m *Maker) Make(specs []Spec) ([]Made, error) {
	out := make([]Made, len(specs))
	specs = slices.Clone(specs)
	found := make([]bool, len(specs))
	// mapped are the specs whose lines were made: the cache learns
	// which card their key stands for.
	mapped := make([]bool, len(specs))
	// Each card's key, and whether the cache has it. A spec whose lines
	// are not made yet is first looked up by its own key, which the
	// cache maps to its card's; only when that fails are its lines made,
	// a parse of a story's body, and its card's key computed from them.
	// The card's key, and so its name, is the same either way: an edit
	// that leaves the first lines as they were keeps the card.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(len(specs), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(specs); i = int(next.Add(1)) - 1 {
				s := &specs[i]
				if s.LinesFrom != nil {
					ref := Key(*s, m.fonts)
					out[i].Ref = ref
					if key, ok := m.resolve(ref); ok {
						if out[i], found[i] = m.lookup(key); found[i] {
							out[i].Ref = ref
							continue
						}
					}
					s.Lines, s.More = s.LinesFrom.Lines()
					s.LinesFrom = nil
					mapped[i] = true
				}
				ref := out[i].Ref
				out[i], found[i] = m.lookup(Key(*s, m.fonts))
				out[i].Ref = ref
			}
		})
	}
	wg.Wait()
	var todo []int
	for i := range specs {
		if !found[i] {
			todo = append(todo, i)
		}
	}
	next.Store(0)
	var (
		errMu sync.Mutex
		first error
	)
	fail := func(err error) {
		errMu.Lock()
		defer errMu.Unlock()
		if first == nil {
			first = err
		}
	}
	workers := min(len(todo), runtime.GOMAXPROCS(0))
	for range workers {
		wg.Go(func() {
			c, err := m.composer()
			if err != nil {
				fail(err)
				return
			}
			defer m.release(c)
			var enc encoder
			for {
				n := int(next.Add(1)) - 1
				if n >= len(todo) {
					return
				}
				i := todo[n]
				card, cerr := c.Compose(specs[i])
				data, ext, err := enc.encode(card.Image, len(specs[i].Image) > 0 && cerr == nil)
				if err != nil {
					fail(err)
					return
				}
				m.composed.Add(1)
				made := Made{Key: out[i].Key, Ref: out[i].Ref, Data: data, Ext: ext, Missing: card.Missing, Err: cerr}
				if m.dir != "" {
					if made.Path, err = m.put(made.Key, ext, data); err != nil {
						fail(err)
						return
					}
					made.Data = nil
				}
				out[i] = made
			}
		})
	}
	wg.Wait()
	if m.dir != "" && first == nil {
		for i, o := range out {
			if mapped[i] {
				if err := m.putRef(o.Ref, o.Key); err != nil {
					return out, err
				}
			}
		}
	}
	return out, first
}

// lookup finds key's card in memory or in the cache.
func (m *Maker) lookup(key string) (Made, bool) {
	if k, ok := m.known[key]; ok {
		return k, true
	}
	if p, ext, ok := m.get(key); ok {
		return Made{Key: key, Path: p, Ext: ext}, true
	}
	return Made{Key: key}, false
}

// resolve returns the key of the card a spec's key stands for (Made.Ref),
// as the last Make to make its lines recorded it.
func (m *Maker) resolve(ref string) (string, bool) {
	if key, ok := m.knownRefs[ref]; ok {
		return key, true
	}
	if m.dir == "" {
		return "", false
	}
	b, err := os.ReadFile(filepath.Join(m.dir, ref+".ref"))
	if err != nil || len(b) != 64 {
		return "", false
	}
	if _, err := hex.DecodeString(string(b)); err != nil {
		return "", false
	}
	return string(b), true
}

// putRef records that the spec key ref stands for the card key.
func (m *Maker) putRef(ref, key string) error {
	_, err := m.put(ref, ".ref", []byte(key))
	return err
}

// get finds key's card in the cache: its file and extension.
func (m *Maker) get(key string) (string, string, bool) {
	if m.dir == "" {
		return "", "", false
	}
	for _, ext := range []string{".jpg", ".png"} {
		p := filepath.Join(m.dir, key+ext)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Size() > 0 {
			return p, ext, true
		}
	}
	return "", "", false
}

// put writes an entry through a temporary file, so a build stopped
// halfway leaves no truncated card behind, and returns its path.
func (m *Maker) put(key, ext string, data []byte) (string, error) {
	if err := os.MkdirAll(m.dir, 0o755); err != nil {
		return "", fmt.Errorf("card cache: %w", err)
	}
	f, err := os.CreateTemp(m.dir, ".tmp-*")
	if err != nil {
		return "", fmt.Errorf("card cache: %w", err)
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("card cache: %w", err)
	}
	p := filepath.Join(m.dir, key+ext)
	if err := os.Rename(f.Name(), p); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("card cache: %w", err)
	}
	return p, nil
}

// Prune removes the cached cards not in keep, the keys of this build's
// cards, and the records of which card a spec stands for (Made.Ref) that
// keep does not hold, so the cache holds the current cards only.
func (m *Maker) Prune(keep []Made) error {
	if m.dir == "" {
		return nil
	}
	want := map[string]bool{}
	for _, k := range keep {
		want[k.Key+k.Ext] = true
		if k.Ref != "" {
			want[k.Ref+".ref"] = true
		}
	}
	entries, err := os.ReadDir(m.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("card cache: %w", err)
	}
	var errs []error
	for _, e := range entries {
		if e.IsDir() || want[e.Name()] || !(strings.HasSuffix(e.Name(), ".jpg") || strings.HasSuffix(e.Name(), ".png") || strings.HasSuffix(e.Name(), ".ref") || strings.HasPrefix(e.Name(), ".tmp-")) {
			continue
		}
		if err := os.Remove(filepath.Join(m.dir, e.Name())); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
