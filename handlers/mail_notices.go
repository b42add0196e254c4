package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/crosstalk/crosstalk/models"
)

// mailingFeedback is the moderation queue with email notices, as WordPress
// sends them: the post's author hears of a comment or linkback awaiting
// moderation, and a commenter who opted in (NotifyReplies) hears of an
// approved reply to their comment. Notices are queued in the mail outbox
// (models.MailStore), which the mail worker sends; a notice that cannot be
// queued is logged and does not fail the comment.
type mailingFeedback struct {
	models.FeedbackStore
	mail models.MailStore
	// on says whether a mail server is configured now: else nothing is queued.
	on    func(context.Context) bool
	posts interface {
		PostByID(context.Context, int64) (*models.Post, error)
	}
	users interface {
		UserByID(context.Context, int64) (*models.User, error)
	}
	site    func(context.Context) (models.Site, error)
	baseURL string
	log     *slog.Logger
}

// AddFeedback stores f and, when it waits for moderation, tells the author.
func (m mailingFeedback) AddFeedback(ctx context.Context, f *models.Feedback) (bool, error) {
	created, err := m.FeedbackStore.AddFeedback(ctx, f)
	if err != nil || !created || !m.on(ctx) { // asked first: building a notice reads the post and its author
		return created, err
	}
	switch f.Status {
	case models.ModPending:
		m.queue(ctx, m.awaitingModeration(ctx, f))
	case models.ModApproved:
		m.queue(ctx, m.replyNotice(ctx, f))
	}
	return created, err
}

// SetFeedbackStatus moderates; approving a reply tells the parent's commenter.
func (m mailingFeedback) SetFeedbackStatus(ctx context.Context, status models.ModerationStatus, ids ...int64) error {
	var before map[int64]models.ModerationStatus
	if status == models.ModApproved && m.on(ctx) {
		before = map[int64]models.ModerationStatus{}
		for _, id := range ids {
			if it, err := m.FeedbackByID(ctx, id); err == nil {
				before[id] = it.Status
			}
		}
	}
	if err := m.FeedbackStore.SetFeedbackStatus(ctx, status, ids...); err != nil {
		return err
	}
	for id, was := range before {
		if was == models.ModApproved {
			continue
		}
		if it, err := m.FeedbackByID(ctx, id); err == nil {
			m.queue(ctx, m.replyNotice(ctx, &it.Feedback))
		}
	}
	return nil
}

func (m mailingFeedback) queue(ctx context.Context, mail *models.Mail) {
	if mail == nil || !m.on(ctx) {
		return
	}
	if err := m.mail.QueueMail(ctx, mail); err != nil {
		m.log.ErrorContext(ctx, "queue notice email", "err", err)
	}
}

// awaitingModeration is the notice to the post's author, or nil.
func (m mailingFeedback) awaitingModeration(ctx context.Context, f *models.Feedback) *models.Mail {
	post, err := m.posts.PostByID(ctx, f.PostID)
	if err != nil {
		return nil
	}
	author, err := m.users.UserByID(ctx, post.AuthorID)
	if err != nil || author.Email == "" {
		return nil
	}
	site, _ := m.site(ctx)
	what := "comment"
	if f.Kind != models.FeedbackComment {
		what = string(f.Kind)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "A new %s on your post “%s” is waiting for your approval.\n\n", what, post.Title)
	fmt.Fprintf(&b, "From: %s\n", f.AuthorName)
	if f.SourceURL != "" {
		fmt.Fprintf(&b, "Link: %s\n", f.SourceURL)
	}
	fmt.Fprintf(&b, "\n%s\n\nModerate it: %s/admin/queue?post=%d\n", clip(f.Content, 2000), m.baseURL, post.ID)
	return &models.Mail{To: author.Email, Subject: fmt.Sprintf("[%s] Please moderate: “%s”", site.Title, post.Title), Body: b.String()}
}

// replyNotice is the notice to the commenter f replies to, if they opted in.
func (m mailingFeedback) replyNotice(ctx context.Context, f *models.Feedback) *models.Mail {
	if f.ParentID == nil {
		return nil
	}
	parent, err := m.FeedbackByID(ctx, *f.ParentID)
	if err != nil || !parent.NotifyReplies || parent.AuthorEmail == "" || parent.AuthorEmail == f.AuthorEmail {
		return nil
	}
	site, _ := m.site(ctx)
	link := m.baseURL + parent.PostPath
	return &models.Mail{To: parent.AuthorEmail, Subject: fmt.Sprintf("[%s] New reply to your comment on “%s”", site.Title, parent.PostTitle),
		Body: fmt.Sprintf("%s replied to your comment on “%s”:\n\n%s\n\nRead it: %s#comment-%d\n\n"+
			"You get this email because you asked to hear of replies to your comment.\n",
			f.AuthorName, parent.PostTitle, clip(f.Content, 2000), link, f.ID)}
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
