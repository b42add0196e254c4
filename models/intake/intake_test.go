package intake_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/intake"
	"github.com/crosstalk/crosstalk/models/storetest"
)

const base = "https://blog.example"

// env is a real store (SQLite, or PostgreSQL with CROSSTALK_TEST_POSTGRES)
// with four posts, and a service over it whose site and limits a test sets.
type env struct {
	store *models.Store
	svc   *intake.Service
	site  models.Site
	// open takes pings; closed does not; page is a page; draft is unpublished.
	open, closed, page, draft *models.Post
	// linking is a published post of ours that links to open.
	linking        *models.Post
	perIP, perPost *fakeLimiter
}

func newEnv(t *testing.T, baseURL string) *env {
	t.Helper()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	store, err := models.Open(ctx, storetest.Target(t), models.Options{Now: clock})
	must(err)
	t.Cleanup(func() { store.Close() })
	u := &models.User{Name: "a", Email: "a@example.com", PasswordHash: "x"}
	must(store.CreateUser(ctx, u))
	add := func(kind models.PostKind, title string, status models.PostStatus, pings bool) *models.Post {
		p := &models.Post{Kind: kind, AuthorID: u.ID, Title: title, Slug: models.Slugify(title), Status: status, AllowPings: pings}
		if status == models.StatusPublished {
			p.PublishedAt = &now
		}
		must(store.CreatePost(ctx, p, nil))
		return p
	}
	e := &env{store: store, site: models.DefaultSite(), perIP: &fakeLimiter{}, perPost: &fakeLimiter{}}
	e.open = add(models.KindPost, "Target", models.StatusPublished, true)
	e.closed = add(models.KindPost, "Closed", models.StatusPublished, false)
	e.page = add(models.KindPage, "About", models.StatusPublished, true)
	e.linking = &models.Post{Kind: models.KindPost, AuthorID: u.ID, Title: "Our own reply", Slug: "our-own-reply",
		Status: models.StatusPublished, PublishedAt: &now, Body: "x",
		BodyHTML: `<p>As I wrote <a href="` + baseURL + e.open.Path() + `">before</a>, it holds.</p>`}
	must(store.CreatePost(ctx, e.linking, nil))
	e.draft = add(models.KindPost, "Draft", models.StatusDraft, true)
	e.svc = &intake.Service{Posts: store, Feedback: store, PerIP: e.perIP, PerPost: e.perPost,
		Site:    func(context.Context) (models.Site, error) { return e.site, nil },
		Client:  http.DefaultClient, // tests reach 127.0.0.1; production passes the safe client
		BaseURL: baseURL, Now: clock}
	return e
}

// fakeLimiter refuses the keys in deny and records every key charged.
type fakeLimiter struct {
	mu      sync.Mutex
	deny    map[string]bool
	charged []string
}

func (l *fakeLimiter) Allow(_ context.Context, key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.charged = append(l.charged, key)
	if l.deny[key] {
		return false, 1500 * time.Millisecond
	}
	return true, 0
}

