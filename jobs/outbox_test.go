package jobs

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// TestOutboxDeliversToRemoteBlogs publishes one post linking to remote
// blogs of every kind and checks what each received and what the outbox
// recorded.
func TestOutboxDeliversToRemoteBlogs(t *testing.T) {
	b := newBlog(t)

	mt := newRemote(t) // Movable Type: one entry, RDF in a comment
	mt.entry("/blog/2008/04/entry.html", "/cgi-bin/mt-tb.cgi/123", accept)

	index := newRemote(t) // an index page with several RDF blocks
	var blocks strings.Builder
	for i := 1; i <= 3; i++ {
		fmt.Fprintf(&blocks, "%s\n<p>entry %d</p>\n", trackback.RDFBlock(fmt.Sprintf("%s/index.html#e%d", index.URL, i), "E", fmt.Sprintf("%s/tb/%d", index.URL, i)), i)
		index.pingURL(fmt.Sprintf("/tb/%d", i), accept)
	}
	index.page("/index.html", "<html><body>"+blocks.String()+"</body></html>")

	plain := newRemote(t) // no endpoint anywhere
	plain.page("/about", "<html><body><p>Nothing to see.</p></body></html>")

	refuses := newRemote(t) // answers <error>1</error>
	refuses.entry("/post", "/tb", func(int) (int, string) {
		return http.StatusOK, string(trackback.ResponseBody("Spam protection: try later", true))
	})

	slow := newRemote(t) // never answers within the client's time limit
	slow.mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})

	flaky := newRemote(t) // fails twice, then succeeds
	flaky.entry("/entry", "/tb", func(n int) (int, string) {
		if n <= 2 {
			return http.StatusServiceUnavailable, "busy"
		}
		return accept(n)
	})

	direct := newRemote(t) // a "Send TrackBacks to" URL: pinged without a page
	direct.pingURL("/trackback/7", accept)

	wm := newRemote(t) // Webmention, advertised in a Link header
	wm.mux.HandleFunc("GET /note", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Link", `</webmention?k=1>; rel="webmention"`)
		_, _ = io.WriteString(w, "<p>note</p>")
	})
	var wmForm, pbParams string // guarded by the remote's mu
	wm.mux.HandleFunc("POST /webmention", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		wm.mu.Lock()
		wmForm = r.URL.RawQuery + " " + r.PostForm.Encode()
		wm.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	})

	pb := newRemote(t) // Pingback, advertised in X-Pingback
	pb.mux.HandleFunc("GET /wp/hello/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Pingback", pb.URL+"/xmlrpc.php")
		_, _ = io.WriteString(w, "<p>hello</p>")
	})
	pb.mux.HandleFunc("POST /xmlrpc.php", func(w http.ResponseWriter, r *http.Request) {
		method, params, err := xmlrpc.DecodeCall(r.Body)
		pb.mu.Lock()
		pbParams = fmt.Sprint(method, params, err)
		pb.mu.Unlock()
		_ = xmlrpc.EncodeResponse(w, "Pingback registered.")
	})

	links := []string{
		mt.URL + "/blog/2008/04/entry.html", index.URL + "/index.html#e2", plain.URL + "/about",
		refuses.URL + "/post", slow.URL + "/slow", flaky.URL + "/entry", wm.URL + "/note", pb.URL + "/wp/hello/",
	}
	long := strings.Repeat("word ", 100)
	p := b.publish("Crosstalk — linking out", "", []string{direct.URL + "/trackback/7"}, links...)
	p.BodyHTML += "<p>" + long + "</p>" // the excerpt is cut from the text
	if err := b.store.UpdatePost(t.Context(), p, nil); err != nil {
		t.Fatal(err)
	}

	stop := run(b.outbox(4))
	ns := b.waitSettled(p.ID, 20*time.Second)
	stop()

	got := map[string]models.Notification{}
	for _, n := range ns {
		got[n.TargetURL] = n
	}
	permalink := testBase + p.Path()
	tests := []struct {
		target, protocol string
		state            models.NotificationState
		message          string
	}{
		{direct.URL + "/trackback/7", "trackback", models.NotifySent, ""},
		{links[0], "trackback", models.NotifySent, ""},
		{links[1], "trackback", models.NotifySent, ""},
		{links[2], "", models.NotifyNoEndpoint, "No TrackBack, Pingback or Webmention endpoint found on that page."},
		{links[3], "trackback", models.NotifyFailed, "The site refused: Spam protection: try later."},
		{links[4], "", models.NotifyGaveUp, "The site did not answer."},
		{links[5], "trackback", models.NotifySent, ""},
		{links[6], "webmention", models.NotifySent, ""},
		{links[7], "pingback", models.NotifySent, ""},
	}
	if len(ns) != len(tests) {
		t.Errorf("%d notifications, want %d", len(ns), len(tests))
	}
	for _, tt := range tests {
		n, ok := got[tt.target]
		if !ok {
			t.Errorf("%s: no notification", tt.target)
			continue
		}
		if n.Protocol != tt.protocol || n.State != tt.state || n.LastMessage != tt.message {
			t.Errorf("%s: %q %s %q; want %q %s %q", tt.target, n.Protocol, n.State, n.LastMessage, tt.protocol, tt.state, tt.message)
		}
		if (n.State == models.NotifySent) != (n.SentAt != nil) {
			t.Errorf("%s: state %s with sent_at %v", tt.target, n.State, n.SentAt)
		}
	}

	// What the remote blogs received: each one TrackBack with the spec's fields.
	want := trackback.Ping{Title: "Crosstalk — linking out", URL: permalink, BlogName: "Crosstalk Test Blog",
		Excerpt: trackback.Excerpt(strings.Repeat("See this. ", len(links)) + long)}
	for _, c := range []struct {
		r    *remote
		path string
	}{{mt, "/cgi-bin/mt-tb.cgi/123"}, {index, "/tb/2"}, {direct, "/trackback/7"}} {
		forms := c.r.received(c.path)
		if len(forms) != 1 {
			t.Errorf("%s: %d pings, want 1", c.path, len(forms))
			continue
		}
		f := forms[0]
		if f.Get("title") != want.Title || f.Get("url") != want.URL || f.Get("excerpt") != want.Excerpt || f.Get("blog_name") != want.BlogName {
			t.Errorf("%s: ping %v, want %+v", c.path, f, want)
		}
		if ct := c.r.contentType(c.path); ct != "application/x-www-form-urlencoded; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", c.path, ct)
		}
	}
	if n := len([]rune(want.Excerpt)); n != 255 || !strings.HasPrefix(want.Excerpt, "See this. See this.") || !strings.HasSuffix(want.Excerpt, "...") {
		t.Errorf("excerpt of %d characters: %q", n, want.Excerpt)
	}
	if index.count("POST", "/tb/1")+index.count("POST", "/tb/3") != 0 {
		t.Error("the index page's other entries were pinged")
	}
	if direct.count("GET", "/trackback/7") != 0 {
		t.Error("a direct TrackBack URL was fetched for discovery")
	}
	if n := len(flaky.received("/tb")); n != 3 || got[links[5]].Attempts != 3 {
		t.Errorf("flaky blog: %d pings over %d attempts, want 3 and 3", n, got[links[5]].Attempts)
	}
	if n := len(refuses.received("/tb")); n != 1 {
		t.Errorf("a refused TrackBack was sent %d times, want 1 (refusals are not retried)", n)
	}
	if n := slow.count("GET", "/slow"); n < 2 || got[links[4]].Attempts != n {
		t.Errorf("slow blog: %d fetches over %d attempts (retried until given up)", n, got[links[4]].Attempts)
	}
	wm.mu.Lock()
	if wantWM := "k=1 source=" + urlQuery(permalink) + "&target=" + urlQuery(links[6]); wmForm != wantWM {
		t.Errorf("webmention: %q, want %q", wmForm, wantWM)
	}
	wm.mu.Unlock()
	pb.mu.Lock()
	if wantPB := fmt.Sprint("pingback.ping", []any{permalink, links[7]}, nil); pbParams != wantPB {
		t.Errorf("pingback: %q, want %q", pbParams, wantPB)
	}
	pb.mu.Unlock()
}

