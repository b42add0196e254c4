package handlers

import (
	"strings"
	"sync/atomic"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

// TestAnonymousXMLRPCKeepsCaches: a call that does not log in must not
// drop the month archive (a query on every home page), or any stranger can
// make every home page view pay for it.
func TestAnonymousXMLRPCKeepsCaches(t *testing.T) {
	var months atomic.Int64
	e := newEnvWith(t, models.Options{OnQuery: func(sql string) {
		if strings.HasPrefix(sql, "SELECT year, month") {
			months.Add(1)
		}
	}}, PingLimits{})
	c, u := e.admin()
	e.publish(c, "Archived", "text", nil)
	reader := e.client()
	e.get(reader, "/")
	base := months.Load()
	post := map[string]any{"title": "T", "description": "D"}
	calls := []struct {
		name string
		call func()
	}{
		{"wrong password", func() { _, _ = e.rpc("metaWeblog.newPost", "1", u.Name, "wrong", post, true) }},
		{"unknown user", func() { _, _ = e.rpc("metaWeblog.newPost", "1", "nobody", "x", post, true) }},
		{"unknown method", func() { _, _ = e.rpc("no.such.method") }},
		{"not XML", func() { _, _ = e.rpcRaw("<methodCall><garbage") }},
	}
	for _, tt := range calls {
		tt.call()
		e.get(reader, "/")
		if n := months.Load(); n != base {
			t.Errorf("%s: the month archive was queried again (%d times)", tt.name, n-base)
			base = n
		}
	}
	// A real write still drops it.
	e.mustRPC("metaWeblog.newPost", "1", u.Name, testPassword, post, true)
	e.get(reader, "/")
	if months.Load() == base {
		t.Error("a published post did not refresh the month archive")
	}
}
