// Package pagecache keeps rendered public pages in memory for anonymous
// readers: each entry is the page's bytes, a gzip copy made once when it is
// stored, a strong ETag and a Last-Modified time. The cache is bounded by
// bytes (least recently used entries go first) and is emptied by the writes
// that change what pages show, never by timers: a post's own pages are
// dropped with InvalidatePost, every list page and feed with
// InvalidateLists, and everything with InvalidateAll (settings, theme).
//
// A store that started rendering before an invalidation is refused (Put
// with a Ticket taken before rendering), so a page read from the database
// just before a write can never outlive it. The package knows neither gin
// nor the store; a nil *Cache is a valid, always-empty cache.
package pagecache

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxBytes is the default bound of a cache: 64 MiB of pages.
const DefaultMaxBytes = 64 << 20

// entryOverhead is counted for each entry besides its bytes (key, headers,
// bookkeeping), so that many tiny pages still respect the bound.
const entryOverhead = 512

// List is the scope of pages that show many posts: home, archives, tag
// pages and feeds.
const List int64 = 0

// Page is one rendered answer (status 200) as the cache serves it.
type Page struct {
	// Header holds the handler's own headers (Content-Type, Cache-Control,
	// Link…), shared read-only by every answer.
	Header http.Header
	Body   []byte
	// Gzip is Body compressed, or nil when compressing did not pay.
	Gzip []byte
	// ETag and GzipETag are strong validators of each variant.
	ETag, GzipETag string
	// LastModified is when the page was rendered, in HTTP form.
	LastModified string
	// Modified is LastModified as a time (whole seconds).
	Modified time.Time
	// ModifiedExact says that no invalidation happened in the Modified
	// second before the page was rendered, so If-Modified-Since at one
	// second's precision can be trusted for it.
	ModifiedExact bool
	// Route is the route that rendered the page (Entry.Route).
	Route string

	// Header values built once, shared read-only by every answer.
	lastModified, etag, gzipETag, length, gzipLength []string

	key     string
	post    int64
	expires time.Time
	size    int64
}

// Cache is the page cache. It is safe for concurrent use.
type Cache struct {
	max int64
	now func() time.Time

	mu      sync.Mutex
	entries map[string]*list.Element // of *Page
	lru     list.List                // front: most recently used
	byPost  map[int64]map[string]struct{}
	bytes   int64
	gen     uint64    // bumped by every invalidation
	lastInv time.Time // when the last invalidation happened

	hits, misses atomic.Uint64

	// spareGzip keeps one idle gzip writer (about 800 KB, its tables) for
	// the next page stored. A sync.Pool would keep one per CPU for minutes
	// after a burst of renders: memory an idle blog does not need.
	spareGzip chan *gzip.Writer
}

