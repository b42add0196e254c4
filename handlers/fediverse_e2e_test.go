package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/activitypub"
)

// only is the one activity the peer received, of the given type, signed by
// the blog.
func only(t *testing.T, got []received, typ string) received {
	t.Helper()
	if len(got) != 1 {
		t.Fatalf("peer received %d activities, want one %s: %+v", len(got), typ, got)
	}
	if got[0].doc["type"] != typ || !got[0].verified {
		t.Fatalf("peer received %v (signature verified: %v), want a signed %s", got[0].doc["type"], got[0].verified, typ)
	}
	return got[0]
}

func asMap(t *testing.T, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("not an object: %#v", v)
	}
	return m
}

// TestFediverseEndToEnd: a Mastodon-like peer finds the blog, follows it
// and gets a signed Accept; a published post reaches it as a Create of an
// Article, once per shared inbox; its reply waits in the moderation queue,
// shows under the post once approved (threaded, escaped, with an avatar);
// likes join the faces; Update, Delete and Undo from the author apply;
// editing sends Update and unpublishing a Delete.
func TestFediverseEndToEnd(t *testing.T) {
	f := newFediEnv(t)
	p := f.peer
	ctx := context.Background()
	admin, _ := f.admin()

	// Discovery.
	res := f.get(f.client(), "/.well-known/webfinger?resource="+url.QueryEscape("acct:blog@blog.test"))
	mustContain(t, res.body, `"subject":"acct:blog@blog.test"`, `"href":"http://blog.test/ap/blog"`)
	if res.status != http.StatusOK || res.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("webfinger: %d %v", res.status, res.header)
	}
	if res := f.get(f.client(), "/.well-known/webfinger?resource=acct:admin@blog.test"); !strings.Contains(res.body, "/ap/users/admin") {
		t.Fatalf("webfinger for the writer: %d %s", res.status, res.body)
	}
	if res := f.get(f.client(), "/.well-known/webfinger?resource=acct:nobody@blog.test"); res.status != http.StatusNotFound {
		t.Fatalf("webfinger for nobody: %d", res.status)
	}
	res = f.get(f.client(), "/ap/blog")
	var actor activitypub.Actor
	if err := json.Unmarshal([]byte(res.body), &actor); err != nil || actor.Inbox != "http://blog.test/ap/blog/inbox" ||
		actor.PublicKey == nil || !strings.Contains(actor.PublicKey.PublicKeyPem, "PUBLIC KEY") || actor.Type != "Service" {
		t.Fatalf("blog actor: %v %s", err, res.body)
	}
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, activitypub.ContentType) {
		t.Fatalf("actor Content-Type %q", ct)
	}
	mustContain(t, f.get(f.client(), "/.well-known/nodeinfo").body, "/nodeinfo/2.1")
	mustContain(t, f.get(f.client(), "/nodeinfo/2.1").body, `"protocols":["activitypub"]`, `"name":"crosstalk"`)

	// Follow → signed Accept to the follower's own inbox. Bob, on the same
	// server, follows too.
	follow := map[string]any{"@context": activitypub.ASContext, "id": p.actorID("alice") + "/follows/1", "type": "Follow",
		"actor": p.actorID("alice"), "object": "http://blog.test/ap/blog"}
	if res := p.post("/ap/blog/inbox", follow, nil); res.status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", res.status, res.body)
	}
	if n := f.deliver(); n != 1 {
		t.Fatalf("%d deliveries, want the Accept", n)
	}
	accept := only(t, p.take(), "Accept")
	if accept.inbox != "/users/alice/inbox" || asMap(t, accept.doc["object"])["id"] != follow["id"] {
		t.Fatalf("Accept to %s of %v", accept.inbox, accept.doc["object"])
	}
	bobFollow := map[string]any{"id": p.actorID("bob") + "/follows/1", "type": "Follow", "actor": p.actorID("bob"), "object": "http://blog.test/ap/blog"}
	if res := p.post("/ap/inbox", bobFollow, nil); res.status != http.StatusAccepted {
		t.Fatalf("bob's follow: %d %s", res.status, res.body)
	}
	f.deliver()
	p.take()

	// Publish → one Create (one shared inbox for alice and bob).
	path := f.publish(admin, "Hello fediverse", "Some *text* here. #go", url.Values{"tags": {"go, fediverse"}})
	if n := f.deliver(); n != 1 {
		t.Fatalf("%d deliveries of the Create, want 1 (one shared inbox)", n)
	}
	create := only(t, p.take(), "Create")
	art := asMap(t, create.doc["object"])
	if create.inbox != "/inbox" || art["type"] != "Article" || art["name"] != "Hello fediverse" || art["id"] != testBaseURL+path ||
		!strings.Contains(art["content"].(string), "<em>text</em>") || art["attributedTo"] != "http://blog.test/ap/users/admin" {
		t.Fatalf("Create to %s: %v", create.inbox, art)
	}
	if to := art["to"].([]any); len(to) != 1 || to[0] != activitypub.Public {
		t.Fatalf("Article to %v", to)
	}

	for _, outbox := range []string{"/ap/blog/outbox", "/ap/users/admin/outbox"} {
		mustContain(t, f.get(f.client(), outbox).body, `"totalItems":1`, `"type":"Create"`, testBaseURL+path)
	}
	mustContain(t, f.get(f.client(), "/ap/blog/followers").body, `"totalItems":2`)

	// The permalink answers ActivityStreams clients with the Article and
	// browsers with the page, whichever came first into the page cache.
	html1 := f.get(f.client(), path)
	asJSON := f.do(f.client(), "GET", path, nil, "Accept", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
	html2 := f.get(f.client(), path)
	if !strings.HasPrefix(asJSON.header.Get("Content-Type"), activitypub.ContentType) || !strings.Contains(asJSON.body, `"type":"Article"`) {
		t.Fatalf("permalink as JSON: %d %s %.200s", asJSON.status, asJSON.header.Get("Content-Type"), asJSON.body)
	}
	for _, r := range []response{html1, html2} {
		if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || r.header.Get("Vary") == "" {
			t.Fatalf("permalink as HTML: %s, Vary %q", r.header.Get("Content-Type"), r.header.Get("Vary"))
		}
	}
	if again := f.do(f.client(), "GET", path, nil, "Accept", "application/activity+json"); !strings.Contains(again.body, `"type":"Article"`) {
		t.Fatalf("a cached page answered an ActivityStreams request: %.200s", again.body)
	}

	// A reply comes back into the moderation queue.
	note := map[string]any{"id": p.actorID("alice") + "/statuses/1", "type": "Note", "attributedTo": p.actorID("alice"),
		"inReplyTo": testBaseURL + path, "content": `<p>Great <script>alert(1)</script>post!</p>`, "to": []string{activitypub.Public}}
	reply := map[string]any{"id": p.actorID("alice") + "/statuses/1/activity", "type": "Create", "actor": p.actorID("alice"), "object": note}
	if res := p.post("/ap/inbox", reply, nil); res.status != http.StatusAccepted {
		t.Fatalf("reply: %d %s", res.status, res.body)
	}
	items, err := f.store.Queue(ctx, models.QueueFilter{Status: models.ModPending, Kind: models.FeedbackFediverse, Limit: 10})
	if err != nil || len(items) != 1 || items[0].AuthorName != "Alice <b>Fedi</b>" || items[0].AvatarSHA256 == "" {
		t.Fatalf("queue: %v %+v", err, items)
	}
	mustNotContain(t, f.get(f.client(), path).body, "Great alert(1)post!")
	if err := f.queue().SetFeedbackStatus(ctx, models.ModApproved, items[0].ID); err != nil {
		t.Fatal(err)
	}
	page := f.get(f.client(), path).body
	mustContain(t, page, "Great alert(1)post!", "Alice &lt;b&gt;Fedi&lt;/b&gt;", items[0].AvatarPath())
	mustNotContain(t, page, "<script>alert(1)", "Alice <b>Fedi</b>")

	// A reply to the reply is threaded under it.
	note2 := map[string]any{"id": p.actorID("bob") + "/statuses/2", "type": "Note", "attributedTo": p.actorID("bob"),
		"inReplyTo": note["id"], "content": "<p>Agreed</p>"}
	if res := p.post("/ap/inbox", map[string]any{"id": p.actorID("bob") + "/statuses/2/activity", "type": "Create",
		"actor": p.actorID("bob"), "object": note2}, nil); res.status != http.StatusAccepted {
		t.Fatalf("reply to reply: %d %s", res.status, res.body)
	}
	items, _ = f.store.Queue(ctx, models.QueueFilter{Status: models.ModPending, Kind: models.FeedbackFediverse, Limit: 10})
	if len(items) != 1 || items[0].ParentID == nil {
		t.Fatalf("reply to a reply: %+v", items)
	}

	// Update and Delete from the author.
	note["content"] = "<p>Great post, edited</p>"
	if res := p.post("/ap/inbox", map[string]any{"id": p.actorID("alice") + "/statuses/1#updates/1", "type": "Update",
		"actor": p.actorID("alice"), "object": note}, nil); res.status != http.StatusAccepted {
		t.Fatalf("update: %d", res.status)
	}
	mustContain(t, f.get(f.client(), path).body, "Great post, edited")
	// Bob may not delete alice's reply.
	if res := p.post("/ap/inbox", map[string]any{"type": "Delete", "actor": p.actorID("bob"),
		"object": map[string]any{"id": note["id"], "type": "Tombstone"}}, nil); res.status != http.StatusAccepted {
		t.Fatalf("delete by another: %d", res.status)
	}
	mustContain(t, f.get(f.client(), path).body, "Great post, edited")
	if res := p.post("/ap/inbox", map[string]any{"type": "Delete", "actor": p.actorID("alice"),
		"object": map[string]any{"id": note["id"], "type": "Tombstone"}}, nil); res.status != http.StatusAccepted {
		t.Fatalf("delete: %d", res.status)
	}
	mustNotContain(t, f.get(f.client(), path).body, "Great post, edited")

	// Likes and boosts join the faces; Undo takes one back.
	like := map[string]any{"id": p.actorID("alice") + "/likes/1", "type": "Like", "actor": p.actorID("alice"), "object": testBaseURL + path}
	boost := map[string]any{"id": p.actorID("bob") + "/boosts/1", "type": "Announce", "actor": p.actorID("bob"), "object": testBaseURL + path}
	for _, a := range []map[string]any{like, like, boost} {
		if res := p.post("/ap/inbox", a, nil); res.status != http.StatusAccepted {
			t.Fatalf("%s: %d %s", a["type"], res.status, res.body)
		}
	}
	mustContain(t, f.get(f.client(), path).body, "1 like", "1 repost")
	if res := p.post("/ap/inbox", map[string]any{"type": "Undo", "actor": p.actorID("alice"), "object": like}, nil); res.status != http.StatusAccepted {
		t.Fatalf("undo like: %d", res.status)
	}
	page = f.get(f.client(), path).body
	mustNotContain(t, page, "1 like")
	mustContain(t, page, "1 repost")

	// Editing sends an Update; unpublishing a Delete of the Article.
	post, err := f.store.PostBySlug(ctx, models.KindPost, "hello-fediverse")
	if err != nil {
		t.Fatal(err)
	}
	edit := url.Values{"title": {"Hello fediverse"}, "body": {"Edited text."}, "status": {"published"}, "allow_comments": {"1"},
		"kind": {"post"}, "slug": {"hello-fediverse"}}
	f.clock.Advance(time.Minute)
	if res := f.post(admin, "/admin/posts/"+itoa(post.ID)+"/edit", "/admin/posts/"+itoa(post.ID), edit); res.status != http.StatusSeeOther {
		t.Fatalf("edit: %d %.300s", res.status, res.body)
	}
	f.deliver()
	upd := only(t, p.take(), "Update")
	if o := asMap(t, upd.doc["object"]); o["updated"] == nil || !strings.Contains(o["content"].(string), "Edited text.") {
		t.Fatalf("Update object: %v", o)
	}
	edit.Set("status", "draft")
	if res := f.post(admin, "/admin/posts/"+itoa(post.ID)+"/edit", "/admin/posts/"+itoa(post.ID), edit); res.status != http.StatusSeeOther {
		t.Fatalf("unpublish: %d %.300s", res.status, res.body)
	}
	f.deliver()
	del := only(t, p.take(), "Delete")
	if o := asMap(t, del.doc["object"]); o["type"] != "Tombstone" || o["id"] != testBaseURL+path {
		t.Fatalf("Delete object: %v", o)
	}
	// The writer sees the deliveries next to the TrackBacks.
	mustContain(t, f.get(admin, "/admin/posts/"+itoa(post.ID)+"/notifications").body, "ActivityPub Create", "ActivityPub Delete", "sent")

	// Undo Follow removes the follower; the admin removes and blocks.
	if res := p.post("/ap/inbox", map[string]any{"type": "Undo", "actor": p.actorID("alice"), "object": follow}, nil); res.status != http.StatusAccepted {
		t.Fatalf("undo follow: %d", res.status)
	}
	if n, _ := f.store.CountFollowers(ctx, models.BlogActor); n != 1 {
		t.Fatalf("%d followers after alice's Undo, want bob alone", n)
	}
	followersPage := f.get(admin, "/admin/followers")
	mustContain(t, followersPage.body, p.actorID("bob"), "@blog@blog.test")
	list, _ := f.store.Followers(ctx, "", true, 10)
	if res := f.post(admin, "/admin/followers", "/admin/followers/"+itoa(list[0].ID)+"/block", nil); res.status != http.StatusSeeOther {
		t.Fatalf("block: %d", res.status)
	}
	f.deliver()
	only(t, p.take(), "Reject")
	if res := p.post("/ap/inbox", bobFollow, nil); res.status != http.StatusAccepted {
		t.Fatalf("blocked follow: %d", res.status)
	}
	f.deliver()
	only(t, p.take(), "Reject")
	if n, _ := f.store.CountFollowers(ctx, models.BlogActor); n != 0 {
		t.Fatalf("a blocked actor follows: %d", n)
	}
}

