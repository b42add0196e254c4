package handlers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/crosstalk/crosstalk/handlers/xmlrpcapi"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// TestPingbackUpstreamFault: through the real engine, a source whose server
// answers 5xx or cannot be reached gets fault 50, a missing or gone source
// fault 16, and nothing is stored. (A source that does not answer in time
// is covered in models/intake with a short client timeout.)
func TestPingbackUpstreamFault(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 1000})
	c, _ := e.admin()
	target := testBaseURL + e.publish(c, "Upstream", "x", nil)
	peer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/500":
			http.Error(w, "boom", http.StatusInternalServerError)
		case "/502":
			http.Error(w, "bad gateway", http.StatusBadGateway)
		case "/410":
			http.Error(w, "gone", http.StatusGone)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(peer.Close)
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()
	tests := []struct {
		name   string
		source string
		code   int
		msg    string
	}{
		{"500", peer.URL + "/500", xmlrpcapi.FaultUpstream, "The source URI could not be retrieved because of an upstream error."},
		{"502", peer.URL + "/502", xmlrpcapi.FaultUpstream, "The source URI could not be retrieved because of an upstream error."},
		{"connection refused", downURL + "/post", xmlrpcapi.FaultUpstream, "The source URI could not be retrieved because of an upstream error."},
		{"404", peer.URL + "/404", xmlrpcapi.FaultSourceMissing, "The source URI could not be read."},
		{"410", peer.URL + "/410", xmlrpcapi.FaultSourceMissing, "The source URI could not be read."},
		{"not http", "ftp://src.example/x", xmlrpcapi.FaultSourceMissing, "not a valid http or https URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.rpc("pingback.ping", tt.source, target)
			wantFault(t, err, tt.code, tt.msg)
			if n := len(linkbacksOf(t, e, models.FeedbackPingback)); n != 0 {
				t.Errorf("%d pingbacks stored", n)
			}
		})
	}
}

// TestPingbackMulticallRefused: the XML-RPC server has no system.multicall,
// so one request cannot fan out into many pingback.ping calls: the call is
// refused as an unknown method before anything is fetched, stored or
// charged, and pingback.ping itself stays limited per address.
func TestPingbackMulticallRefused(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 2, PerPostPerMinute: 1000})
	c, _ := e.admin()
	targets := []string{testBaseURL + e.publish(c, "First", "x", nil), testBaseURL + e.publish(c, "Second", "x", nil),
		testBaseURL + e.publish(c, "Third", "x", nil)}
	var fetches atomic.Int64
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		fmt.Fprintf(w, `<a href="%s">a</a> <a href="%s">b</a> <a href="%s">c</a>`, targets[0], targets[1], targets[2])
	}))
	t.Cleanup(src.Close)

	var calls []any
	for i := range 20 {
		calls = append(calls, map[string]any{"methodName": "pingback.ping",
			"params": []any{fmt.Sprintf("%s/fan/%d", src.URL, i), targets[i%len(targets)]}})
	}
	_, err := e.rpc("system.multicall", calls)
	wantFault(t, err, xmlrpc.CodeMethodNotFound, "system.multicall")
	if n := len(linkbacksOf(t, e, models.FeedbackPingback)); n != 0 || fetches.Load() != 0 {
		t.Fatalf("system.multicall stored %d pingbacks and fetched %d sources", n, fetches.Load())
	}
	if methods := asArray(t, e.mustRPC("system.listMethods")); len(methods) == 0 {
		t.Fatal("no methods listed")
	} else {
		for _, m := range methods {
			if m == "system.multicall" {
				t.Error("system.multicall is listed")
			}
		}
	}

	// The refused multicall charged nothing: two pingbacks pass, the third
	// from the same address is refused whatever post it names.
	for i, tgt := range targets[:2] {
		if _, err := e.rpc("pingback.ping", fmt.Sprintf("%s/one/%d", src.URL, i), tgt); err != nil {
			t.Fatalf("pingback %d: %v", i, err)
		}
	}
	_, err = e.rpc("pingback.ping", src.URL+"/one/2", targets[2])
	wantFault(t, err, xmlrpcapi.FaultAccessDenied, "Too many pingbacks from this address")
	if n := len(linkbacksOf(t, e, models.FeedbackPingback)); n != 2 || fetches.Load() != 2 {
		t.Errorf("%d pingbacks stored, %d sources fetched; want 2 and 2", n, fetches.Load())
	}
}
