package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestClientHangUpIsNoServerError: a request whose client went away (its
// context cancelled while the store works) answers 499, not the 500 page,
// so logs and metrics do not count it as a server failure.
func TestClientHangUpIsNoServerError(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "Hung up", "text", nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, path+"?x=1", nil) // ?x=1: past the page cache
	rec := httptest.NewRecorder()
	e.srv.Config.Handler.ServeHTTP(rec, req)
	if rec.Code != statusClientClosed {
		t.Fatalf("a cancelled request: %d, want %d\n%.300s", rec.Code, statusClientClosed, rec.Body.String())
	}
}
