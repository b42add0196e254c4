package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

// TestMailNotices: with email on, a comment awaiting moderation queues a
// notice to the post's author, and approving a reply queues one to the
// parent's commenter if they opted in (and only then). Nothing is sent in
// the request: the notices wait in the outbox.
func TestMailNotices(t *testing.T) {
	e := newEnv(t)
	e.extra = func(d *Deps) { d.Mail = e.store }
	e.srv.Config.Handler = e.engine(e.store, e.log)
	// Email is on by the settings' Email fieldset (no --smtp-url).
	if err := e.store.SetSettings(context.Background(), map[string]string{models.SettingSMTPURL: "smtp://127.0.0.1:25"}); err != nil {
		t.Fatal(err)
	}
	admin, _ := e.admin()
	author := e.userWithRole(models.RoleAuthor, "ada")
	ac, _ := e.login(author)
	path := e.publish(ac, "Noticed", "x", nil)
	post := e.postTitled("Noticed")
	res := e.do(e.client(), "POST", fmt.Sprintf("/comments/%d", post.ID), url.Values{"name": {"Reader"},
		"email": {"reader@example.com"}, "content": {"Nice post."}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("comment: %d %.300s", res.status, res.body)
	}
	mails := e.claimMail()
	if len(mails) != 1 || mails[0].To != "ada@example.com" || !strings.Contains(mails[0].Body, "Nice post.") ||
		!strings.Contains(mails[0].Subject, "Please moderate") {
		t.Fatalf("moderation notice: %+v", mails)
	}

	ctx := context.Background()
	optedIn := &models.Feedback{PostID: post.ID, Kind: models.FeedbackComment, Status: models.ModApproved,
		AuthorName: "Bob", AuthorEmail: "bob@example.com", Content: "First.", NotifyReplies: true}
	quiet := &models.Feedback{PostID: post.ID, Kind: models.FeedbackComment, Status: models.ModApproved,
		AuthorName: "Cy", AuthorEmail: "cy@example.com", Content: "Second."}
	for _, f := range []*models.Feedback{optedIn, quiet} {
		if _, err := e.store.AddFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	var replies []int64
	for _, parent := range []int64{optedIn.ID, quiet.ID} {
		r := &models.Feedback{PostID: post.ID, Kind: models.FeedbackComment, Status: models.ModPending,
			AuthorName: "Replier", AuthorEmail: "r@example.com", Content: "A reply.", ParentID: &parent}
		if _, err := e.store.AddFeedback(ctx, r); err != nil {
			t.Fatal(err)
		}
		replies = append(replies, r.ID)
	}
	for _, id := range replies {
		if res := e.post(admin, "/admin/queue", "/admin/queue", url.Values{"one": {fmt.Sprintf("approved:%d", id)}}); res.status != http.StatusSeeOther {
			t.Fatalf("approve: %d", res.status)
		}
	}
	mails = e.claimMail()
	if len(mails) != 1 || mails[0].To != "bob@example.com" || !strings.Contains(mails[0].Body, "A reply.") ||
		!strings.Contains(mails[0].Body, testBaseURL+path) {
		t.Fatalf("reply notices: %+v", mails)
	}
}

func (e *testEnv) claimMail() []models.Mail {
	e.t.Helper()
	mails, err := e.store.ClaimMail(context.Background(), 50, time.Minute)
	if err != nil {
		e.t.Fatal(err)
	}
	return mails
}
