package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// AddFeedback stores f. A linkback already stored from the same source to the
// same post is not stored again and reports created false.
// On SQLite it is committed with the others waiting (feedback_batch.go).
func (s *Store) AddFeedback(ctx context.Context, f *Feedback) (bool, error) {
	f.Normalize()
	if s.groups != nil {
		if err := ctx.Err(); err != nil {
			return false, translate(err, "add feedback")
		}
		created, err := s.groups.add(ctx, f)
		if !errors.Is(err, errGroupsClosed) {
			return created, err
		}
	}
	return s.insertFeedback(s.prepared(ctx), f)
}

// ApprovedFeedback lists a post's approved feedback of every kind, oldest
// first. A Webmention shows only while verified: one re-sent keeps showing
// while its source is checked again, and one whose source failed is hidden.
func (s *Store) ApprovedFeedback(ctx context.Context, postID int64) ([]Feedback, error) {
	var out []Feedback
	err := s.db.WithContext(ctx).Scopes(shownOnPost).Where("post_id = ?", postID).Order("id").Find(&out).Error
	return out, translate(err, "approved feedback")
}

// MaxShownLinkbacks bounds the TrackBacks, Pingbacks, mentions and
// reactions a post page lists (the oldest ones), so a post that drew a
// flood of them still renders in bounded time.
const MaxShownLinkbacks = 500

// authorCardKinds are the kinds whose replies show as comments (see
// Feedback.HasAuthorCard).
var authorCardKinds = []FeedbackKind{FeedbackWebmention, FeedbackFediverse}

// isComment selects what a post page shows among its comments: readers'
// comments and Webmention replies.
func isComment(db *gorm.DB) *gorm.DB {
	return db.Where("(kind = ? OR (kind IN ? AND response_type = ?))", FeedbackComment, authorCardKinds, ResponseReply)
}

// ApprovedLinkbacks lists the rest of what a post page shows (TrackBacks,
// Pingbacks, mentions, likes, reposts, bookmarks), oldest first, at most
// MaxShownLinkbacks.
func (s *Store) ApprovedLinkbacks(ctx context.Context, postID int64) ([]Feedback, error) {
	var out []Feedback
	err := s.db.WithContext(ctx).Scopes(shownOnPost).Where("post_id = ? AND kind <> ?", postID, FeedbackComment).
		Where("NOT (kind IN ? AND response_type = ?)", authorCardKinds, ResponseReply).
		Order("id").Limit(MaxShownLinkbacks).Find(&out).Error
	return out, translate(err, "approved linkbacks")
}

// shownOnPost narrows a feedback query to what a post page shows: approved
// items, a Webmention only while verified (or verified and being checked
// again).
func shownOnPost(db *gorm.DB) *gorm.DB {
	return db.Where("status = ?", ModApproved).
		Where("NOT (kind = ? AND verification NOT IN ?)", FeedbackWebmention, []string{VerificationVerified, VerificationRecheck})
}

// Queue lists one page of the moderation queue, newest first (keyset paging
// on id, so deep pages cost the same as the first).
func (s *Store) Queue(ctx context.Context, f QueueFilter) ([]QueueItem, error) {
	q := s.queueQuery(ctx)
	if f.Status != "" {
		q = q.Where("feedback.status = ?", f.Status)
	} else {
		q = q.Where("feedback.status IN ?", []ModerationStatus{ModPending, ModApproved})
	}
	if f.Kind != "" {
		q = q.Where("feedback.kind = ?", f.Kind)
	}
	if f.PostID != 0 {
		q = q.Where("feedback.post_id = ?", f.PostID)
	}
	if f.BeforeID > 0 {
		q = q.Where("feedback.id < ?", f.BeforeID)
	}
	var rows []queueRow
	err := q.Order("feedback.id DESC").Offset(f.Offset).Limit(limit(f.Limit)).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "queue")
	}
	items := make([]QueueItem, len(rows))
	for i, r := range rows {
		items[i] = r.item()
	}
	return items, nil
}

