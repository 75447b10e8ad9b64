package vote

import (
	"crypto/sha256"
	"io"
	"net/netip"
	"sync"
	"time"
)

// limiter allows each client perMinute requests a minute (a token bucket that
// holds a minute's worth and refills continuously).
//
// Clients are keyed by a salted SHA-256 of their address, never the address
// itself: the salt is random, lives only in memory and is replaced every UTC
// day, so keys cannot be linked to addresses or across days. An IPv4 client
// is keyed by its address, an IPv6 client by its /56, which one subscriber
// may have whole.
//
// The limiter counts in memory, per process: it protects the function from
// floods. The quota that protects the contest is counted in the store
// (Vote.NetworkQuota).
type limiter struct {
	perMinute int
	rand      io.Reader

	mu        sync.Mutex
	day       int64
	salt      [32]byte
	buckets   map[[16]byte]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(perMinute int, rand io.Reader) *limiter {
	return &limiter{perMinute: perMinute, rand: rand, day: -1}
}

// allow reports whether the client at addr (the zero Addr when unknown: all
// unknown clients share one bucket) may make a request at now.
func (l *limiter) allow(addr netip.Addr, known bool, now time.Time) (bool, error) {
	if l.perMinute <= 0 {
		return true, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if day := now.UTC().Unix() / 86400; day != l.day {
		if _, err := io.ReadFull(l.rand, l.salt[:]); err != nil {
			return false, err
		}
		l.day = day
		l.buckets = make(map[[16]byte]*bucket)
		l.lastSweep = now
	}
	if now.Sub(l.lastSweep) > time.Minute {
		// A bucket idle for a minute is full again: the same as none.
		for k, b := range l.buckets {
			if now.Sub(b.last) > time.Minute {
				delete(l.buckets, k)
			}
		}
		l.lastSweep = now
	}
	k := l.key(addr, known)
	capacity := float64(l.perMinute)
	b := l.buckets[k]
	if b == nil {
		b = &bucket{tokens: capacity, last: now}
		l.buckets[k] = b
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(capacity, b.tokens+elapsed.Minutes()*capacity)
		b.last = now
	}
	if b.tokens < 1 {
		return false, nil
	}
	b.tokens--
	return true, nil
}

func (l *limiter) key(addr netip.Addr, known bool) [16]byte {
	h := sha256.New()
	h.Write(l.salt[:])
	h.Write(prefixBytes(addr, known, limitBitsV4, limitBitsV6))
	var k [16]byte
	copy(k[:], h.Sum(nil))
	return k
}
