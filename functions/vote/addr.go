package vote

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// An AddrSource tells which client address a request comes from, for the
// rate limit. Where the address can be trusted depends on the platform, so
// the entry point picks the source: the TCP peer for a server facing the
// network, the platform's request context on Lambda, X-Forwarded-For only
// behind proxies the operator names. A header the client controls is never
// believed by default.
type AddrSource interface {
	// ClientAddr returns the client's address, or false when it is unknown.
	ClientAddr(r *http.Request) (netip.Addr, bool)
}

// RemoteAddr takes the client address from the TCP connection
// (Request.RemoteAddr): right for a server that clients reach directly.
type RemoteAddr struct{}

func (RemoteAddr) ClientAddr(r *http.Request) (netip.Addr, bool) {
	return parseHostPort(r.RemoteAddr)
}

// TrustedProxies believes X-Forwarded-For only when the TCP peer is one of
// Proxies, and then takes the right-most address in it that is not a proxy
// itself: the one the last trusted proxy saw. Addresses a client prepends to
// the header are ignored. Without a trusted peer it is RemoteAddr.
type TrustedProxies struct {
	Proxies []netip.Prefix
}

func (t TrustedProxies) ClientAddr(r *http.Request) (netip.Addr, bool) {
	peer, ok := parseHostPort(r.RemoteAddr)
	if !ok || !t.trusted(peer) {
		return peer, ok
	}
	addr := peer
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		list := strings.Split(hops[i], ",")
		for j := len(list) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(list[j]))
			if err != nil {
				return addr, true // garbage: stop at the last address we trust
			}
			addr = a.Unmap()
			if !t.trusted(addr) {
				return addr, true
			}
		}
	}
	return addr, true
}

func (t TrustedProxies) trusted(a netip.Addr) bool {
	for _, p := range t.Proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

type clientAddrKey struct{}

// WithClientAddr returns a context carrying the client address a platform
// reported out of band (the Lambda request context), for ContextAddr.
func WithClientAddr(ctx context.Context, a netip.Addr) context.Context {
	return context.WithValue(ctx, clientAddrKey{}, a)
}

// ContextAddr takes the client address that the entry point stored with
// WithClientAddr: for platforms that report it beside the request.
type ContextAddr struct{}

func (ContextAddr) ClientAddr(r *http.Request) (netip.Addr, bool) {
	a, ok := r.Context().Value(clientAddrKey{}).(netip.Addr)
	return a, ok && a.IsValid()
}

func parseHostPort(s string) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(s)
	if err != nil {
		host = s
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}