// TestDeliveryRetriesAfterPeerOutage: a delivery to a peer that is down is
// kept and sent again, freshly signed, once its backoff has passed.
func TestDeliveryRetriesAfterPeerOutage(t *testing.T) {
	f := newFediEnv(t)
	p := f.peer
	p.down.Store(true)
	follow := map[string]any{"id": p.actorID("alice") + "/follows/1", "type": "Follow", "actor": p.actorID("alice"), "object": "http://blog.test/ap/blog"}
	if res := p.post("/ap/inbox", follow, nil); res.status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", res.status, res.body)
	}
	if n := f.deliver(); n != 1 || len(p.take()) != 0 {
		t.Fatalf("first attempt: %d", n)
	}
	if n := f.deliver(); n != 0 {
		t.Fatalf("retried before its backoff: %d", n)
	}
	p.down.Store(false)
	f.clock.Advance(2 * time.Minute)
	if n := f.deliver(); n != 1 {
		t.Fatalf("retry: %d deliveries", n)
	}
	only(t, p.take(), "Accept") // signed with a Date the peer accepts now
}

// TestDeliveryHonoursRetryAfter: a peer answering 429 with Retry-After
// is not tried again before that time, though the backoff's first wait
// (a minute) is shorter.
func TestDeliveryHonoursRetryAfter(t *testing.T) {
	f := newFediEnv(t)
	p := f.peer
	p.busy.Store(3600)
	follow := map[string]any{"id": p.actorID("alice") + "/follows/1", "type": "Follow", "actor": p.actorID("alice"), "object": "http://blog.test/ap/blog"}
	if res := p.post("/ap/inbox", follow, nil); res.status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", res.status, res.body)
	}
	if n := f.deliver(); n != 1 || len(p.take()) != 0 {
		t.Fatalf("first attempt: %d", n)
	}
	p.busy.Store(0)
	f.clock.Advance(30 * time.Minute)
	if n := f.deliver(); n != 0 {
		t.Fatalf("retried %d before the Retry-After", n)
	}
	f.clock.Advance(31 * time.Minute)
	if n := f.deliver(); n != 1 {
		t.Fatalf("after the Retry-After: %d deliveries", n)
	}
	only(t, p.take(), "Accept")
}