// Options configures a cache.
type Options struct {
	// MaxBytes bounds the bytes kept (pages, their gzip copies and a small
	// overhead each); 0 or less turns the cache off (New returns nil).
	MaxBytes int64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// New makes a cache, or returns nil (no caching) when o.MaxBytes <= 0.
func New(o Options) *Cache {
	if o.MaxBytes <= 0 {
		return nil
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Cache{max: o.MaxBytes, now: o.Now, entries: map[string]*list.Element{}, byPost: map[int64]map[string]struct{}{},
		spareGzip: make(chan *gzip.Writer, 1)}
}

// Get returns the page stored under key, or nil; either counts (Stats).
func (c *Cache) Get(key string) *Page {
	p := c.lookup(key)
	if p == nil && c != nil {
		c.misses.Add(1)
	}
	return p
}

// Hit returns the page stored under key, counting a hit, or nil counting
// nothing: for a first look in front of the code that renders the page on
// a miss and counts it there (with Get).
func (c *Cache) Hit(key string) *Page { return c.lookup(key) }

// lookup finds key, dropping it if expired, and counts a hit.
func (c *Cache) lookup(key string) *Page {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	el, ok := c.entries[key]
	if ok {
		p := el.Value.(*Page)
		if !p.expires.IsZero() && !c.now().Before(p.expires) {
			c.remove(el)
			ok = false
		} else {
			c.lru.MoveToFront(el)
		}
	}
	c.mu.Unlock()
	if !ok {
		return nil
	}
	c.hits.Add(1)
	return el.Value.(*Page)
}

// Ticket is taken before rendering a page and given back to Put.
type Ticket struct {
	gen   uint64
	start time.Time
}

// Ticket marks the start of a render: Put refuses the page if anything was
// invalidated since.
func (c *Cache) Ticket() Ticket {
	if c == nil {
		return Ticket{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return Ticket{gen: c.gen, start: c.now()}
}

// Entry is what a handler rendered, to be stored.
type Entry struct {
	Header http.Header
	Body   []byte
	// Post is the post the page shows, or List for a page of many posts.
	Post int64
	// Expires, if not zero, is when the page changes by itself (pings
	// closing on a post after some days).
	Expires time.Time
	// Route names the route that rendered the page, for metrics of the
	// answers served from the cache.
	Route string
}

// Put stores e under key and returns the page as it will be served, or nil
// when it is not stored: the cache is off, an invalidation happened since
// t was taken, or the page alone is larger than the bound.
func (c *Cache) Put(key string, t Ticket, e Entry) *Page {
	if c == nil {
		return nil
	}
	modified := t.start.UTC().Truncate(time.Second)
	p := &Page{Header: e.Header, Body: e.Body, Route: e.Route, key: key, post: e.Post, expires: e.Expires,
		Modified: modified, LastModified: modified.Format(http.TimeFormat)}
	sum := sha256.Sum256(e.Body)
	tag := base64.RawURLEncoding.EncodeToString(sum[:18])
	p.ETag, p.GzipETag = `"`+tag+`"`, `"`+tag+`-gz"`
	p.Gzip = c.compress(e.Body)
	p.lastModified, p.etag, p.gzipETag = []string{p.LastModified}, []string{p.ETag}, []string{p.GzipETag}
	p.length, p.gzipLength = []string{strconv.Itoa(len(p.Body))}, []string{strconv.Itoa(len(p.Gzip))}
	p.size = int64(len(p.Body)+len(p.Gzip)+len(key)) + entryOverhead
	if p.size > c.max {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.gen != c.gen {
		return nil // something changed while the page was rendered
	}
	p.ModifiedExact = c.lastInv.Before(modified)
	if old, ok := c.entries[key]; ok {
		c.remove(old)
	}
	c.entries[key] = c.lru.PushFront(p)
	keys := c.byPost[p.post]
	if keys == nil {
		keys = map[string]struct{}{}
		c.byPost[p.post] = keys
	}
	keys[key] = struct{}{}
	c.bytes += p.size
	for c.bytes > c.max {
		c.remove(c.lru.Back())
	}
	return p
}

// remove drops one entry; c.mu is held.
func (c *Cache) remove(el *list.Element) {
	p := el.Value.(*Page)
	c.lru.Remove(el)
	delete(c.entries, p.key)
	if keys := c.byPost[p.post]; keys != nil {
		delete(keys, p.key)
		if len(keys) == 0 {
			delete(c.byPost, p.post)
		}
	}
	c.bytes -= p.size
}

// invalidate runs drop under the lock and marks the invalidation, so that
// pages rendered meanwhile are refused.
func (c *Cache) invalidate(drop func()) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.lastInv = c.now()
	drop()
}

// InvalidatePost drops the pages of the post with id (its page, every
// page number of it).
func (c *Cache) InvalidatePost(id int64) {
	if id != List {
		c.invalidate(func() { c.dropScope(id) })
	}
}

// InvalidateLists drops every page that lists posts: home, archives, tag
// pages and feeds.
func (c *Cache) InvalidateLists() { c.invalidate(func() { c.dropScope(List) }) }

// InvalidateAll empties the cache (settings or theme changed).
func (c *Cache) InvalidateAll() { c.invalidate(c.clear) }

// clear drops every page; c.mu is held.
func (c *Cache) clear() {
	c.entries = map[string]*list.Element{}
	c.byPost = map[int64]map[string]struct{}{}
	c.lru.Init()
	c.bytes = 0
}

func (c *Cache) dropScope(post int64) {
	for key := range c.byPost[post] {
		c.remove(c.entries[key])
	}
}

// Stats reports the hits and misses since start and the bytes held now.
func (c *Cache) Stats() (hits, misses uint64, bytes int64) {
	if c == nil {
		return 0, 0, 0
	}
	c.mu.Lock()
	bytes = c.bytes
	c.mu.Unlock()
	return c.hits.Load(), c.misses.Load(), bytes
}

// Len is the number of pages held.
func (c *Cache) Len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// compress gzips b, or returns nil when that does not make it smaller.
func (c *Cache) compress(b []byte) []byte {
	if len(b) < 256 {
		return nil
	}
	var buf bytes.Buffer
	buf.Grow(len(b) / 3)
	var w *gzip.Writer
	select {
	case w = <-c.spareGzip:
		w.Reset(&buf)
	default:
		w, _ = gzip.NewWriterLevel(&buf, gzip.DefaultCompression) // a valid level: no error
	}
	_, err := w.Write(b)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	select {
	case c.spareGzip <- w:
	default: // one spare is enough
	}
	if err != nil || buf.Len() >= len(b) {
		return nil
	}
	return bytes.Clone(buf.Bytes())
}
