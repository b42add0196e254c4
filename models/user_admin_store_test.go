package models

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestDeleteUserReassigns: the posts and revisions go to the heir; the last
// administrator can be neither deleted nor demoted.
func TestDeleteUserReassigns(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	admin := mustUser(t, s)
	bob := &User{Name: "bob", Email: "bob@example.com", PasswordHash: "x", Role: RoleAuthor}
	if err := s.CreateUser(ctx, bob); err != nil {
		t.Fatal(err)
	}
	p := newPost(bob.ID, "Bob's", StatusDraft, nil)
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, admin.ID, bob.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("deleting the last administrator: %v", err)
	}
	admin.Role = RoleEditor
	if err := s.UpdateProfile(ctx, admin); !errors.Is(err, ErrConflict) {
		t.Errorf("demoting the last administrator: %v", err)
	}
	if err := s.DeleteUser(ctx, bob.ID, bob.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("giving the posts to the user deleted: %v", err)
	}
	if err := s.DeleteUser(ctx, bob.ID, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("giving the posts to nobody: %v", err)
	}
	if err := s.DeleteUser(ctx, bob.ID, admin.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.PostByID(ctx, p.ID)
	if err != nil || got.AuthorID != admin.ID {
		t.Errorf("post after delete: %+v %v", got, err)
	}
	if revs, _ := s.Revisions(ctx, p.ID); len(revs) != 1 || revs[0].AuthorID != admin.ID {
		t.Errorf("revisions after delete: %+v", revs)
	}
	if _, err := s.UserByID(ctx, bob.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob is still there: %v", err)
	}
}

// TestResetPasswordOnce: of many uses of one token at once, one succeeds;
// the others, and every later use, find nothing; the session generation moves.
func TestResetPasswordOnce(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	link, err := s.IssuePasswordReset(ctx, u.ID, "http://blog.test/")
	if err != nil {
		t.Fatal(err)
	}
	token := link[len("http://blog.test/login/reset?token="):]
	if _, err := s.PasswordResetUser(ctx, ResetTokenHash(token)); err != nil {
		t.Fatalf("a fresh token: %v", err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 4 {
		wg.Go(func() {
			if _, err := s.ResetPassword(ctx, ResetTokenHash(token), "new-hash"); err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrConflict) {
				t.Errorf("a losing use: %v", err)
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d uses of one token succeeded", wins)
	}
	got, _ := s.UserByID(ctx, u.ID)
	if got.PasswordHash != "new-hash" || got.SessionGeneration != u.SessionGeneration+1 {
		t.Errorf("after the reset: %+v", got)
	}
	link, _ = s.IssuePasswordReset(ctx, u.ID, "http://blog.test")
	clock.t = clock.t.Add(ResetLinkTTL + time.Second)
	if _, err := s.ResetPassword(ctx, ResetTokenHash(link[len("http://blog.test/login/reset?token="):]), "late"); !errors.Is(err, ErrNotFound) {
		t.Errorf("an expired token: %v", err)
	}
}

// TestMailClaims: an email is leased to one claimer at a time, and a
// given-up one is never claimed again.
func TestMailClaims(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	for _, to := range []string{"a@example.com", "b@example.com"} {
		if err := s.QueueMail(ctx, &Mail{To: to, Subject: "s", Body: "b"}); err != nil {
			t.Fatal(err)
		}
	}
	first, err := s.ClaimMail(ctx, 10, time.Minute)
	if err != nil || len(first) != 2 {
		t.Fatalf("claim: %v %v", first, err)
	}
	if again, _ := s.ClaimMail(ctx, 10, time.Minute); len(again) != 0 {
		t.Errorf("claimed while leased: %v", again)
	}
	if err := s.MailSent(ctx, first[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.MailFailed(ctx, first[1].ID, "550 no such user", time.Time{}); err != nil {
		t.Fatal(err)
	}
	clock.t = clock.t.Add(time.Hour)
	if again, _ := s.ClaimMail(ctx, 10, time.Minute); len(again) != 0 {
		t.Errorf("claimed after sent or given up: %v", again)
	}
}
