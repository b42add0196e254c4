package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/crosstalk/crosstalk/models"
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

// cancellableWrites records whether the linkback writes were made with a
// context a client's hang-up could cancel.
type cancellableWrites struct {
	models.FeedbackStore
	mu          sync.Mutex
	writes      int
	cancellable int
}

func (w *cancellableWrites) note(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	if ctx.Done() != nil {
		w.cancellable++
	}
}

func (w *cancellableWrites) AddFeedback(ctx context.Context, f *models.Feedback) (bool, error) {
	w.note(ctx)
	return w.FeedbackStore.AddFeedback(ctx, f)
}

func (w *cancellableWrites) SaveWebmention(ctx context.Context, f *models.Feedback) (bool, error) {
	w.note(ctx)
	return w.FeedbackStore.SaveWebmention(ctx, f)
}

// TestPingsAreStoredWhenTheSenderHangsUp: once a TrackBack or Webmention is
// read whole, it is stored with a context the sender's hang-up cannot
// cancel, so a sender that gives up mid-write does not leave a half-done
// write logged as a server failure.
func TestPingsAreStoredWhenTheSenderHangsUp(t *testing.T) {
	e := newEnv(t)
	writes := &cancellableWrites{FeedbackStore: e.store}
	e.extra = func(d *Deps) { d.Feedback = writes }
	e.srv.Config.Handler = e.engine(e.store, e.log)
	c, _ := e.admin()
	path := e.publish(c, "Pinged", "text", nil)
	if res := e.raw("POST", "/trackback/1", formCT, encodeForm(t, nil, "url", "https://tb.example/post")); !strings.Contains(res.body, "<error>0</error>") {
		t.Fatalf("TrackBack: %d %s", res.status, res.body)
	}
	if res := e.webmention("https://wm.example/post", testBaseURL+path); res.status != http.StatusCreated {
		t.Fatalf("Webmention: %d %s", res.status, res.body)
	}
	writes.mu.Lock()
	defer writes.mu.Unlock()
	if writes.writes != 2 || writes.cancellable != 0 {
		t.Errorf("%d linkback writes, %d of them cancellable by a hang-up; want 2 and 0", writes.writes, writes.cancellable)
	}
}
