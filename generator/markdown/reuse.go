package markdown

import "sync"

// memo keeps a Markdown's parses by source, for Remember and Reuse.
type memo struct {
	mu   sync.Mutex
	seen map[string]*Doc // parsed by this Markdown
	from map[string]*Doc // parsed by the one it reuses
}

// Remember makes m keep every body it parses, so that another Markdown
// can Reuse them. The dev server does, to parse again only the story an
// edit changed: a parsed body is read-only once Parse returns.
func (m *Markdown) Remember() {
	m.memo = &memo{seen: map[string]*Doc{}}
}

// Reuse makes m, which remembers, return prev's parse of a source prev
// parsed, instead of parsing it again.
func (m *Markdown) Reuse(prev *Markdown) {
	if m.memo == nil {
		m.Remember()
	}
	if prev != nil && prev.memo != nil {
		prev.memo.mu.Lock()
		m.memo.from = prev.memo.seen
		prev.memo.mu.Unlock()
	}
}

// recall returns the parse of src remembered from the Markdown m reuses.
func (m *Markdown) recall(src []byte) (*Doc, bool) {
	if m.memo == nil {
		return nil, false
	}
	m.memo.mu.Lock()
	defer m.memo.mu.Unlock()
	d, ok := m.memo.from[string(src)]
	if ok {
		m.memo.seen[string(src)] = d
	}
	return d, ok
}

// keep remembers d as the parse of src.
func (m *Markdown) keep(src []byte, d *Doc) {
	if m.memo == nil {
		return
	}
	m.memo.mu.Lock()
	m.memo.seen[string(src)] = d
	m.memo.mu.Unlock()
}
