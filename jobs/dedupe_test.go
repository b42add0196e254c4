package jobs

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

// TestOneTrackBackPerEndpoint: links to #fragments of one page, and the page
// itself, lead to one TrackBack URL, which is pinged once however many
// workers race for it.
func TestOneTrackBackPerEndpoint(t *testing.T) {
	b := newBlog(t)
	r := newRemote(t)
	r.entry("/frag", "/tb/frag", accept)
	post := b.publish("Fragments", "", nil, r.URL+"/frag#one", r.URL+"/frag#two", r.URL+"/frag", "HTTP://"+strings.TrimPrefix(r.URL, "http://")+"/frag")
	stop := run(b.outbox(8))
	ns := b.waitSettled(post.ID, 10*time.Second)
	stop()
	if got := r.count(http.MethodPost, "/tb/frag"); got != 1 {
		t.Errorf("the shared TrackBack URL got %d pings, want 1", got)
	}
	if len(ns) != 3 { // the upper-case spelling is the same link as /frag
		t.Errorf("%d notifications, want 3: %+v", len(ns), ns)
	}
	for _, n := range ns {
		if n.State != models.NotifySent {
			t.Errorf("%s: %s %q", n.TargetURL, n.State, n.LastMessage)
		}
	}
}

// TestWebmentionResentOnUpdate: a published post's update sends its
// Webmentions again (the W3C spec), while TrackBacks stay sent once.
func TestWebmentionResentOnUpdate(t *testing.T) {
	b := newBlog(t)
	wm := newRemote(t)
	wm.mux.HandleFunc("GET /note", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Link", `</webmention>; rel="webmention"`)
		_, _ = io.WriteString(w, "<p>note</p>")
	})
	wm.mux.HandleFunc("POST /webmention", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) })
	tb := newRemote(t)
	tb.entry("/entry", "/tb", accept)
	post := b.publish("Mentions", "", nil, wm.URL+"/note", tb.URL+"/entry")
	o := b.outbox(4)
	stop := run(o)
	defer stop()
	b.waitSettled(post.ID, 10*time.Second)
	post.Title = "Mentions, edited"
	if err := b.store.UpdatePost(context.Background(), post, nil); err != nil {
		t.Fatal(err)
	}
	o.Wake()
	b.waitSettled(post.ID, 10*time.Second)
	if got := wm.count(http.MethodPost, "/webmention"); got != 2 {
		t.Errorf("webmentions sent: %d, want 2 (publish and update)", got)
	}
	if got := tb.count(http.MethodPost, "/tb"); got != 1 {
		t.Errorf("trackbacks sent: %d, want 1", got)
	}
}
