package pagecache

import (
	"net/http"
	"testing"
	"time"
)

func entry(post int64, body string) Entry {
	return Entry{Header: http.Header{}, Body: []byte(body), Post: post}
}

func TestPutRefusedAfterInvalidation(t *testing.T) {
	tests := []struct {
		name       string
		invalidate func(*Cache)
	}{
		{"post", func(c *Cache) { c.InvalidatePost(7) }},
		{"another post", func(c *Cache) { c.InvalidatePost(8) }},
		{"lists", func(c *Cache) { c.InvalidateLists() }},
		{"all", func(c *Cache) { c.InvalidateAll() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(Options{MaxBytes: 1 << 20})
			ticket := c.Ticket() // rendering starts, reads the database…
			tt.invalidate(c)     // …a write lands meanwhile
			if p := c.Put("/p", ticket, entry(7, "old")); p != nil || c.Get("/p") != nil {
				t.Error("a page rendered before the write was stored")
			}
			if p := c.Put("/p", c.Ticket(), entry(7, "new")); p == nil || string(c.Get("/p").Body) != "new" {
				t.Error("a page rendered after the write was not stored")
			}
		})
	}
}

func TestInvalidateScopes(t *testing.T) {
	c := New(Options{MaxBytes: 1 << 20})
	for key, post := range map[string]int64{"/a": 1, "/a?page=2": 1, "/b": 2, "/": List, "/feed": List} {
		if c.Put(key, c.Ticket(), entry(post, key)) == nil {
			t.Fatal("not stored")
		}
	}
	c.InvalidatePost(1)
	for key, want := range map[string]bool{"/a": false, "/a?page=2": false, "/b": true, "/": true, "/feed": true} {
		if got := c.Get(key) != nil; got != want {
			t.Errorf("after InvalidatePost(1), %s cached %v", key, got)
		}
	}
	c.InvalidateLists()
	if c.Get("/") != nil || c.Get("/feed") != nil || c.Get("/b") == nil {
		t.Error("InvalidateLists dropped the wrong pages")
	}
	c.InvalidateAll()
	if c.Len() != 0 {
		t.Errorf("%d pages left after InvalidateAll", c.Len())
	}
	if _, _, n := c.Stats(); n != 0 {
		t.Errorf("%d bytes counted after InvalidateAll", n)
	}
}

func TestExpiry(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New(Options{MaxBytes: 1 << 20, Now: func() time.Time { return now }})
	e := entry(1, "pings open")
	e.Expires = now.Add(time.Hour)
	c.Put("/p", c.Ticket(), e)
	if c.Get("/p") == nil {
		t.Fatal("not cached before it expires")
	}
	now = now.Add(time.Hour)
	if c.Get("/p") != nil || c.Len() != 0 {
		t.Error("served after it expired")
	}
}

func TestNilCacheIsOff(t *testing.T) {
	var c *Cache
	if New(Options{}) != nil {
		t.Error("a zero bound made a cache")
	}
	c.InvalidatePost(1)
	c.InvalidateLists()
	c.InvalidateAll()
	if c.Put("/", c.Ticket(), entry(List, "x")) != nil || c.Get("/") != nil {
		t.Error("a nil cache stored a page")
	}
}

func TestAcceptsGzip(t *testing.T) {
	for ae, want := range map[string]bool{
		"": false, "gzip": true, "GZIP": true, "deflate, gzip;q=1.0": true, "br, gzip;q=0.5": true,
		"gzip;q=0": false, "gzip; q=0.0": false, "identity": false, "*": true, "x-gzip": true, "br": false,
	} {
		if got := acceptsGzip(ae); got != want {
			t.Errorf("acceptsGzip(%q) = %v", ae, got)
		}
	}
}
