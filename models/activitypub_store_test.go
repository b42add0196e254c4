package models

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestDeliveryLeases: a claimed delivery is not claimed twice, a worker
// whose lease ran out cannot record over the next one, a failure waits
// out its backoff, and the writer sees the post's deliveries.
func TestDeliveryLeases(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	post := int64(0)
	if err := s.QueueDeliveries(ctx, []APDelivery{{PostID: &post, LocalActor: BlogActor, ActivityType: "Create", Inbox: "https://m.example/inbox", Body: "{}"}}); err != nil {
		t.Fatal(err)
	}
	first, err := s.ClaimDeliveries(ctx, 5, time.Minute, 0)
	if err != nil || len(first) != 1 {
		t.Fatalf("claim: %v %d", err, len(first))
	}
	if again, _ := s.ClaimDeliveries(ctx, 5, time.Minute, 0); len(again) != 0 {
		t.Fatalf("claimed twice")
	}
	clock.t = clock.t.Add(2 * time.Minute) // the first worker's lease runs out
	second, err := s.ClaimDeliveries(ctx, 5, time.Minute, 0)
	if err != nil || len(second) != 1 {
		t.Fatalf("reclaim after the lease: %v %d", err, len(second))
	}
	if ok, _ := s.FinishDelivery(ctx, &first[0], NotificationResult{State: NotifySent, Ran: true}); ok {
		t.Fatal("a worker whose lease ran out recorded its outcome")
	}
	if ok, err := s.FinishDelivery(ctx, &second[0], NotificationResult{State: NotifyQueued, RetryIn: time.Hour, Ran: true, Message: "down"}); !ok || err != nil {
		t.Fatalf("finish: %v %v", ok, err)
	}
	if got, _ := s.ClaimDeliveries(ctx, 5, time.Minute, 0); len(got) != 0 {
		t.Fatal("claimed before its backoff")
	}
	at, ok, err := s.NextDeliveryDue(ctx)
	if err != nil || !ok || !at.Equal(clock.Now().Add(time.Hour)) {
		t.Fatalf("next due %v %v %v", at, ok, err)
	}
	list, err := s.DeliveriesForPost(ctx, post, 10)
	if err != nil || len(list) != 1 || list[0].Attempts != 1 || list[0].LastMessage != "down" || list[0].State != NotifyQueued {
		t.Fatalf("deliveries of the post: %v %+v", err, list)
	}
}

// TestDeliveryPerHostCap: at most perHost deliveries to one inbox host
// are held at once, however many are due; other hosts are not held up,
// and a settled delivery frees its place.
func TestDeliveryPerHostCap(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	var queued []APDelivery
	for _, inbox := range []string{"https://big.example/inbox", "https://BIG.example/users/a/inbox", "https://big.example/users/b/inbox",
		"https://small.example/inbox", "https://big.example:8443/inbox"} {
		queued = append(queued, APDelivery{LocalActor: BlogActor, ActivityType: "Create", Inbox: inbox, Body: "{}"})
	}
	if err := s.QueueDeliveries(ctx, queued); err != nil {
		t.Fatal(err)
	}
	first, err := s.ClaimDeliveries(ctx, 10, time.Minute, 2)
	if err != nil || len(first) != 4 {
		t.Fatalf("first claim: %v, %d deliveries, want 2 to big.example, small.example's and big.example:8443's", err, len(first))
	}
	if more, _ := s.ClaimDeliveries(ctx, 10, time.Minute, 2); len(more) != 0 {
		t.Fatalf("claimed %d past the cap", len(more))
	}
	if ok, err := s.FinishDelivery(ctx, &first[0], NotificationResult{State: NotifySent, Ran: true}); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if rest, _ := s.ClaimDeliveries(ctx, 10, time.Minute, 2); len(rest) != 1 || !strings.Contains(rest[0].Inbox, "/users/b/") {
		t.Fatalf("after one settled: %+v", rest)
	}
}

// TestFollowersAndResponses: follows are kept once per actor, blocking
// sticks, and a remote reaction is kept once per actor and post.
func TestFollowersAndResponses(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	f := &Follower{LocalActor: BlogActor, ActorID: "https://m.example/users/a", Inbox: "https://m.example/users/a/inbox"}
	if blocked, err := s.AddFollower(ctx, f); blocked || err != nil {
		t.Fatal(blocked, err)
	}
	again := &Follower{LocalActor: BlogActor, ActorID: f.ActorID, Inbox: f.Inbox, SharedInbox: "https://m.example/inbox"}
	if _, err := s.AddFollower(ctx, again); err != nil {
		t.Fatal(err)
	}
	list, err := s.Followers(ctx, BlogActor, false, 10)
	if err != nil || len(list) != 1 || list[0].DeliveryInbox() != "https://m.example/inbox" {
		t.Fatalf("followers: %v %+v", err, list)
	}
	if err := s.SetFollowerBlocked(ctx, list[0].ID, true); err != nil {
		t.Fatal(err)
	}
	if blocked, _ := s.AddFollower(ctx, again); !blocked {
		t.Fatal("a blocked actor followed again")
	}
	if n, _ := s.CountFollowers(ctx, BlogActor); n != 0 {
		t.Fatalf("%d followers counted with one blocked", n)
	}
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	p := newPost(mustUser(t, s).ID, "Liked", StatusPublished, &at)
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"https://m.example/likes/1", "https://m.example/likes/2"} {
		fb := &Feedback{PostID: p.ID, Status: ModApproved, AuthorName: "A", SourceURL: id, ResponseType: ResponseLike}
		created, err := s.AddRemoteResponse(ctx, fb, &APObject{RemoteID: id, ActorID: f.ActorID, Kind: ResponseLike}, nil)
		if err != nil || created != (i == 0) {
			t.Fatalf("like %d: created %v, %v", i+1, created, err)
		}
	}
	if postID, err := s.RemoveRemoteResponse(ctx, "https://m.example/likes/1", "https://other.example/users/x"); postID != 0 || err != nil {
		t.Fatal("another actor removed a like")
	}
	if postID, err := s.RemoveRemoteResponse(ctx, "https://m.example/likes/1", f.ActorID); postID != p.ID || err != nil {
		t.Fatalf("remove like: %d %v", postID, err)
	}
	if shown, _ := s.ApprovedLinkbacks(ctx, p.ID); len(shown) != 0 {
		t.Fatalf("%d linkbacks after the Undo", len(shown))
	}
}