func urlQuery(s string) string {
	return strings.NewReplacer(":", "%3A", "/", "%2F", "#", "%23").Replace(s)
}

// TestOutboxHoldsUnpublishedPosts checks a post made private before its
// notifications went out notifies nobody, until it is published again.
func TestOutboxHoldsUnpublishedPosts(t *testing.T) {
	b := newBlog(t)
	r := newRemote(t)
	r.entry("/e", "/tb", accept)
	p := b.publish("Second thoughts", "", nil, r.URL+"/e")
	p.Status = models.StatusPrivate
	if err := b.store.UpdatePost(t.Context(), p, nil); err != nil {
		t.Fatal(err)
	}
	o := b.outbox(2)
	stop := run(o)
	defer stop()
	ns := b.waitSettled(p.ID, 5*time.Second)
	if ns[0].State != models.NotifyHeld || r.count("GET", "/e") != 0 {
		t.Fatalf("private post: %s, %d fetches", ns[0].State, r.count("GET", "/e"))
	}
	p.Status = models.StatusPublished
	if err := b.store.UpdatePost(t.Context(), p, nil); err != nil {
		t.Fatal(err)
	}
	o.Wake()
	if ns = b.waitSettled(p.ID, 5*time.Second); ns[0].State != models.NotifySent || len(r.received("/tb")) != 1 {
		t.Errorf("published again: %s, %d pings", ns[0].State, len(r.received("/tb")))
	}
}