func (e *env) stored(t *testing.T) []models.QueueItem {
	t.Helper()
	var all []models.QueueItem
	for _, st := range models.ModerationStatuses {
		items, err := e.store.Queue(context.Background(), models.QueueFilter{Status: st, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, items...)
	}
	return all
}

// TestTargetUnderABasePath: a blog served under /blog maps only targets
// below that path (moved from handlers' linkback_target_test.go).
func TestTargetUnderABasePath(t *testing.T) {
	e := newEnv(t, "http://blog.test/blog")
	path := e.open.Path()
	tests := []struct {
		target string
		want   error
	}{
		{"http://blog.test/blog" + path, nil},
		{"HTTP://BLOG.TEST/blog" + path + "#c", nil},
		{"http://blog.test/blogger" + path, intake.ErrTargetRefused},
		{"http://blog.test/blog" + path[1:], intake.ErrTargetRefused}, // "/blog2026/11/target"
		{"http://blog.test" + path, intake.ErrTargetRefused},
		{"http://blog.test/blog/2026/11/other", intake.ErrTargetUnknown},
		{"http://blog.test/blog/2026/13/target", intake.ErrTargetUnknown},
		{"http://blog.test/blog/26/11/target", intake.ErrTargetUnknown},
		{"http://blog.test/blog/", intake.ErrTargetRefused},
	}
	for i, tt := range tests {
		res, err := e.svc.Receive(context.Background(), intake.Linkback{Kind: models.FeedbackWebmention,
			Source: fmt.Sprintf("https://other.example/%d", i), Target: tt.target})
		if !errors.Is(err, tt.want) || err == nil && res.Post.ID != e.open.ID {
			t.Errorf("%s: %v, want %v", tt.target, err, tt.want)
		}
	}
}

// TestReceive runs every kind through the pipeline: what is refused, and
// what is stored how.
func TestReceive(t *testing.T) {
	// A source page that links to the open post, one that does not, one that is gone.
	var target string
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/links":
			fmt.Fprintf(w, `<html><head><title>A reply</title></head><body><p>Read <a href="%s">this</a> now.</p></body></html>`, target)
		case "/nolink":
			fmt.Fprint(w, `<html><head><title>Other</title></head><body>nothing</body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer src.Close()
	e := newEnv(t, base)
	target = base + e.open.Path()
	trackback := func(id int64, source string) intake.Linkback {
		return intake.Linkback{Kind: models.FeedbackTrackBack, PostID: id, Source: source, Title: "T", Excerpt: "E",
			BlogName: "B", RemoteIP: "203.0.113.9", UserAgent: "agent/" + strings.Repeat("é", 300)}
	}
	webmention := func(source, tgt string) intake.Linkback {
		return intake.Linkback{Kind: models.FeedbackWebmention, Source: source, Target: tgt, RemoteIP: "203.0.113.9"}
	}
	pingback := func(source string) intake.Linkback {
		return intake.Linkback{Kind: models.FeedbackPingback, Source: source, Target: target, RemoteIP: "203.0.113.9"}
	}
	longHost := "https://" + strings.Repeat("a", 120) + ".spam.example/x"
	var firstMention models.Feedback
	tests := []struct {
		name    string
		site    func(*models.Site)
		lb      intake.Linkback
		wantErr error
		// want checks the stored row when wantErr is nil.
		want func(t *testing.T, res *intake.Result)
	}{
		{name: "trackback stored pending and unverified", lb: trackback(e.open.ID, "https://tb.example/post"),
			want: func(t *testing.T, res *intake.Result) {
				f := res.Feedback
				if !res.Created || f.Kind != models.FeedbackTrackBack || f.Status != models.ModPending ||
					f.Verification != models.VerificationPending || f.Title != "T" || f.Content != "E" || f.AuthorName != "B" ||
					f.IP != "203.0.113.9" || len(f.UserAgent) > 500 || !strings.HasPrefix(f.UserAgent, "agent/é") {
					t.Errorf("stored %+v", f)
				}
				if !strings.HasSuffix(f.UserAgent, "é") {
					t.Errorf("user agent cut inside a character: %q", f.UserAgent[len(f.UserAgent)-3:])
				}
			}},
		{name: "trackback repeated is kept once", lb: trackback(e.open.ID, "https://tb.example/post"),
			want: func(t *testing.T, res *intake.Result) {
				if res.Created {
					t.Error("a repeated TrackBack was stored again")
				}
			}},
		{name: "trackback to no post", lb: trackback(9999, "https://tb.example/a"), wantErr: intake.ErrTargetUnknown},
		{name: "trackback to post id 0", lb: trackback(0, "https://tb.example/a"), wantErr: intake.ErrTargetUnknown},
		{name: "trackback to a draft", lb: trackback(e.draft.ID, "https://tb.example/a"), wantErr: intake.ErrTargetUnknown},
		{name: "trackback to a closed post", lb: trackback(e.closed.ID, "https://tb.example/a"), wantErr: intake.ErrTargetRefused},
		{name: "trackback to a page", lb: trackback(e.page.ID, "https://tb.example/a"), wantErr: intake.ErrTargetRefused},
		{name: "trackback with pings off", site: func(s *models.Site) { s.PingsEnabled = false },
			lb: trackback(e.open.ID, "https://tb.example/a"), wantErr: intake.ErrTargetRefused},
		{name: "trackback from a blocked domain", site: func(s *models.Site) { s.BlockList = []string{"spam.example"} },
			lb: trackback(e.open.ID, "https://www.spam.example/a"), wantErr: intake.ErrBlocked},
		{name: "trackback from a blocked address", site: func(s *models.Site) { s.BlockList = []string{"203.0.113.0/24"} },
			lb: trackback(e.open.ID, "https://fine.example/a"), wantErr: intake.ErrBlocked},
		{name: "trackback with a javascript source", lb: trackback(e.open.ID, "javascript:alert(1)"), wantErr: intake.ErrSourceInvalid},

		{name: "webmention stored pending and unverified, the target as the permalink", lb: webmention("https://wm.example/reply", target+"?utm=x#c"),
			want: func(t *testing.T, res *intake.Result) {
				f := res.Feedback
				if !res.Created || f.Kind != models.FeedbackWebmention || f.Status != models.ModPending ||
					f.Verification != models.VerificationPending || f.TargetURL != target ||
					f.AuthorName != "wm.example" || f.Title != "https://wm.example/reply" || len(f.StatusToken) < 20 {
					t.Errorf("stored %+v", f)
				}
				firstMention = *f
			}},
		{name: "webmention re-sent with a variant target keeps the stored one", lb: webmention("https://wm.example/reply", "http://BLOG.example"+e.open.Path()+"/?utm=y"),
			want: func(t *testing.T, res *intake.Result) {
				if f := res.Feedback; res.Created || f.ID != firstMention.ID || f.TargetURL != target || f.StatusToken != firstMention.StatusToken {
					t.Errorf("re-sent: created %v, %+v", res.Created, f)
				}
			}},
		{name: "webmention to a variant naming no post", lb: webmention("https://wm.example/a", target+"/more"), wantErr: intake.ErrTargetRefused},
		{name: "webmention to another port of our host", lb: webmention("https://wm.example/a", "https://blog.example:8443"+e.open.Path()), wantErr: intake.ErrTargetRefused},
		{name: "webmention with a bad source", lb: webmention("ftp://x.example/", target), wantErr: intake.ErrSourceInvalid},
		{name: "webmention with a bad target", lb: webmention("https://wm.example/a", "not a url"), wantErr: intake.ErrTargetInvalid},
		{name: "webmention to itself", lb: webmention("https://other.example/a", "https://other.example/a"), wantErr: intake.ErrSameURL},
		{name: "webmention to no post", lb: webmention("https://wm.example/a", base+"/2026/11/nope"), wantErr: intake.ErrTargetUnknown},
		{name: "webmention to the home page", lb: webmention("https://wm.example/a", base+"/"), wantErr: intake.ErrTargetRefused},
		{name: "webmention to a page", lb: webmention("https://wm.example/a", base+e.page.Path()), wantErr: intake.ErrTargetRefused},
		{name: "webmention to another site", lb: webmention("https://wm.example/a", "https://elsewhere.example"+e.open.Path()), wantErr: intake.ErrTargetRefused},
		{name: "webmention from this blog", lb: webmention(base+e.closed.Path(), target), wantErr: intake.ErrSelfSource},
		{name: "webmention from a post of ours that does not link, self-pings on", site: func(s *models.Site) { s.SelfPings = true },
			lb: webmention(base+e.closed.Path(), target), wantErr: intake.ErrSelfSource},
		{name: "webmention from our own linking post, self-pings on", site: func(s *models.Site) { s.SelfPings = true },
			lb: webmention(base+e.linking.Path(), target), want: func(t *testing.T, res *intake.Result) {
				if f := res.Feedback; f.Title != "Our own reply" || f.Verification != models.VerificationVerified || !strings.Contains(f.Content, "it holds") {
					t.Errorf("self-ping stored as %+v", f)
				}
			}},
		{name: "trackback from our own linking post claiming another title, self-pings on", site: func(s *models.Site) { s.SelfPings = true },
			lb: trackback(e.open.ID, base+e.linking.Path()), want: func(t *testing.T, res *intake.Result) {
				if f := res.Feedback; f.Title != "Our own reply" || f.AuthorName == "B" {
					t.Errorf("a self-ping kept the sender's text: %+v", f)
				}
			}},
		{name: "trackback spoofing the home page", lb: trackback(e.open.ID, base+"/"), wantErr: intake.ErrSelfSource},
		{name: "trackback from this blog, self-pings off", lb: trackback(e.open.ID, base+e.linking.Path()), wantErr: intake.ErrSelfSource},
		{name: "webmention from another blog on the same host, another port", lb: webmention(sameHostOtherPort(base)+"/2026/11/reply", target),
			want: func(t *testing.T, res *intake.Result) {
				if res.Feedback.Verification != models.VerificationPending {
					t.Errorf("stored %+v", res.Feedback)
				}
			}},
		{name: "webmention from the post itself with self-pings on", site: func(s *models.Site) { s.SelfPings = true },
			lb: webmention(base+e.open.Path()+"#x", target), wantErr: intake.ErrSelfSource},
		{name: "webmention from a blocked domain's long subdomain", site: func(s *models.Site) { s.BlockList = []string{"spam.example"} },
			lb: webmention(longHost, target), wantErr: intake.ErrBlocked},

		{name: "pingback verified at once, held for moderation", lb: pingback(src.URL + "/links"),
			want: func(t *testing.T, res *intake.Result) {
				f := res.Feedback
				if f.Kind != models.FeedbackPingback || f.Status != models.ModPending || f.Verification != models.VerificationVerified ||
					f.Title != "A reply" || !strings.Contains(f.Content, "this") || f.AuthorName != "127.0.0.1" {
					t.Errorf("stored %+v", f)
				}
			}},
		{name: "pingback registered already", lb: pingback(src.URL + "/links"), wantErr: intake.ErrDuplicate},
		{name: "pingback approved at once without moderation", site: func(s *models.Site) { s.ModerateAll = false },
			lb: pingback(src.URL + "/links?again"),
			want: func(t *testing.T, res *intake.Result) {
				if res.Feedback.Status != models.ModApproved {
					t.Errorf("status %s", res.Feedback.Status)
				}
			}},
		{name: "pingback without a link", lb: pingback(src.URL + "/nolink"), wantErr: intake.ErrNoLink},
		{name: "pingback from a missing page", lb: pingback(src.URL + "/missing"), wantErr: intake.ErrSourceUnreadable},
		{name: "pingback from the target itself", lb: pingback(target), wantErr: intake.ErrSelfSource},

		{name: "a comment is no linkback", lb: intake.Linkback{Kind: models.FeedbackComment, Source: "https://c.example/", Target: target},
			wantErr: intake.ErrUnsupportedKind},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.site = models.DefaultSite()
			if tt.site != nil {
				tt.site(&e.site)
			}
			before := len(e.stored(t))
			res, err := e.svc.Receive(context.Background(), tt.lb)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			after := len(e.stored(t))
			if err != nil {
				if after != before {
					t.Fatalf("a refused linkback was stored")
				}
				return
			}
			if res.Post.ID != e.open.ID || res.Created && res.Feedback.ID == 0 || res.Feedback.PostID != e.open.ID {
				t.Errorf("result %+v for post %d", res.Feedback, res.Post.ID)
			}
			if res.Created && after != before+1 || !res.Created && after != before {
				t.Errorf("created %v: %d rows before, %d after", res.Created, before, after)
			}
			if tt.want != nil {
				tt.want(t, res)
			}
		})
	}
}

// TestRateLimits: the per-address limit is charged by Admit, the per-post
// one only for well-formed linkbacks to a real post, and a refusal says
// which limit and how long to wait.
func TestRateLimits(t *testing.T) {
	e := newEnv(t, base)
	ctx := context.Background()
	postKey := fmt.Sprint(e.open.ID)
	e.perIP.deny = map[string]bool{"198.51.100.7": true}
	e.perPost.deny = map[string]bool{postKey: true}

	err := e.svc.Admit(context.Background(), models.FeedbackTrackBack, "198.51.100.7")
	var limited *intake.RateLimitError
	if !errors.As(err, &limited) || !errors.Is(err, intake.ErrRateLimited) || limited.Scope != intake.ScopeAddress || limited.Seconds() != 2 {
		t.Fatalf("Admit from a limited address: %v", err)
	}
	if err := e.svc.Admit(context.Background(), models.FeedbackTrackBack, "198.51.100.8"); err != nil {
		t.Fatalf("Admit from another address: %v", err)
	}

	tests := []struct {
		name      string
		lb        intake.Linkback
		wantErr   error
		wantScope intake.Scope
		charged   bool // the post's limit was charged
	}{
		{"garbage is not charged to the post", intake.Linkback{Kind: models.FeedbackWebmention, Source: "nope", Target: base + e.open.Path()},
			intake.ErrSourceInvalid, "", false},
		{"a comment is no linkback", intake.Linkback{Kind: models.FeedbackComment, Source: "https://a.example/", Target: base + e.open.Path()},
			intake.ErrUnsupportedKind, "", false},
		{"no post, no charge", intake.Linkback{Kind: models.FeedbackTrackBack, PostID: 9999, Source: "https://a.example/"},
			intake.ErrTargetUnknown, "", false},
		{"a real ping to a hot post", intake.Linkback{Kind: models.FeedbackTrackBack, PostID: e.open.ID, Source: "https://a.example/"},
			intake.ErrRateLimited, intake.ScopePost, true},
		{"a webmention to a hot post", intake.Linkback{Kind: models.FeedbackWebmention, Source: "https://a.example/", Target: base + e.open.Path()},
			intake.ErrRateLimited, intake.ScopePost, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.perPost.charged = nil
			_, err := e.svc.Receive(ctx, tt.lb)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if tt.wantScope != "" && (!errors.As(err, &limited) || limited.Scope != tt.wantScope) {
				t.Errorf("err %v, want scope %s", err, tt.wantScope)
			}
			if got := len(e.perPost.charged) > 0; got != tt.charged {
				t.Errorf("post limit charged: %v, want %v", got, tt.charged)
			}
		})
	}
	if n := len(e.stored(t)); n != 0 {
		t.Errorf("%d rows stored past the limits", n)
	}
	if len(e.perIP.charged) != 2 {
		t.Errorf("Receive charged the address limit: %v", e.perIP.charged)
	}
}

// TestPingbackKnownBeforePostLimit: a Pingback already registered is
// answered as such before the post's limit is charged or the source fetched.
func TestPingbackKnownBeforePostLimit(t *testing.T) {
	e := newEnv(t, base)
	ctx := context.Background()
	f := &models.Feedback{PostID: e.open.ID, Kind: models.FeedbackPingback, Status: models.ModPending,
		SourceURL: "https://known.example/p", Verification: models.VerificationVerified}
	if _, err := e.store.AddFeedback(ctx, f); err != nil {
		t.Fatal(err)
	}
	e.svc.Client = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		t.Errorf("fetched %s", r.URL)
		return nil, errors.New("no network")
	})}
	_, err := e.svc.Receive(ctx, intake.Linkback{Kind: models.FeedbackPingback, Source: "https://known.example/p", Target: base + e.open.Path()})
	if !errors.Is(err, intake.ErrDuplicate) || len(e.perPost.charged) != 0 {
		t.Errorf("err %v, post limit charged %v", err, e.perPost.charged)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestTrackBackPost: the GET of a ping URL needs a published post; the POST
// also needs one that takes pings.
func TestTrackBackPost(t *testing.T) {
	e := newEnv(t, base)
	tests := []struct {
		name      string
		id        int64
		receiving bool
		want      error
	}{
		{"open, receiving", e.open.ID, true, nil},
		{"closed, receiving", e.closed.ID, true, intake.ErrTargetRefused},
		{"closed, only looking", e.closed.ID, false, nil},
		{"draft", e.draft.ID, false, intake.ErrTargetUnknown},
		{"missing", 424242, false, intake.ErrTargetUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			post, err := e.svc.TrackBackPost(context.Background(), tt.id, tt.receiving)
			if !errors.Is(err, tt.want) || err == nil && post.ID != tt.id {
				t.Errorf("post %v, err %v, want %v", post, err, tt.want)
			}
		})
	}
}

// sameHostOtherPort is base with its port changed: another blog on the same host.
func sameHostOtherPort(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		panic(err)
	}
	port := "8091"
	if u.Port() == port {
		port = "8092"
	}
	u.Host = u.Hostname() + ":" + port
	return u.String()
}

// TestSelfSourceIsAnOrigin: with the blog under /blog, a page elsewhere on
// the same host and port is someone else; a page under /blog is the blog.
func TestSelfSourceIsAnOrigin(t *testing.T) {
	e := newEnv(t, "http://blog.test/blog")
	target := "http://blog.test/blog" + e.open.Path()
	for _, tt := range []struct {
		source string
		want   error
	}{
		{"http://blog.test/other/2026/11/reply", nil},
		{"http://blog.test/blogroll/x", nil},
		{"https://blog.test/blog/2026/11/x", nil}, // another scheme is another origin
		{"http://blog.test:8091/blog/2026/11/x", nil},
		{"http://BLOG.test/blog/2026/11/x", intake.ErrSelfSource},
		{"http://blog.test:80/blog/", intake.ErrSelfSource},
	} {
		_, err := e.svc.Receive(context.Background(), intake.Linkback{Kind: models.FeedbackWebmention,
			Source: tt.source, Target: target, RemoteIP: "203.0.113.9"})
		if (err == nil) != (tt.want == nil) || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("source %s: %v, want %v", tt.source, err, tt.want)
		}
	}
}

// heard records what the intake's Observer hears.
type heard struct {
	mu  sync.Mutex
	got []string
}

func (h *heard) LinkbackReceived(kind models.FeedbackKind, outcome string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = append(h.got, string(kind)+" "+outcome)
}

// TestObserver: every linkback's outcome reaches the Observer in a few
// fixed words, a refusal by the per-address limit included.
func TestObserver(t *testing.T) {
	e := newEnv(t, base)
	ctx := context.Background()
	obs := &heard{}
	e.svc.Observer = obs
	e.perIP.deny = map[string]bool{"198.51.100.7": true}
	_ = e.svc.Admit(context.Background(), models.FeedbackPingback, "198.51.100.7")
	_ = e.svc.Admit(context.Background(), models.FeedbackPingback, "198.51.100.8") // admitted: nothing to hear yet
	tb := intake.Linkback{Kind: models.FeedbackTrackBack, PostID: e.open.ID, Source: "http://other.example/a", Title: "A"}
	_, _ = e.svc.Receive(ctx, tb)
	_, _ = e.svc.Receive(ctx, tb) // the same again: stored before
	_, _ = e.svc.Receive(ctx, intake.Linkback{Kind: models.FeedbackTrackBack, PostID: 99999, Source: "http://other.example/b"})
	_, _ = e.svc.Receive(ctx, intake.Linkback{Kind: models.FeedbackWebmention, Source: "nope", Target: base + e.open.Path()})
	want := []string{"pingback rate_limited", "trackback accepted", "trackback unchanged", "trackback unknown_target", "webmention invalid"}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if strings.Join(obs.got, ", ") != strings.Join(want, ", ") {
		t.Errorf("heard %q, want %q", obs.got, want)
	}
	if got := intake.Outcome(nil, errors.New("disk full")); got != "error" {
		t.Errorf("a store failure is %q, want error", got)
	}
}
