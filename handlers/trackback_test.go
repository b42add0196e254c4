package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/crosstalk/crosstalk/models"
)

const (
	okXML   = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<response>\n<error>0</error>\n</response>\n"
	formCT  = "application/x-www-form-urlencoded"
	pingURL = "/trackback/1"
)

// encodeForm percent-encodes fields after converting them to enc's bytes, as
// an old blog in that charset would send them.
func encodeForm(t *testing.T, enc encoding.Encoding, fields ...string) []byte {
	t.Helper()
	var parts []string
	for i := 0; i+1 < len(fields); i += 2 {
		v := fields[i+1]
		if enc != nil {
			b, err := enc.NewEncoder().String(v)
			if err != nil {
				t.Fatal(err)
			}
			v = b
		}
		parts = append(parts, fields[i]+"="+url.QueryEscape(v))
	}
	return []byte(strings.Join(parts, "&"))
}

func pings(t *testing.T, e *testEnv) []models.QueueItem {
	t.Helper()
	items, err := e.store.Queue(context.Background(), models.QueueFilter{Status: models.ModPending, Kind: models.FeedbackTrackBack})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func TestTrackBackPing(t *testing.T) {
	long := strings.Repeat("word ", 2000)
	tests := []struct {
		name        string
		contentType string
		body        []byte
		status      int
		wantXML     string // exact body, or a substring of an error body
		title       string // the stored title, when stored
		excerpt     string
		blogName    string
	}{
		{name: "utf-8", contentType: formCT, body: encodeForm(t, nil, "url", "https://other.example/post", "title", "Ça marche — ok", "excerpt", "Un résumé", "blog_name", "Autre"),
			status: 200, wantXML: okXML, title: "Ça marche — ok", excerpt: "Un résumé", blogName: "Autre"},
		{name: "iso-8859-1 from content type", contentType: formCT + "; charset=ISO-8859-1", body: encodeForm(t, charmap.ISO8859_1, "url", "https://l1.example/", "title", "Café crème"),
			status: 200, wantXML: okXML, title: "Café crème"},
		{name: "windows-1252 without a charset", contentType: formCT, body: encodeForm(t, charmap.Windows1252, "url", "https://w.example/", "title", "“Smart” quotes €"),
			status: 200, wantXML: okXML, title: "“Smart” quotes €"},
		{name: "shift_jis from charset field", contentType: formCT, body: append(encodeForm(t, japanese.ShiftJIS, "url", "https://sj.example/", "title", "日本語のタイトル"), []byte("&charset=Shift_JIS")...),
			status: 200, wantXML: okXML, title: "日本語のタイトル"},
		{name: "euc-jp", contentType: formCT + "; charset=EUC-JP", body: encodeForm(t, japanese.EUCJP, "url", "https://euc.example/", "title", "こんにちは"),
			status: 200, wantXML: okXML, title: "こんにちは"},
		{name: "gb18030", contentType: formCT + "; charset=GB18030", body: encodeForm(t, simplifiedchinese.GB18030, "url", "https://gb.example/", "title", "中文标题"),
			status: 200, wantXML: okXML, title: "中文标题"},
		{name: "utf-7 refused", contentType: formCT + "; charset=UTF-7", body: []byte("url=https%3A%2F%2Fu7.example%2F&title=%2BAGE-"),
			status: 200, wantXML: "<error>1</error>"},
		{name: "missing url", contentType: formCT, body: []byte("title=No+url"), status: 200, wantXML: "<error>1</error>"},
		{name: "javascript url", contentType: formCT, body: encodeForm(t, nil, "url", "javascript:alert(1)"), status: 200, wantXML: "<error>1</error>"},
		{name: "NUL bytes stripped", contentType: formCT, body: []byte("url=https%3A%2F%2Fnul.example%2F&title=a%00b&excerpt=c%00%01d"), status: 200, wantXML: okXML, title: "ab", excerpt: "cd"},
		{name: "html in every field", contentType: formCT, body: encodeForm(t, nil, "url", "https://h.example/", "title", "<b>Bold</b><script>x()</script>",
			"excerpt", "<p>Para <img src=x onerror=alert(1)></p>", "blog_name", "<i>Blog</i>"), status: 200, wantXML: okXML, title: "Bold", excerpt: "Para", blogName: "Blog"},
		{name: "10,000-character excerpt", contentType: formCT, body: encodeForm(t, nil, "url", "https://long.example/", "title", "Long", "excerpt", long),
			status: 200, wantXML: okXML, title: "Long", excerpt: strings.TrimSpace(long[:252]) + "..."},
		{name: "no title takes five words", contentType: formCT, body: encodeForm(t, nil, "url", "https://nt.example/", "excerpt", "one two three four five six seven"),
			status: 200, wantXML: okXML, title: "one two three four five", excerpt: "one two three four five six seven"},
	}
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 1000})
	c, _ := e.admin()
	e.publish(c, "Target", "Ping me", nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(pings(t, e))
			res := e.raw("POST", pingURL, tt.contentType, tt.body)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			if ct := res.header.Get("Content-Type"); ct != "text/xml; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if tt.wantXML == okXML && res.body != okXML {
				t.Fatalf("body %q, want exactly %q", res.body, okXML)
			}
			if !strings.Contains(res.body, tt.wantXML) {
				t.Fatalf("body %q lacks %q", res.body, tt.wantXML)
			}
			after := pings(t, e)
			if tt.title == "" {
				if len(after) != before {
					t.Fatalf("a refused ping was stored")
				}
				return
			}
			if len(after) != before+1 {
				t.Fatalf("stored %d pings, want 1", len(after)-before)
			}
			got := after[0]
			if got.Title != tt.title || (tt.excerpt != "" && got.Content != tt.excerpt) || got.AuthorName != tt.blogName {
				t.Errorf("stored title %q excerpt %q blog %q", got.Title, got.Content, got.AuthorName)
			}
			if tt.excerpt != "" && len([]rune(got.Content)) > 255 {
				t.Errorf("excerpt is %d characters", len([]rune(got.Content)))
			}
			if got.Status != models.ModPending || got.Verification != models.VerificationPending {
				t.Errorf("a new ping must be pending and unverified, got %s/%s", got.Status, got.Verification)
			}
		})
	}
	t.Run("repeat from the same url is stored once", func(t *testing.T) {
		before := len(pings(t, e))
		body := encodeForm(t, nil, "url", "https://other.example/post", "title", "Again")
		if res := e.raw("POST", pingURL, formCT, body); res.body != okXML {
			t.Fatalf("repeat ping: %q", res.body)
		}
		if len(pings(t, e)) != before {
			t.Error("a repeated ping was stored twice")
		}
	})
	t.Run("3 MB body", func(t *testing.T) {
		big := append([]byte("url=https%3A%2F%2Fbig.example%2F&excerpt="), make([]byte, 3<<20)...)
		res := e.raw("POST", pingURL, formCT, big)
		if res.status != http.StatusRequestEntityTooLarge || !strings.Contains(res.body, "<error>1</error>") {
			t.Fatalf("3 MB ping: %d %q", res.status, res.body)
		}
	})
}

