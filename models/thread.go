package models

import (
	"context"
	"slices"

	"gorm.io/gorm"
)

// MaxShownReplies bounds the replies one page of threads shows, so a
// thread that drew a flood of replies still renders in bounded time.
const MaxShownReplies = 2000

// maxAncestors bounds the walk up a thread (parents are always older, so
// the walk ends anyway; this keeps damaged data from costing much).
const maxAncestors = 1000

// Thread is where a new comment goes: under ParentID (nil: a thread of its
// own) in the thread started by RootID (0: the comment starts it).
type Thread struct {
	ParentID *int64
	RootID   int64
}

// errNoParent is the form's message when the comment replied to is gone.
const errNoParent = "The comment you replied to is not open for replies (it may have been removed). Your text is kept below."

// ReplyThread places a reply to parentID on post postID, as WordPress
// does: the parent must be a comment the post page shows (else a
// ValidationError on the "parent" field), and a reply deeper than maxDepth
// goes under the deepest ancestor that keeps it within the depth (with
// maxDepth 1, comments are flat and a reply starts a thread of its own).
func (s *Store) ReplyThread(ctx context.Context, postID, parentID int64, maxDepth int) (Thread, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Feedback{}).Scopes(shownOnPost, isComment).
		Where("id = ? AND post_id = ?", parentID, postID).Count(&n).Error
	if err != nil {
		return Thread{}, translate(err, "reply parent")
	}
	if n == 0 {
		var ve ValidationError
		ve.Add("parent", errNoParent)
		return Thread{}, &ve
	}
	// The parent and its shown ancestors, parent first, root last: a
	// comment whose parent is not shown heads a thread of its own.
	var chain []int64
	err = s.db.WithContext(ctx).Raw(`WITH RECURSIVE up(id, parent_id, n) AS (
		SELECT id, parent_id, 1 FROM feedback WHERE id = ?
		UNION ALL
		SELECT f.id, f.parent_id, up.n + 1 FROM feedback f JOIN up ON f.id = up.parent_id
		WHERE f.status = ? AND f.post_id = ? AND up.n < ?)
		SELECT id FROM up ORDER BY n`, parentID, ModApproved, postID, maxAncestors).Scan(&chain).Error
	if err != nil {
		return Thread{}, translate(err, "reply thread")
	}
	t := Thread{RootID: chain[len(chain)-1]}
	// The parent is at depth len(chain); the reply would be one deeper.
	depth := min(len(chain), maxDepth-1)
	if depth < 1 {
		return Thread{}, nil
	}
	parent := chain[len(chain)-depth]
	t.ParentID = &parent
	return t, nil
}

// topLevel selects the comments that head a thread: those without a
// parent, and those whose parent is not shown (held, spam or trashed
// after the reply came), which WordPress would otherwise lose.
func topLevel(db *gorm.DB) *gorm.DB {
	return db.Where("(feedback.parent_id IS NULL OR NOT EXISTS (SELECT 1 FROM feedback p WHERE p.id = feedback.parent_id AND p.status = ?))",
		ModApproved)
}

// CommentThreads lists one page of a post's comment threads, as WordPress
// pages them: n threads (oldest first, or newest first), each kept whole.
// Roots are the comments heading the threads in page order; replies are
// every shown reply under them, oldest first (at most MaxShownReplies).
// One query, so a page costs the same however its threads branch. The
// CROSS JOIN keeps SQLite's planner walking from each comment to its
// replies (index feedback_replies), never the other way round.
func (s *Store) CommentThreads(ctx context.Context, postID int64, newestFirst bool, offset, n int) (roots, replies []Feedback, err error) {
	order := "id"
	if newestFirst {
		order = "id DESC"
	}
	page := s.db.Model(&Feedback{}).Scopes(shownOnPost, isComment, topLevel).Select("id").Where("post_id = ?", postID).
		Order(order).Offset(offset).Limit(limit(n))
	var rows []threadRow
	err = s.db.WithContext(ctx).Raw(`WITH RECURSIVE page AS (?),
		thread(id) AS (
			SELECT id FROM page
			UNION
			SELECT f.id FROM thread t CROSS JOIN feedback f
			WHERE f.parent_id = t.id AND f.status = ? AND f.post_id = ? AND f.id > t.id)
		SELECT feedback.*, CASE WHEN feedback.id IN (SELECT id FROM page) THEN 1 ELSE 0 END AS is_root
		FROM feedback WHERE feedback.id IN (SELECT id FROM thread)
		ORDER BY is_root DESC, feedback.id LIMIT ?`,
		page, ModApproved, postID, limit(n)+MaxShownReplies).Scan(&rows).Error
	if err != nil {
		return nil, nil, translate(err, "comment threads")
	}
	for _, r := range rows {
		if r.IsRoot == 1 {
			roots = append(roots, r.Feedback)
		} else {
			replies = append(replies, r.Feedback)
		}
	}
	if newestFirst {
		slices.Reverse(roots)
	}
	return roots, replies, nil
}

// threadRow is a comment of a page of threads, marked when it heads one.
type threadRow struct {
	Feedback
	IsRoot int
}

// ThreadsBefore counts the threads shown before the one rootID heads (in
// the site's order), to find the comment page it is on.
func (s *Store) ThreadsBefore(ctx context.Context, postID, rootID int64, newestFirst bool) (int, error) {
	cmp := "id < ?"
	if newestFirst {
		cmp = "id > ?"
	}
	var n int64
	err := s.db.WithContext(ctx).Model(&Feedback{}).Scopes(shownOnPost, isComment, topLevel).
		Where("post_id = ?", postID).Where(cmp, rootID).Count(&n).Error
	return int(n), translate(err, "threads before")
}
