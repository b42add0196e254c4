package models

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

const testBase = "https://blog.test"

func newOutboxStore(t testing.TB) (*Store, *testClock) {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	s, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "outbox.db"), Options{Now: clock.Now, BaseURL: testBase})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clock
}

// linkPost is a post whose text links to each of links.
func linkPost(author int64, title string, status PostStatus, at *time.Time, links ...string) *Post {
	p := newPost(author, title, status, at)
	p.BodyHTML = ""
	for _, l := range links {
		p.BodyHTML += `<p><a href="` + l + `">x</a></p>`
	}
	return p
}

// targetsOf lists a post's notifications as "url state" strings.
func targetsOf(t testing.TB, s *Store, postID int64) []string {
	t.Helper()
	ns, err := s.PostNotifications(context.Background(), postID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range ns {
		out = append(out, n.TargetURL+" "+string(n.State))
	}
	return out
}

func TestQueueNotificationsOnPublish(t *testing.T) {
	ctx := context.Background()
	links := []string{"https://a.example/1", testBase + "/2026/11/own-post", "http://blog.test/other", "https://b.example/2"}
	future := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		kind      PostKind
		status    PostStatus
		at        *time.Time
		pingURLs  string
		skip      string
		selfPings bool
		want      []string
	}{
		{name: "draft notifies nobody", status: StatusDraft},
		{name: "scheduled for later notifies nobody", status: StatusScheduled, at: &future},
		{name: "private notifies nobody", status: StatusPrivate},
		{name: "pages notify nobody", kind: KindPage, status: StatusPublished},
		{name: "published: links, not the blog's own", status: StatusPublished,
			want: []string{"https://a.example/1 queued", "https://b.example/2 queued"}},
		{name: "ping URLs first, skipped links left out", status: StatusPublished, pingURLs: "https://tb.example/ping/1\nhttps://a.example/1",
			skip: "https://b.example/2", want: []string{"https://tb.example/ping/1 queued", "https://a.example/1 queued"}},
		{name: "self-pings on", status: StatusPublished, selfPings: true,
			want: []string{"https://a.example/1 queued", testBase + "/2026/11/own-post queued", "http://blog.test/other queued", "https://b.example/2 queued"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock := newOutboxStore(t)
			u := mustUser(t, s)
			if tt.selfPings {
				if err := s.SetSettings(ctx, map[string]string{SettingSelfPings: "true"}); err != nil {
					t.Fatal(err)
				}
			}
			at := tt.at
			if at == nil && tt.status == StatusPublished {
				now := clock.Now()
				at = &now
			}
			p := linkPost(u.ID, "Links", tt.status, at, links...)
			if tt.kind != "" {
				p.Kind = tt.kind
			}
			p.PingURLs, p.SkipLinks = tt.pingURLs, tt.skip
			if err := s.CreatePost(ctx, p, nil); err != nil {
				t.Fatal(err)
			}
			if got := targetsOf(t, s, p.ID); !slices.Equal(got, tt.want) {
				t.Errorf("notifications = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestScheduledPostQueuesWhenPublished(t *testing.T) {
	ctx := context.Background()
	s, clock := newOutboxStore(t)
	u := mustUser(t, s)
	at := clock.Now().Add(time.Hour)
	p := linkPost(u.ID, "Later", StatusScheduled, &at, "https://a.example/")
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	if got := targetsOf(t, s, p.ID); len(got) != 0 {
		t.Fatalf("scheduled post queued %q", got)
	}
	clock.t = clock.t.Add(2 * time.Hour)
	if due, err := s.PublishDue(ctx); err != nil || len(due) != 1 {
		t.Fatalf("PublishDue = %v, %v", due, err)
	}
	if got := targetsOf(t, s, p.ID); !slices.Equal(got, []string{"https://a.example/ queued"}) {
		t.Errorf("after going live: %q", got)
	}
}

func TestEditingNotifiesOnlyNewLinks(t *testing.T) {
	ctx := context.Background()
	s, clock := newOutboxStore(t)
	u := mustUser(t, s)
	now := clock.Now()
	p := linkPost(u.ID, "Edited", StatusPublished, &now, "https://a.example/", "https://b.example/")
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	// a.example is delivered; b.example still waits.
	claimed, err := s.ClaimNotifications(ctx, 1, time.Minute, 0)
	if err != nil || len(claimed) != 1 || claimed[0].TargetURL != "https://a.example/" {
		t.Fatalf("claim = %+v, %v", claimed, err)
	}
	if ok, err := s.FinishNotification(ctx, &claimed[0], NotificationResult{State: NotifySent}); !ok || err != nil {
		t.Fatalf("finish = %v, %v", ok, err)
	}
	// The edit drops b.example (not sent yet, so forgotten) and adds c.example.
	edited := linkPost(u.ID, "Edited", StatusPublished, &now, "https://a.example/", "https://c.example/")
	edited.ID, edited.CreatedAt = p.ID, p.CreatedAt
	if err := s.UpdatePost(ctx, edited, nil); err != nil {
		t.Fatal(err)
	}
	want := []string{"https://a.example/ sent", "https://c.example/ queued"}
	if got := targetsOf(t, s, p.ID); !slices.Equal(got, want) {
		t.Errorf("after edit = %q, want %q", got, want)
	}
	// Saving again changes nothing: no target is queued twice.
	if err := s.UpdatePost(ctx, edited, nil); err != nil {
		t.Fatal(err)
	}
	if got := targetsOf(t, s, p.ID); !slices.Equal(got, want) {
		t.Errorf("after saving again = %q, want %q", got, want)
	}
	// Made private: what waits is held; published again: queued again.
	edited.Status = StatusPrivate
	if err := s.UpdatePost(ctx, edited, nil); err != nil {
		t.Fatal(err)
	}
	if got := targetsOf(t, s, p.ID); !slices.Equal(got, []string{"https://a.example/ sent", "https://c.example/ held"}) {
		t.Errorf("private = %q", got)
	}
	if claimed, _ := s.ClaimNotifications(ctx, 10, time.Minute, 0); len(claimed) != 0 {
		t.Errorf("held notifications claimed: %+v", claimed)
	}
	edited.Status = StatusPublished
	if err := s.UpdatePost(ctx, edited, nil); err != nil {
		t.Fatal(err)
	}
	if got := targetsOf(t, s, p.ID); !slices.Equal(got, want) {
		t.Errorf("published again = %q, want %q", got, want)
	}
}

func TestClaimLeaseAndRecovery(t *testing.T) {
	ctx := context.Background()
	s, clock := newOutboxStore(t)
	u := mustUser(t, s)
	now := clock.Now()
	p := linkPost(u.ID, "Claims", StatusPublished, &now, "https://a.example/", "https://b.example/", "https://c.example/")
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	first, err := s.ClaimNotifications(ctx, 2, time.Minute, 0)
	if err != nil || len(first) != 2 {
		t.Fatalf("first claim = %+v, %v", first, err)
	}
	second, err := s.ClaimNotifications(ctx, 5, time.Minute, 0)
	if err != nil || len(second) != 1 || second[0].TargetURL != "https://c.example/" {
		t.Fatalf("second claim must get only what the first left: %+v, %v", second, err)
	}
	// first[0] goes out as a TrackBack and its worker dies mid-send;
	// first[1] was being discovered; second[0] as a Webmention, dies mid-send.
	first[0].Protocol, first[0].Endpoint = "trackback", "https://a.example/tb"
	second[0].Protocol, second[0].Endpoint = "webmention", "https://c.example/wm"
	for _, n := range []*Notification{&first[0], &second[0]} {
		if ok, err := s.StartSending(ctx, n); !ok || err != nil {
			t.Fatalf("start sending: %v, %v", ok, err)
		}
	}
	if again, _ := s.ClaimNotifications(ctx, 5, time.Minute, 0); len(again) != 0 {
		t.Fatalf("leased notifications claimed again: %+v", again)
	}
	if at, ok, err := s.NextNotificationDue(ctx); !ok || err != nil || !at.Equal(now.Add(time.Minute)) {
		t.Errorf("next due = %v, %v, %v; want the lease's end", at, ok, err)
	}

	clock.t = clock.t.Add(2 * time.Minute) // every lease has run out
	again, err := s.ClaimNotifications(ctx, 5, time.Minute, 0)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, n := range again {
		urls = append(urls, n.TargetURL)
	}
	// Delivery is at least once: b was only discovering, so it is taken
	// again; a and c were being sent and may not have arrived, so they are
	// queued again (due now, after b) and sent again.
	if !slices.Equal(urls, []string{"https://b.example/", "https://a.example/", "https://c.example/"}) {
		t.Errorf("reclaimed %q", urls)
	}
	// A claim cut short is no attempt; a send cut short is one.
	if again[0].Attempts != 0 || again[0].LeaseSeq != 2 {
		t.Errorf("b: attempts %d, lease %d; want 0 and 2", again[0].Attempts, again[0].LeaseSeq)
	}
	if again[1].Attempts != 1 || again[1].LastMessage != interruptedMessage {
		t.Errorf("interrupted TrackBack: attempts %d, %q", again[1].Attempts, again[1].LastMessage)
	}
	// The worker that lost its lease cannot write any more.
	if ok, _ := s.FinishNotification(ctx, &first[1], NotificationResult{State: NotifySent}); ok {
		t.Error("a stale worker finished a notification it no longer holds")
	}
	if ok, _ := s.StartSending(ctx, &first[1]); ok {
		t.Error("a stale worker started sending")
	}
}

func TestFinishAndRetry(t *testing.T) {
	ctx := context.Background()
	s, clock := newOutboxStore(t)
	u := mustUser(t, s)
	now := clock.Now()
	p := linkPost(u.ID, "Retry", StatusPublished, &now, "https://a.example/")
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	claim := func() Notification {
		t.Helper()
		got, err := s.ClaimNotifications(ctx, 1, time.Minute, 0)
		if err != nil || len(got) != 1 {
			t.Fatalf("claim = %+v, %v", got, err)
		}
		return got[0]
	}
	n := claim()
	if ok, _ := s.FinishNotification(ctx, &n, NotificationResult{State: NotifyQueued, Message: "HTTP 503", RetryIn: time.Minute}); !ok {
		t.Fatal("finish failed")
	}
	if got, _ := s.ClaimNotifications(ctx, 1, time.Minute, 0); len(got) != 0 {
		t.Fatal("claimed before its retry time")
	}
	if at, ok, _ := s.NextNotificationDue(ctx); !ok || !at.Equal(now.Add(time.Minute)) {
		t.Errorf("next due = %v, %v", at, ok)
	}
	clock.t = clock.t.Add(time.Minute)
	n = claim()
	n.Protocol, n.Endpoint = "trackback", "https://a.example/tb"
	if ok, _ := s.StartSending(ctx, &n); !ok {
		t.Fatal("start sending failed")
	}
	if ok, _ := s.FinishNotification(ctx, &n, NotificationResult{State: NotifyFailed, Message: "Refused: no spam"}); !ok {
		t.Fatal("finish failed")
	}
	if _, retried, err := s.RetryNotification(ctx, 999); err == nil || retried {
		t.Errorf("unknown notification: %v, %v", retried, err)
	}
	back, retried, err := s.RetryNotification(ctx, n.ID)
	if err != nil || !retried {
		t.Fatalf("retry = %v, %v", retried, err)
	}
	if back.State != NotifyQueued || back.Attempts != 0 || back.Protocol != "" || back.Endpoint != "" || back.LastMessage != "" {
		t.Errorf("after retry: %+v (a link is discovered again)", back)
	}
	if _, retried, err := s.RetryNotification(ctx, n.ID); err != nil || retried {
		t.Errorf("retrying a queued notification: %v, %v", retried, err)
	}
	n = claim()
	if ok, _ := s.FinishNotification(ctx, &n, NotificationResult{State: NotifySent}); !ok {
		t.Fatal("finish failed")
	}
	got, _ := s.PostNotifications(ctx, p.ID)
	if got[0].State != NotifySent || got[0].SentAt == nil || !got[0].SentAt.Equal(clock.Now()) {
		t.Errorf("sent: %+v", got[0])
	}
}

func TestIsSelfLink(t *testing.T) {
	tests := []struct {
		link, base string
		want       bool
	}{
		{"https://blog.test/2026/11/x", "https://blog.test", true},
		{"http://BLOG.test/", "https://blog.test", true},
		{"https://blog.test:443/x", "https://blog.test", true},
		{"https://blog.test", "https://blog.test/", true},
		{"https://blog.test:8080/x", "https://blog.test", false},
		{"https://other.test/x", "https://blog.test", false},
		{"https://blog.test.evil.example/x", "https://blog.test", false},
		{"https://example.com/blog/2026/x", "https://example.com/blog", true},
		{"https://example.com/blogroll", "https://example.com/blog", false},
		{"https://example.com/x", "", false},
	}
	for _, tt := range tests {
		if got := isSelfLink(tt.link, tt.base); got != tt.want {
			t.Errorf("isSelfLink(%q, %q) = %v", tt.link, tt.base, got)
		}
	}
}

// TestClaimPerHostCap: at most perHost notifications to one host are in
// flight at once, counted over live leases of every claimer; other hosts
// are not held up behind a busy one.
func TestClaimPerHostCap(t *testing.T) {
	ctx := context.Background()
	s, clock := newOutboxStore(t)
	u := mustUser(t, s)
	now := clock.Now()
	p := linkPost(u.ID, "Hosts", StatusPublished, &now, "https://a.example/1", "https://a.example/2", "https://A.example/3",
		"https://a.example:8443/4", "https://b.example/5")
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	hosts := func(ns []Notification) []string {
		var got []string
		for _, n := range ns {
			got = append(got, n.TargetURL)
		}
		return got
	}
	first, err := s.ClaimNotifications(ctx, 10, time.Minute, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://a.example/1", "https://a.example/2", "https://a.example:8443/4", "https://b.example/5"}
	if !slices.Equal(hosts(first), want) {
		t.Fatalf("first claim %q, want %q", hosts(first), want)
	}
	if again, _ := s.ClaimNotifications(ctx, 10, time.Minute, 2); len(again) != 0 {
		t.Fatalf("a.example is at its cap, yet claimed %q", hosts(again))
	}
	if ok, err := s.FinishNotification(ctx, &first[0], NotificationResult{State: NotifySent, Ran: true}); !ok || err != nil {
		t.Fatalf("finish: %v, %v", ok, err)
	}
	third, err := s.ClaimNotifications(ctx, 10, time.Minute, 2)
	if err != nil || !slices.Equal(hosts(third), []string{"https://a.example/3"}) {
		t.Fatalf("after one finished: %q, %v", hosts(third), err)
	}
}