func TestTrackBackRefusals(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 1000})
	c, _ := e.admin()
	e.publish(c, "Open", "x", nil)
	e.publish(c, "Closed", "x", url.Values{"allow_pings": {""}})
	res := e.post(c, "/admin/posts/new", "/admin/posts", url.Values{"title": {"Draft"}, "status": {"draft"}, "kind": {"post"}})
	if res.status != http.StatusSeeOther {
		t.Fatal("draft")
	}
	res = e.post(c, "/admin/posts/new?kind=page", "/admin/posts", url.Values{"title": {"A page"}, "status": {"published"}, "kind": {"page"}, "allow_pings": {"1"}})
	if res.status != http.StatusSeeOther {
		t.Fatal("page")
	}
	body := encodeForm(t, nil, "url", "https://ok.example/", "title", "T")
	// open gives each case the full settings it needs, so cases do not lean on each other.
	open := func(edit func(*models.Site)) func(*models.Site) {
		return func(s *models.Site) {
			s.PingsEnabled, s.PingsCloseDays, s.BlockList = true, 0, nil
			if edit != nil {
				edit(s)
			}
		}
	}
	ping := func(path string, b []byte) response { return e.raw("POST", path, formCT, b) }
	tests := []struct {
		name   string
		setup  func()
		path   string
		body   []byte
		status int
	}{
		{"unknown post", nil, "/trackback/99", body, http.StatusNotFound},
		{"not a number", nil, "/trackback/abc", body, http.StatusNotFound},
		{"draft", nil, "/trackback/3", body, http.StatusNotFound},
		{"pings off on the post", nil, "/trackback/2", body, http.StatusForbidden},
		{"blocked domain", func() { e.setSite(open(func(s *models.Site) { s.BlockList = []string{"spam.example"} })) }, "/trackback/1",
			encodeForm(t, nil, "url", "https://www.spam.example/x"), http.StatusForbidden},
		{"blocked domain with a trailing dot and port", func() { e.setSite(open(func(s *models.Site) { s.BlockList = []string{"spam.example"} })) }, "/trackback/1",
			encodeForm(t, nil, "url", "http://www.spam.example.:8080/x"), http.StatusForbidden},
		{"blocked IP", func() { e.setSite(open(func(s *models.Site) { s.BlockList = []string{"127.0.0.1"} })) }, "/trackback/1", body, http.StatusForbidden},
		{"site switch off", func() { e.setSite(open(func(s *models.Site) { s.PingsEnabled = false })) }, "/trackback/1", body, http.StatusForbidden},
		{"a page takes no pings", func() { e.setSite(open(nil)) }, "/trackback/4", body, http.StatusForbidden},
		{"closed after N days", func() {
			e.setSite(open(func(s *models.Site) { s.PingsCloseDays = 7 }))
			e.clock.Advance(8 * 24 * time.Hour)
		}, "/trackback/1", body, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup()
			}
			res := ping(tt.path, tt.body)
			if res.status != tt.status || !strings.Contains(res.body, "<error>1</error><message>") && !strings.Contains(res.body, "<error>1</error>\n<message>") {
				t.Fatalf("status %d (want %d), body %q", res.status, tt.status, res.body)
			}
			if n := len(pings(t, e)); n != 0 {
				t.Fatalf("%d pings stored", n)
			}
		})
	}
}