// TestDeliveryPerHostCap: with --outbox-per-host 2, while another process
// holds one delivery to the peer's server, this one sends only one more
// to it at a time.
func TestDeliveryPerHostCap(t *testing.T) {
	f := newFediEnv(t)
	p := f.peer
	f.deliveries.PerHost = 2
	for _, name := range []string{"alice", "bob", "carol"} {
		follow := map[string]any{"id": p.actorID(name) + "/follows/1", "type": "Follow", "actor": p.actorID(name), "object": "http://blog.test/ap/blog"}
		if res := p.post("/ap/inbox", follow, nil); res.status != http.StatusAccepted {
			t.Fatalf("%s's follow: %d %s", name, res.status, res.body)
		}
	}
	other, err := f.store.ClaimDeliveries(context.Background(), 1, time.Minute, 2) // another process's lease
	if err != nil || len(other) != 1 {
		t.Fatalf("other process's claim: %v %d", err, len(other))
	}
	if n := f.deliver(); n != 1 {
		t.Fatalf("%d deliveries to one server beside another process's, want 1 (cap 2)", n)
	}
	if n := f.deliver(); n != 1 {
		t.Fatalf("then %d, want the last one", n)
	}
	if got := p.take(); len(got) != 2 {
		t.Fatalf("peer received %d Accepts", len(got))
	}
}

