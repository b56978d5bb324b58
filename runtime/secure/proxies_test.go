package secure_test

import (
	"crypto/tls"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/secgen/secgen/runtime/secure"
)

// mustProxies parses entries, failing the test on an error.
func mustProxies(t testing.TB, entries ...string) *secure.Proxies {
	t.Helper()
	p, err := secure.ParseProxies(entries)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParseProxies(t *testing.T) {
	tests := []struct {
		name    string
		entries []string
		wantErr string // part of the error; "" for none
		trusted []string
		not     []string
	}{
		{
			name:    "IPv4 and IPv6 networks trust the addresses inside them only",
			entries: []string{"10.0.0.0/8", "2001:db8::/32"},
			trusted: []string{"10.0.0.1", "10.255.255.255", "2001:db8::1", "2001:db8:ffff::9"},
			not:     []string{"11.0.0.1", "9.255.255.255", "2001:db9::1", "192.0.2.7"},
		},
		{
			name:    "a bare address trusts that address alone",
			entries: []string{"192.0.2.7", "2001:db8::7"},
			trusted: []string{"192.0.2.7", "2001:db8::7"},
			not:     []string{"192.0.2.8", "192.0.2.6", "2001:db8::8"},
		},
		{
			name:    "an IPv4-mapped network is read as the IPv4 network",
			entries: []string{"::ffff:10.0.0.0/104", "::ffff:192.0.2.7"},
			trusted: []string{"10.1.2.3", "::ffff:10.1.2.3", "192.0.2.7"},
			not:     []string{"11.0.0.1", "192.0.2.8"},
		},
		{
			name:    "no entries trust nothing",
			entries: nil,
			not:     []string{"127.0.0.1", "::1", "10.0.0.1"},
		},
		{name: "a word is refused by name", entries: []string{"10.0.0.0/8", "localhost"}, wantErr: `"localhost"`},
		{name: "a prefix length past the address is refused", entries: []string{"10.0.0.0/33"}, wantErr: `"10.0.0.0/33"`},
		{name: "an empty entry is refused", entries: []string{""}, wantErr: `""`},
		{name: "surrounding space is refused", entries: []string{" 10.0.0.0/8"}, wantErr: `" 10.0.0.0/8"`},
		{name: "a network with host bits set is refused and the network suggested", entries: []string{"10.0.0.1/8"}, wantErr: "the network is 10.0.0.0/8"},
		{name: "an address with a zone is refused", entries: []string{"fe80::1%eth0"}, wantErr: "zone"},
		{name: "an address with a port is refused", entries: []string{"192.0.2.7:80"}, wantErr: `"192.0.2.7:80"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := secure.ParseProxies(tt.entries)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %s", err, tt.wantErr)
				}
				if p != nil {
					t.Errorf("proxies = %v with an error, want nil", p)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range tt.trusted {
				if !p.Trusted(netip.MustParseAddr(a)) {
					t.Errorf("Trusted(%s) = false, want true", a)
				}
			}
			for _, a := range tt.not {
				if p.Trusted(netip.MustParseAddr(a)) {
					t.Errorf("Trusted(%s) = true, want false", a)
				}
			}
		})
	}
}

func TestTrusted(t *testing.T) {
	p := mustProxies(t, "10.0.0.0/8", "fe80::/10")
	tests := []struct {
		name string
		p    *secure.Proxies
		addr netip.Addr
		want bool
	}{
		{"an address in a trusted network is trusted", p, netip.MustParseAddr("10.2.3.4"), true},
		{"an IPv4-mapped address in a trusted IPv4 network is trusted", p, netip.MustParseAddr("::ffff:10.2.3.4"), true},
		{"an address with a zone in a trusted network is trusted", p, netip.MustParseAddr("fe80::1%eth0"), true},
		{"an address outside every network is not", p, netip.MustParseAddr("192.0.2.1"), false},
		{"the zero address is not", p, netip.Addr{}, false},
		{"nil proxies trust nothing", nil, netip.MustParseAddr("10.2.3.4"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Trusted(tt.addr); got != tt.want {
				t.Errorf("Trusted(%v) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
}

// request builds a server-side request from remote with the header lines
// given as name, value pairs.
func request(remote string, header ...string) *http.Request {
	r := &http.Request{Method: http.MethodGet, RemoteAddr: remote, Header: http.Header{}}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	return r
}

func TestClientIP(t *testing.T) {
	proxies := mustProxies(t, "10.0.0.0/8", "2001:db8:aaaa::/48")
	const xff, xri = "X-Forwarded-For", "X-Real-IP"
	tests := []struct {
		name    string
		proxies *secure.Proxies
		r       *http.Request
		want    string // "" for the zero Addr
	}{
		{"with no proxies the client is the peer", nil, request("192.0.2.1:5555"), "192.0.2.1"},
		{"an untrusted peer's X-Forwarded-For is ignored", proxies, request("192.0.2.1:5555", xff, "198.51.100.9"), "192.0.2.1"},
		{"an untrusted peer's X-Real-IP is ignored", proxies, request("192.0.2.1:5555", xri, "198.51.100.9"), "192.0.2.1"},
		{"no proxies ignore X-Forwarded-For even from a private peer", nil, request("10.0.0.1:5555", xff, "198.51.100.9"), "10.0.0.1"},
		{"a trusted peer's single entry is the client", proxies, request("10.0.0.1:5555", xff, "198.51.100.9"), "198.51.100.9"},
		{"a trusted chain is walked right to left to the first untrusted entry", proxies, request("10.0.0.1:5555", xff, "203.0.113.5, 198.51.100.9, 10.0.0.2, 10.0.0.3"), "198.51.100.9"},
		{"a spoofed left-most entry does not win over the untrusted hop", proxies, request("10.0.0.1:5555", xff, "1.2.3.4, 198.51.100.9"), "198.51.100.9"},
		{"all header lines are read as one list", proxies, request("10.0.0.1:5555", xff, "203.0.113.5", xff, "198.51.100.9, 10.0.0.2"), "198.51.100.9"},
		{"the last line is the nearest hop", proxies, request("10.0.0.1:5555", xff, "198.51.100.9", xff, "10.0.0.2"), "198.51.100.9"},
		{"an all-trusted chain gives its left-most entry", proxies, request("10.0.0.1:5555", xff, "10.9.9.9, 10.0.0.2"), "10.9.9.9"},
		{"a malformed entry stops the walk at the last trusted hop", proxies, request("10.0.0.1:5555", xff, "198.51.100.9, garbage, 10.0.0.2"), "10.0.0.2"},
		{"a malformed nearest entry gives the peer", proxies, request("10.0.0.1:5555", xff, "198.51.100.9, 300.1.1.1"), "10.0.0.1"},
		{"an entry with a port is read as its address", proxies, request("10.0.0.1:5555", xff, "198.51.100.9:443"), "198.51.100.9"},
		{"a bracketed IPv6 entry with a port is read as its address", proxies, request("10.0.0.1:5555", xff, "[2001:db8:1::7]:443"), "2001:db8:1::7"},
		{"a bracketed IPv4 entry is malformed", proxies, request("10.0.0.1:5555", xff, "[198.51.100.9]:443"), "10.0.0.1"},
		{"a port past 65535 is malformed", proxies, request("10.0.0.1:5555", xff, "198.51.100.9:65536"), "10.0.0.1"},
		{"empty list elements and spaces are skipped", proxies, request("10.0.0.1:5555", xff, " ,198.51.100.9 ,\t, "), "198.51.100.9"},
		{"an IPv4-mapped entry is unmapped", proxies, request("10.0.0.1:5555", xff, "::ffff:198.51.100.9"), "198.51.100.9"},
		{"an IPv4-mapped trusted entry is skipped as trusted", proxies, request("10.0.0.1:5555", xff, "198.51.100.9, ::ffff:10.0.0.2"), "198.51.100.9"},
		{"an entry's zone is dropped", proxies, request("10.0.0.1:5555", xff, "fe80::1%eth0"), "fe80::1"},
		{"a trusted IPv6 peer's chain is walked", proxies, request("[2001:db8:aaaa::1]:5555", xff, "2001:db8:1::7, 2001:db8:aaaa::2"), "2001:db8:1::7"},
		{"an untrusted IPv6 peer is the client", proxies, request("[2001:db8:bbbb::1]:5555", xff, "2001:db8:1::7"), "2001:db8:bbbb::1"},
		{"an IPv4-mapped peer is unmapped and trusted", proxies, request("[::ffff:10.0.0.1]:5555", xff, "198.51.100.9"), "198.51.100.9"},
		{"a trusted peer without X-Forwarded-For gives X-Real-IP", proxies, request("10.0.0.1:5555", xri, "198.51.100.9"), "198.51.100.9"},
		{"the last X-Real-IP line is used", proxies, request("10.0.0.1:5555", xri, "1.2.3.4", xri, "198.51.100.9"), "198.51.100.9"},
		{"X-Forwarded-For wins over X-Real-IP", proxies, request("10.0.0.1:5555", xff, "203.0.113.5", xri, "198.51.100.9"), "203.0.113.5"},
		{"an X-Forwarded-For of only empty elements falls back to X-Real-IP", proxies, request("10.0.0.1:5555", xff, " , ", xri, "198.51.100.9"), "198.51.100.9"},
		{"a malformed X-Real-IP gives the peer", proxies, request("10.0.0.1:5555", xri, "198.51.100.9, 1.2.3.4"), "10.0.0.1"},
		{"a trusted peer with no forwarding headers is the client", proxies, request("10.0.0.1:5555"), "10.0.0.1"},
		{"a bare peer address without a port is read", nil, request("192.0.2.1"), "192.0.2.1"},
		{"an unparsable peer gives the zero address", proxies, request("@", xff, "198.51.100.9"), ""},
		{"an empty peer gives the zero address", nil, request(""), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.proxies.ClientIP(tt.r)
			if !got.IsValid() && tt.want == "" {
				return
			}
			if got.String() != tt.want {
				t.Errorf("ClientIP = %v, want %s", got, tt.want)
			}
		})
	}
}

func TestClientKey(t *testing.T) {
	proxies := mustProxies(t, "10.0.0.0/8")
	tests := []struct {
		name    string
		proxies *secure.Proxies
		r       *http.Request
		want    string
	}{
		{"an IPv4 peer is keyed by its address", nil, request("192.0.2.1:5555"), "192.0.2.1"},
		{"an IPv6 peer is keyed by its /64", nil, request("[2001:db8:1:2:3:4:5:6]:5555"), "2001:db8:1:2::/64"},
		{"two addresses in one /64 share a key", nil, request("[2001:db8:1:2:ffff::1]:5555"), "2001:db8:1:2::/64"},
		{"an IPv4-mapped peer is keyed as IPv4", nil, request("[::ffff:192.0.2.1]:5555"), "192.0.2.1"},
		{"a forwarded IPv4 client is keyed by its address", proxies, request("10.0.0.1:5555", "X-Forwarded-For", "198.51.100.9"), "198.51.100.9"},
		{"a forwarded IPv4-mapped client is keyed as IPv4", proxies, request("10.0.0.1:5555", "X-Forwarded-For", "::ffff:198.51.100.9"), "198.51.100.9"},
		{"a forwarded IPv6 client is keyed by its /64", proxies, request("10.0.0.1:5555", "X-Forwarded-For", "[2001:db8:9::1]:80"), "2001:db8:9::/64"},
		{"rotating X-Forwarded-For from an untrusted peer keeps the peer's key", proxies, request("192.0.2.1:5555", "X-Forwarded-For", "198.51.100.77"), "192.0.2.1"},
		{"an unknown address has the empty key", nil, request("not an address"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.proxies.ClientKey(tt.r); got != tt.want {
				t.Errorf("ClientKey = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestClientKeyDoesNotAllocateForAnIPv4Client(t *testing.T) {
	proxies := mustProxies(t, "10.0.0.0/8")
	tests := []struct {
		name    string
		proxies *secure.Proxies
		r       *http.Request
	}{
		{"an IPv4 peer without proxies", nil, request("192.0.2.1:5555", "X-Forwarded-For", "198.51.100.9")},
		{"an untrusted IPv4 peer", proxies, request("192.0.2.1:5555", "X-Forwarded-For", "198.51.100.9")},
		{"an IPv4 client behind a trusted proxy", proxies, request("10.0.0.1:5555", "X-Forwarded-For", "198.51.100.9, 10.0.0.2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := testing.AllocsPerRun(100, func() { tt.proxies.ClientKey(tt.r) }); got != 0 {
				t.Errorf("allocations = %v, want 0", got)
			}
		})
	}
}

func TestHTTPS(t *testing.T) {
	proxies := mustProxies(t, "10.0.0.0/8")
	withTLS := request("192.0.2.1:443")
	withTLS.TLS = &tls.ConnectionState{}
	const xfp = "X-Forwarded-Proto"
	tests := []struct {
		name    string
		proxies *secure.Proxies
		r       *http.Request
		want    bool
	}{
		{"a TLS connection is https", nil, withTLS, true},
		{"a plain connection is not", proxies, request("10.0.0.1:80"), false},
		{"a trusted proxy's https is believed", proxies, request("10.0.0.1:80", xfp, "https"), true},
		{"a trusted proxy's HTTPS in capitals is believed", proxies, request("10.0.0.1:80", xfp, "HTTPS"), true},
		{"an untrusted peer's https is not believed", proxies, request("192.0.2.1:80", xfp, "https"), false},
		{"without proxies no X-Forwarded-Proto is believed", nil, request("10.0.0.1:80", xfp, "https"), false},
		{"the last value of a list decides", proxies, request("10.0.0.1:80", xfp, "http, https"), true},
		{"a client's https before the proxy's http does not count", proxies, request("10.0.0.1:80", xfp, "https, http"), false},
		{"the last header line decides", proxies, request("10.0.0.1:80", xfp, "https", xfp, "http"), false},
		{"spaces around the value are ignored", proxies, request("10.0.0.1:80", xfp, "http,  https "), true},
		{"a value that only starts with https is not https", proxies, request("10.0.0.1:80", xfp, "https2"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.proxies.HTTPS(tt.r); got != tt.want {
				t.Errorf("HTTPS = %v, want %v", got, tt.want)
			}
		})
	}
}