// setSite changes the settings directly in the store and waits out the cache.
func (e *testEnv) setSite(edit func(*models.Site)) {
	e.t.Helper()
	raw, err := e.store.Settings(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	site := models.SiteFromSettings(raw)
	edit(&site)
	if err := e.store.SetSettings(context.Background(), site.Settings()); err != nil {
		e.t.Fatal(err)
	}
	e.clock.Advance(10 * 1e9) // past the settings cache
	e.pages.InvalidateAll()   // as a settings save does
}

func TestTrackBackRateLimits(t *testing.T) {
	t.Run("200 pings in a burst from one IP", func(t *testing.T) {
		e := newEnv(t)
		c, _ := e.admin()
		e.publish(c, "Busy", "x", nil)
		var ok, limited int
		for i := 0; i < 200; i++ {
			res := e.raw("POST", pingURL, formCT, encodeForm(t, nil, "url", fmt.Sprintf("https://b%d.example/", i)))
			switch res.status {
			case http.StatusOK:
				ok++
			case http.StatusTooManyRequests:
				limited++
				if res.header.Get("Retry-After") == "" || !strings.Contains(res.body, "<error>1</error>") {
					t.Fatalf("429 without Retry-After or XML: %q", res.body)
				}
			default:
				t.Fatalf("status %d", res.status)
			}
		}
		if ok != DefaultPingLimits().PerIPPerMinute || limited != 200-ok {
			t.Errorf("accepted %d, limited %d", ok, limited)
		}
		if n := len(pings(t, e)); n != ok {
			t.Errorf("stored %d, accepted %d", n, ok)
		}
	})
	t.Run("per post", func(t *testing.T) {
		e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 5})
		c, _ := e.admin()
		e.publish(c, "Hot", "x", nil)
		e.publish(c, "Quiet", "x", nil)
		for i := 0; i < 5; i++ {
			if res := e.raw("POST", pingURL, formCT, encodeForm(t, nil, "url", fmt.Sprintf("https://p%d.example/", i))); res.status != 200 {
				t.Fatalf("ping %d: %d", i, res.status)
			}
		}
		if res := e.raw("POST", pingURL, formCT, encodeForm(t, nil, "url", "https://p9.example/")); res.status != http.StatusTooManyRequests {
			t.Errorf("6th ping to one post: %d", res.status)
		}
		if res := e.raw("POST", "/trackback/2", formCT, encodeForm(t, nil, "url", "https://p9.example/")); res.status != 200 {
			t.Errorf("another post is not limited: %d", res.status)
		}
	})
}