// FeedbackByID finds one item with the title and path of its post.
func (s *Store) FeedbackByID(ctx context.Context, id int64) (*QueueItem, error) {
	var rows []queueRow
	if err := s.queueQuery(ctx).Where("feedback.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return nil, translate(err, "feedback by id")
	}
	if len(rows) == 0 {
		return nil, translate(gorm.ErrRecordNotFound, "feedback by id")
	}
	item := rows[0].item()
	return &item, nil
}

// queueRow is a queue item with what its post's path is made from.
type queueRow struct {
	QueueItem
	PostKind        PostKind
	PostSlug        string
	PostPublishedAt *time.Time
	PostCreatedAt   time.Time
}

func (r queueRow) item() QueueItem {
	it := r.QueueItem
	p := Post{Kind: r.PostKind, Slug: r.PostSlug, PublishedAt: r.PostPublishedAt, CreatedAt: r.PostCreatedAt}
	it.PostPath = p.Path()
	return it
}

func (s *Store) queueQuery(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Table("feedback").
		Select("feedback.*, posts.title AS post_title, posts.kind AS post_kind, posts.slug AS post_slug, " +
			"posts.published_at AS post_published_at, posts.created_at AS post_created_at, parent.author_name AS parent_author").
		Joins("JOIN posts ON posts.id = feedback.post_id").
		Joins("LEFT JOIN feedback parent ON parent.id = feedback.parent_id")
}

// UpdateFeedback saves an edited item's status, author and content.
func (s *Store) UpdateFeedback(ctx context.Context, f *Feedback) error {
	f.Normalize()
	res := s.db.WithContext(ctx).Model(&Feedback{}).Where("id = ?", f.ID).Updates(map[string]any{
		"status": f.Status, "author_name": f.AuthorName, "author_email": f.AuthorEmail,
		"source_url": f.SourceURL, "content": f.Content, "updated_at": s.now(),
	})
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(gorm.ErrRecordNotFound, "update feedback")
	}
	return translate(res.Error, "update feedback")
}

// QueueCounts counts queue items by status, optionally for one kind or post.
// It reads the counters that triggers keep in the writing transaction
// (migration 0014), at most 16 rows whatever the size of the queue.
func (s *Store) QueueCounts(ctx context.Context, kind FeedbackKind, postID int64) (map[ModerationStatus]int, error) {
	q := s.db.WithContext(ctx).Table("feedback_counts").Select("status, SUM(n) AS n").Where("post_id = ?", postID)
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	var rows []struct {
		Status ModerationStatus
		N      int
	}
	err := q.Group("status").Scan(&rows).Error
	out := make(map[ModerationStatus]int, len(ModerationStatuses))
	for _, r := range rows {
		if r.N > 0 {
			out[r.Status] = r.N
		}
	}
	return out, translate(err, "queue counts")
}

// SetFeedbackStatus moves items to status.
func (s *Store) SetFeedbackStatus(ctx context.Context, status ModerationStatus, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.db.WithContext(ctx).Model(&Feedback{}).Where("id IN ?", ids).
		Updates(map[string]any{"status": status, "updated_at": s.now()}).Error
	return translate(err, "set feedback status")
}

// DeleteFeedback removes items for good.
func (s *Store) DeleteFeedback(ctx context.Context, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	return translate(s.db.WithContext(ctx).Where("id IN ?", ids).Delete(&Feedback{}).Error, "delete feedback")
}

// PurgeFeedback deletes spam and trash last changed before cutoff and
// returns how many went.
func (s *Store) PurgeFeedback(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("status IN ? AND updated_at < ?", []ModerationStatus{ModSpam, ModTrash}, cutoff.UTC()).
		Delete(&Feedback{})
	return res.RowsAffected, translate(res.Error, "purge feedback")
}

// HasLinkback reports whether a linkback of kind from source to the post is stored.
func (s *Store) HasLinkback(ctx context.Context, postID int64, kind FeedbackKind, source string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Feedback{}).
		Where("post_id = ? AND kind = ? AND source_url = ?", postID, kind, source).Limit(1).Count(&n).Error
	return n > 0, translate(err, "has linkback")
}
