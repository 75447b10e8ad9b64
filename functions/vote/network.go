package vote

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"net/netip"
	"time"
)

// A network is what one household, office or event hall usually gets from
// its provider: an IPv4 /24 or an IPv6 /56. Dropping a cookie is free, but
// changing networks is not, so the vote quota is counted per network.
//
// The store never sees an address: it gets the network's key, the HMAC of
// the prefix and the UTC day under a key derived from the function's
// secret. Keys cannot be turned back into prefixes without the secret, and
// one network's keys on two days are unrelated, so the store cannot follow a
// network across days either.
const (
	quotaBitsV4 = 24
	quotaBitsV6 = 56

	// The per-minute rate limit keys IPv4 clients by their own address and
	// IPv6 clients by the same /56 as the quota: a subscriber often has a
	// whole /56 and could otherwise rotate through 256 /64s.
	limitBitsV4 = 32
	limitBitsV6 = 56

	// networkKeyBytes is how much of the HMAC the store keeps: 128 bits
	// make collisions between the networks of one contest and day
	// negligible.
	networkKeyBytes = 16
)

// prefixBytes returns a tagged encoding of the address's network: the
// first v4bits of an IPv4 address (IPv4-mapped IPv6 included) or the first
// v6bits of an IPv6 address. All unknown clients share one network.
func prefixBytes(addr netip.Addr, known bool, v4bits, v6bits int) []byte {
	switch {
	case !known || !addr.IsValid():
		return []byte{0}
	case addr.Is4() || addr.Is4In6():
		p, _ := addr.Unmap().Prefix(v4bits)
		b := p.Addr().As4()
		return append([]byte{4}, b[:(v4bits+7)/8]...)
	default:
		p, _ := addr.Prefix(v6bits)
		b := p.Addr().As16()
		return append([]byte{6}, b[:(v6bits+7)/8]...)
	}
}

// networkKeyer computes network keys.
type networkKeyer struct {
	key []byte
}

func newNetworkKeyer(secret []byte) networkKeyer {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("postcard network key v1"))
	return networkKeyer{key: m.Sum(nil)}
}

// of returns the key of addr's network on t's UTC day: HMAC-SHA256 of the
// /24 or /56 prefix and the day number, truncated to networkKeyBytes.
func (k networkKeyer) of(addr netip.Addr, known bool, t time.Time) []byte {
	m := hmac.New(sha256.New, k.key)
	m.Write(prefixBytes(addr, known, quotaBitsV4, quotaBitsV6))
	m.Write(binary.BigEndian.AppendUint64(nil, uint64(utcDay(t))))
	return m.Sum(nil)[:networkKeyBytes]
}

// utcDay numbers t's UTC day since the Unix epoch.
func utcDay(t time.Time) int64 {
	return t.UTC().Unix() / 86400
}

// nextUTCDay returns the first instant of the UTC day after t's.
func nextUTCDay(t time.Time) time.Time {
	return time.Unix((utcDay(t)+1)*86400, 0).UTC()
}