func TestTrackBackGet(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "Listed", "x", nil)
	e.raw("POST", pingURL, formCT, encodeForm(t, nil, "url", "https://a.example/", "title", "Approved & one", "excerpt", "Said & done"))
	e.raw("POST", pingURL, formCT, encodeForm(t, nil, "url", "https://b.example/", "title", "Still pending"))
	if err := e.queue().SetFeedbackStatus(context.Background(), models.ModApproved, 1); err != nil {
		t.Fatal(err)
	}
	res := e.get(e.client(), pingURL)
	if res.status != http.StatusMovedPermanently || res.header.Get("Location") != "http://blog.test"+path || res.header.Get("X-Robots-Tag") != "noindex" {
		t.Errorf("GET ping URL: %d %q robots=%q", res.status, res.header.Get("Location"), res.header.Get("X-Robots-Tag"))
	}
	rss := e.get(e.client(), pingURL+"?__mode=rss")
	if rss.status != 200 || rss.header.Get("Content-Type") != "text/xml; charset=utf-8" {
		t.Fatalf("rss: %d %q", rss.status, rss.header.Get("Content-Type"))
	}
	mustContain(t, rss.body, "<error>0</error>", `<rss version="0.91">`, "Approved &amp; one", "https://a.example/", "<description>Said &amp;amp; done</description>") // plain text, HTML-escaped, then XML-escaped
	mustNotContain(t, rss.body, "Still pending")
	if n := len(pings(t, e)); n != 1 {
		t.Errorf("GETs stored something: %d pending", n)
	}
}

func TestPostPageAdvertisesTrackBack(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "Dashes -- and --> end", "x", nil)
	page := e.get(e.client(), path)
	permalink := "http://blog.test" + path
	mustContain(t, page.body,
		`<link rel="trackback" href="http://blog.test/trackback/1">`,
		`rdf:about="`+permalink+`"`, `dc:identifier="`+permalink+`"`, `trackback:ping="http://blog.test/trackback/1"`,
		`value="http://blog.test/trackback/1"`, `class="copy"`)
	// The comment holding the RDF must stay one comment: exactly one "-->" after "<!--" for it.
	start := strings.Index(page.body, "<!--")
	end := strings.Index(page.body[start:], "-->")
	if start < 0 || end < 0 || !strings.Contains(page.body[start:start+end], "</rdf:RDF>") {
		t.Fatalf("RDF comment broken:\n%s", page.body[start:])
	}
	if strings.Contains(page.body[start+4:start+end], "--") {
		t.Error("a -- inside the RDF comment")
	}

	closed := e.publish(c, "No pings here", "x", url.Values{"allow_pings": {""}})
	page = e.get(e.client(), closed)
	mustNotContain(t, page.body, "rdf:RDF", `rel="trackback"`, "/trackback/2")
}

func TestApprovedTrackBackShowsEscaped(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "Shown", "x", nil)
	// Stored as received (the parser strips tags, so store hostile text directly
	// too, to prove the page escapes whatever is in the database).
	f := &models.Feedback{PostID: 1, Kind: models.FeedbackTrackBack, Status: models.ModApproved, SourceURL: "https://x.example/?a=1&b=2",
		Title: "<script>alert('t')</script>", Content: "<img src=x onerror=alert(1)>", AuthorName: "<b>Blog</b>"}
	if _, err := e.store.AddFeedback(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	page := e.get(e.client(), path)
	mustContain(t, page.body, "TrackBacks and mentions", "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;",
		"&lt;b&gt;Blog&lt;/b&gt;", `href="https://x.example/?a=1&amp;b=2" rel="nofollow ugc"`)
	mustNotContain(t, page.body, "<script>alert", "<img src=x")
}

// TestLinkbacksWhenTheDatabaseFails: a store failure is the blog's fault
// (500), never "no such post" (TrackBack answered 404 before the intake
// service).
func TestLinkbacksWhenTheDatabaseFails(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "Target", "x", nil)
	e.store.Close()
	tests := []struct {
		name, url, contentType string
		body                   []byte
		want                   string
	}{
		{"trackback", pingURL, formCT, encodeForm(t, nil, "url", "https://a.example/"), "<error>1</error>"},
		{"webmention", "/webmention", formCT, encodeForm(t, nil, "source", "https://a.example/", "target", testBaseURL+path),
			"could not be stored"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.raw("POST", tt.url, tt.contentType, tt.body)
			if res.status != http.StatusInternalServerError || !strings.Contains(res.body, tt.want) {
				t.Errorf("%d %q", res.status, res.body)
			}
		})
	}
}
