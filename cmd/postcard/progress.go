package main

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// progress draws a bar on a terminal once image processing has taken more
// than a second, and clears it when the last image is done: the build goes
// on writing the site and compiling the function after that.
type progress struct {
	a       *app
	on      bool
	start   time.Time
	mu      sync.Mutex
	drawn   bool
	lastPct int
}

func newProgress(a *app, quiet bool) *progress {
	return &progress{a: a, on: a.isTerminal && !quiet, start: time.Now(), lastPct: -1}
}

func (p *progress) update(done, total int) {
	if !p.on || total == 0 || time.Since(p.start) < time.Second {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if done >= total {
		p.clear()
		return
	}
	pct := done * 100 / total
	if pct == p.lastPct {
		return
	}
	p.lastPct = pct
	const width = 30
	n := pct * width / 100
	fmt.Fprintf(p.a.stderr, "\r\x1b[Kimages [%s%s] %3d%% %d/%d", strings.Repeat("=", n), strings.Repeat(" ", width-n), pct, done, total)
	p.drawn = true
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
}

// clear erases the bar, if it is drawn; p.mu is held.
func (p *progress) clear() {
	if p.drawn {
		fmt.Fprint(p.a.stderr, "\r\x1b[K")
		p.drawn = false
	}
}
