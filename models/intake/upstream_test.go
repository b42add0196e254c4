package intake_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/intake"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
)

// TestPingbackSourceUpstream: a Pingback whose source's server fails (5xx,
// no answer in time, connection refused, a name that does not resolve) is
// refused with ErrSourceUpstream (fault 50); a source that is invalid,
// forbidden, missing or gone stays ErrSourceUnreadable (fault 16).
func TestPingbackSourceUpstream(t *testing.T) {
	release := make(chan struct{})
	// The peer answers the status its path names (/500, /404…); /hang
	// answers only once the test is over.
	peer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hang" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		w.WriteHeader(code)
	}))
	t.Cleanup(peer.Close)
	t.Cleanup(func() { close(release) }) // runs first: the hanging handler returns, then Close
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close() // nothing listens there any more: connection refused
	closedURL := closed.URL

	e := newEnv(t, base)
	short := &http.Client{Timeout: 200 * time.Millisecond}
	// A transport failing the way a resolver does: the error values net returns.
	failing := func(err error) *http.Client {
		return &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, err })}
	}
	dnsErr := &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "gone.example",
		Server: "10.0.0.1:53", IsNotFound: true}}
	refused := &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 80},
		Err: fmt.Errorf("connect: %w", syscall.ECONNREFUSED)}
	tests := []struct {
		name   string
		client *http.Client
		source string
		want   error
	}{
		{"500", short, peer.URL + "/500", intake.ErrSourceUpstream},
		{"503", short, peer.URL + "/503", intake.ErrSourceUpstream},
		{"no answer in time", short, peer.URL + "/hang", intake.ErrSourceUpstream},
		{"connection refused", short, closedURL + "/x", intake.ErrSourceUpstream},
		{"name does not resolve", failing(dnsErr), "https://gone.example/x", intake.ErrSourceUpstream},
		{"connection refused far away", failing(refused), "https://far.example/x", intake.ErrSourceUpstream},
		{"deadline", failing(context.DeadlineExceeded), "https://slow.example/x", intake.ErrSourceUpstream},
		{"404", short, peer.URL + "/404", intake.ErrSourceUnreadable},
		{"410", short, peer.URL + "/410", intake.ErrSourceUnreadable},
		{"429", short, peer.URL + "/429", intake.ErrSourceUnreadable},
		{"a private address the safe client refuses", safeclient.New(safeclient.Options{Timeout: 200 * time.Millisecond}),
			peer.URL + "/500", intake.ErrSourceUnreadable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.svc.Client = tt.client
			before := len(e.stored(t))
			_, err := e.svc.Receive(context.Background(), intake.Linkback{Kind: models.FeedbackPingback,
				Source: tt.source, Target: base + e.open.Path(), RemoteIP: "203.0.113.9"})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want %v", err, tt.want)
			}
			other := intake.ErrSourceUnreadable
			if errors.Is(tt.want, intake.ErrSourceUnreadable) {
				other = intake.ErrSourceUpstream
			}
			if errors.Is(err, other) {
				t.Errorf("err %v is also %v", err, other)
			}
			if after := len(e.stored(t)); after != before {
				t.Errorf("a refused pingback was stored")
			}
		})
	}
}
