// Package httpguardtest helps the exporters' tests follow requests across
// hosts: a client that reaches local test servers under other host names.
package httpguardtest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// NamedClient returns a client that reaches each server under the host:port
// name it is given (httptest's certificate is valid for example.com and
// *.example.com), trusting the test certificate, and follows redirects as
// net/http does by default. Its idle connections are closed when t ends.
func NamedClient(t testing.TB, names map[string]*httptest.Server) *http.Client {
	t.Helper()
	var roots *x509.CertPool
	addrs := map[string]string{}
	for name, s := range names {
		addrs[name] = s.Listener.Addr().String()
		if s.TLS != nil {
			roots = s.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
		}
	}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if a, ok := addrs[addr]; ok {
				addr = a
			}
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
		TLSClientConfig: &tls.Config{RootCAs: roots},
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}
