package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

const queuePageSize = 50

// queue shows one tab of the moderation queue, newest first, filtered by
// kind and post, paged by id so deep pages stay fast.
func (s *Server) queue(c *gin.Context) {
	f := models.QueueFilter{Status: models.ModerationStatus(c.DefaultQuery("status", string(models.ModPending))),
		Kind: models.FeedbackKind(c.Query("kind")), Limit: queuePageSize + 1}
	if !f.Status.Valid() {
		f.Status = models.ModPending
	}
	if !f.Kind.Valid() {
		f.Kind = ""
	}
	f.PostID, _ = strconv.ParseInt(c.Query("post"), 10, 64)
	f.BeforeID, _ = strconv.ParseInt(c.Query("before"), 10, 64)
	ctx := c.Request.Context()
	title, matches, err := s.queuePostFilter(ctx, &f, c.Query("post_title"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	items, err := s.Feedback.Queue(ctx, f)
	if err != nil {
		s.renderError(c, err)
		return
	}
	counts, err := s.Feedback.QueueCounts(ctx, f.Kind, f.PostID)
	if err != nil {
		s.renderError(c, err)
		return
	}
	page := views.QueuePage{Layout: s.adminLayout(c, "Moderation"), Status: f.Status, Kind: f.Kind, PostID: f.PostID,
		Counts: counts, Statuses: models.ModerationStatuses, Kinds: models.FeedbackKinds,
		Actions: queueActions(f.Status), PostTitle: title, Matches: matches, NoMatch: title != "" && f.PostID == 0 && len(matches) == 0}
	if len(items) > queuePageSize {
		items = items[:queuePageSize]
		q := url.Values{"status": {string(f.Status)}, "before": {strconv.FormatInt(items[len(items)-1].ID, 10)}}
		if f.Kind != "" {
			q.Set("kind", string(f.Kind))
		}
		if f.PostID != 0 {
			q.Set("post", strconv.FormatInt(f.PostID, 10))
		}
		page.NextURL = "/admin/queue?" + q.Encode()
	}
	page.Items = items
	s.render(c, http.StatusOK, "admin_queue", page)
}

// moderate applies one action to the checked items, or to the single item of
// a per-item button ("approved:42"). Scripts get JSON counts instead of a redirect.
func (s *Server) moderate(c *gin.Context) {
	action, ids := c.PostForm("action"), parseIDs(c.PostFormArray("id"))
	if one := c.PostForm("one"); one != "" {
		a, id, _ := strings.Cut(one, ":")
		action, ids = a, parseIDs([]string{id})
	}
	ctx := c.Request.Context()
	posts := s.postsOf(ctx, ids)
	var err error
	switch {
	case len(ids) == 0:
		if !wantsJSON(c) {
			s.flash(c, "Select at least one item first.")
		}
	case action == "delete":
		err = s.Feedback.DeleteFeedback(ctx, ids...)
	case models.ModerationStatus(action).Valid():
		err = s.Feedback.SetFeedbackStatus(ctx, models.ModerationStatus(action), ids...)
	default:
		err = models.ErrInvalid
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	// Every instance drops the pages of the posts the items sit under.
	for _, postID := range posts {
		s.Changes.Changed(ctx, models.Change{Kind: models.ChangePost, PostID: postID})
	}
	kind := models.FeedbackKind(c.PostForm("kind"))
	if !kind.Valid() {
		kind = ""
	}
	postID, _ := strconv.ParseInt(c.PostForm("post"), 10, 64)
	if wantsJSON(c) {
		s.moderatedJSON(c, kind, postID, ids, action)
		return
	}
	if len(ids) > 0 {
		s.flash(c, movedMessage(len(ids), action))
	}
	ret := models.ModerationStatus(c.PostForm("return"))
	if !ret.Valid() {
		ret = models.ModPending
	}
	q := url.Values{"status": {string(ret)}}
	if kind != "" {
		q.Set("kind", string(kind))
	}
	if postID > 0 {
		q.Set("post", strconv.FormatInt(postID, 10))
	}
	redirect(c, "/admin/queue?"+q.Encode())
}

// moderatedJSON answers the queue's script with the tab counts for the
// page's filter, every status present, and the whole queue's pending count
// for the navigation badge.
func (s *Server) moderatedJSON(c *gin.Context, kind models.FeedbackKind, postID int64, ids []int64, action string) {
	ctx := c.Request.Context()
	counts, err := s.Feedback.QueueCounts(ctx, kind, postID)
	if err != nil {
		s.renderError(c, err)
		return
	}
	for _, st := range models.ModerationStatuses {
		if _, ok := counts[st]; !ok {
			counts[st] = 0
		}
	}
	pending := counts[models.ModPending]
	if kind != "" || postID != 0 {
		all, err := s.Feedback.QueueCounts(ctx, "", 0)
		if err != nil {
			s.renderError(c, err)
			return
		}
		pending = all[models.ModPending]
	}
	c.JSON(http.StatusOK, gin.H{"counts": counts, "pending": pending, "ids": ids, "action": action})
}

func parseIDs(raw []string) []int64 {
	var ids []int64
	for _, r := range raw {
		if id, err := strconv.ParseInt(r, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// postsOf lists the posts the queue items ids sit under, each once. An item
// that cannot be read is left out: the action on it fails or changes nothing.
func (s *Server) postsOf(ctx context.Context, ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		it, err := s.Feedback.FeedbackByID(ctx, id)
		if err != nil || seen[it.PostID] {
			continue
		}
		seen[it.PostID] = true
		out = append(out, it.PostID)
	}
	return out
}

// queueActions are the buttons for items in status: every move that
// changes something, labelled as what it does.
func queueActions(status models.ModerationStatus) []views.QueueAction {
	var out []views.QueueAction
	for _, a := range []models.ModerationStatus{models.ModApproved, models.ModSpam, models.ModTrash, models.ModPending} {
		if a == status {
			continue
		}
		label := map[models.ModerationStatus]string{models.ModApproved: "Approve", models.ModSpam: "Mark as spam",
			models.ModTrash: "Trash", models.ModPending: "Back to pending"}[a]
		switch {
		case a == models.ModPending && status == models.ModApproved:
			label = "Unapprove"
		case a == models.ModPending && status == models.ModSpam:
			label = "Not spam"
		case a == models.ModPending && status == models.ModTrash:
			label = "Restore"
		}
		out = append(out, views.QueueAction{Status: a, Label: label})
	}
	return out
}

// movedMessage says what an action did to n items: "1 item approved.".
func movedMessage(n int, action string) string {
	done := map[string]string{string(models.ModApproved): "approved", string(models.ModSpam): "marked as spam",
		string(models.ModTrash): "moved to the trash", string(models.ModPending): "moved back to pending", "delete": "deleted for good"}[action]
	if done == "" {
		done = action
	}
	if n == 1 {
		return "1 item " + done + "."
	}
	return fmt.Sprintf("%d items %s.", n, done)
}

// queuePostFilter reads the post filter: a title as typed (one match
// filters by that post; several are offered to choose from), or the post
// id of a link, whose title then fills the box.
func (s *Server) queuePostFilter(ctx context.Context, f *models.QueueFilter, title string) (string, []models.Post, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		if f.PostID == 0 {
			return "", nil, nil
		}
		p, err := s.Posts.PostByID(ctx, f.PostID)
		if err != nil {
			return "", nil, err
		}
		return p.Title, nil, nil
	}
	f.PostID = 0
	found, err := s.Posts.PostsByTitle(ctx, title, 20)
	if err != nil || len(found) == 0 {
		return title, nil, err
	}
	for _, p := range found {
		if strings.EqualFold(p.Title, title) || len(found) == 1 {
			f.PostID = p.ID
			return p.Title, nil, nil
		}
	}
	return title, found, nil
}