// TestNoFederatePostStaysHome: a post marked "do not send to the
// fediverse" is delivered to nobody and its permalink has no Article.
func TestNoFederatePostStaysHome(t *testing.T) {
	f := newFediEnv(t)
	p := f.peer
	admin, _ := f.admin()
	follow := map[string]any{"id": p.actorID("alice") + "/follows/1", "type": "Follow", "actor": p.actorID("alice"), "object": "http://blog.test/ap/blog"}
	if res := p.post("/ap/inbox", follow, nil); res.status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", res.status, res.body)
	}
	f.deliver()
	p.take()
	if path := f.publish(admin, "Привет мир", "Cyrillic.", nil); !strings.Contains(f.do(f.client(), "GET", path, nil,
		"Accept", activitypub.ContentType).body, `"name":"Привет мир"`) {
		t.Fatalf("no Article at the escaped permalink %s", path)
	}
	f.deliver()
	p.take()
	path := f.publish(admin, "Just for the blog", "Local news.", url.Values{"no_federate": {"1"}})
	if n := f.deliver(); n != 0 {
		t.Fatalf("%d deliveries of a post kept off the fediverse", n)
	}
	if res := f.do(f.client(), "GET", path, nil, "Accept", activitypub.ContentType); res.status != http.StatusNotFound {
		t.Fatalf("Article of a post kept off the fediverse: %d %.200s", res.status, res.body)
	}
	if res := f.get(f.client(), path); res.status != http.StatusOK || !strings.Contains(res.body, "Local news.") {
		t.Fatalf("the page itself: %d", res.status)
	}
}
