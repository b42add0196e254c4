package xmlrpcapi

import (
	"context"
	"strings"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

const msgNoComment = "Invalid comment ID."

func (a *API) registerWordPress(x *xmlrpc.Server) {
	x.RegisterAuthenticated("wp.getUsersBlogs", 0, a.wpGetUsersBlogs)
	x.RegisterAuthenticated("wp.getComments", 1, a.wpGetComments)
	x.RegisterAuthenticated("wp.getComment", 1, a.wpGetComment)
	x.RegisterAuthenticated("wp.newComment", 1, a.wpNewComment)
	x.RegisterAuthenticated("wp.editComment", 1, a.wpEditComment)
	x.RegisterAuthenticated("wp.deleteComment", 1, a.wpDeleteComment)
	x.RegisterAuthenticated("wp.getCommentCount", 1, a.wpGetCommentCount)
	x.RegisterAuthenticated("wp.deletePost", 1, a.wpDeletePost)
}

// WordPress's names for the moderation statuses.
var wpCommentStatuses = map[models.ModerationStatus]string{
	models.ModPending: "hold", models.ModApproved: "approve", models.ModSpam: "spam", models.ModTrash: "trash",
}

func modStatus(wp string) (models.ModerationStatus, bool) {
	for m, w := range wpCommentStatuses {
		if w == wp {
			return m, true
		}
	}
	return "", false
}

// wpGetUsersBlogs: (username, password) → the one blog.
func (a *API) wpGetUsersBlogs(ctx context.Context, p xmlrpc.Params) (any, error) {
	u, err := a.rpcLogin(ctx, p, 0)
	if err != nil {
		return nil, err
	}
	return a.usersBlogs(ctx, u), nil
}

// wpGetComments: (blog_id, username, password, {post_id, status, type,
// number, offset}) → comments and linkbacks, newest first. Without a status
// it lists held and approved ones, as WordPress does.
func (a *API) wpGetComments(ctx context.Context, p xmlrpc.Params) (any, error) {
	if _, err := a.moderator(ctx, p, 1); err != nil {
		return nil, err
	}
	filter := xmlrpc.Struct{}
	if len(p) > 3 && p[3] != "" {
		var err error
		if filter, err = p.Struct(3); err != nil {
			return nil, err
		}
	}
	f := models.QueueFilter{Limit: 10}
	status, err := filter.String("status")
	if err != nil {
		return nil, err
	}
	if status != "" {
		var ok bool
		if f.Status, ok = modStatus(status); !ok {
			return nil, notAllowed("Invalid comment status.")
		}
	}
	typ, err := filter.String("type")
	if err != nil {
		return nil, err
	}
	if f.Kind, err = feedbackKind(typ); err != nil {
		return nil, err
	}
	if filter.Has("post_id") {
		if f.PostID, err = structID(filter, "post_id"); err != nil {
			return nil, err
		}
	}
	if filter.Has("number") {
		if f.Limit, err = filter.Int("number"); err != nil {
			return nil, err
		}
	}
	if f.Offset, err = filter.Int("offset"); err != nil {
		return nil, err
	}
	f.Offset = max(f.Offset, 0)
	items, err := a.Feedback.Queue(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(items))
	for i := range items {
		out[i] = a.commentStruct(&items[i])
	}
	return out, nil
}

// feedbackKind reads WordPress's comment type: "comment" (or empty for all),
// "trackback", "pingback", and Crosstalk's "webmention".
func feedbackKind(typ string) (models.FeedbackKind, error) {
	switch typ {
	case "":
		return "", nil
	case "comment":
		return models.FeedbackComment, nil
	}
	if k := models.FeedbackKind(typ); k.Valid() {
		return k, nil
	}
	return "", &xmlrpc.Fault{Code: xmlrpc.CodeInvalidParams, Message: "invalid params: unknown comment type"}
}

// structID reads an id member sent as a string or an int; empty is zero.
func structID(st xmlrpc.Struct, key string) (int64, error) {
	raw, err := st.String(key)
	if err != nil || strings.TrimSpace(raw) == "" {
		return 0, err
	}
	n, err := xmlrpc.Params{raw}.Int(0)
	if err != nil {
		return 0, &xmlrpc.Fault{Code: xmlrpc.CodeInvalidParams, Message: "invalid params: " + key + " is not a number"}
	}
	return int64(n), nil
}

// commentStruct is an item as WordPress's wp.getComment answers it; type is
// "" for a comment and the linkback protocol otherwise.
func (a *API) commentStruct(it *models.QueueItem) map[string]any {
	typ, anchor := string(it.Kind), "#ping-"
	if it.Kind == models.FeedbackComment {
		typ, anchor = "", "#comment-"
	}
	parent := "0" // WordPress's "no parent"
	if it.ParentID != nil {
		parent = idString(*it.ParentID)
	}
	return map[string]any{
		"comment_id": idString(it.ID), "post_id": idString(it.PostID), "post_title": it.PostTitle,
		"parent": parent, "user_id": "0", "status": wpCommentStatuses[it.Status], "type": typ,
		"date_created_gmt": it.CreatedAt, "content": it.Content, "author": it.AuthorName,
		"author_url": it.SourceURL, "author_email": it.AuthorEmail, "author_ip": it.IP,
		"link": a.BaseURL + it.PostPath + anchor + idString(it.ID),
	}
}

// rpcComment loads the item whose id is param i.
func (a *API) rpcComment(ctx context.Context, p xmlrpc.Params, i int) (*models.QueueItem, error) {
	id, err := paramID(p, i, msgNoComment)
	if err != nil {
		return nil, err
	}
	it, err := a.Feedback.FeedbackByID(ctx, id)
	return it, rpcFault(err, msgNoComment)
}

// wpGetComment: (blog_id, username, password, comment_id) → comment struct.
func (a *API) wpGetComment(ctx context.Context, p xmlrpc.Params) (any, error) {
	if _, err := a.moderator(ctx, p, 1); err != nil {
		return nil, err
	}
	it, err := a.rpcComment(ctx, p, 3)
	if err != nil {
		return nil, err
	}
	return a.commentStruct(it), nil
}

// wpEditComment: (blog_id, username, password, comment_id, {status,
// content, author, author_url, author_email}) → true. Status is one of
// hold, approve, spam and trash.
func (a *API) wpEditComment(ctx context.Context, p xmlrpc.Params) (any, error) {
	if _, err := a.moderator(ctx, p, 1); err != nil {
		return nil, err
	}
	it, err := a.rpcComment(ctx, p, 3)
	if err != nil {
		return nil, err
	}
	st, err := p.Struct(4)
	if err != nil {
		return nil, err
	}
	f := &it.Feedback
	if st.Has("status") {
		raw, err := st.String("status")
		if err != nil {
			return nil, err
		}
		status, ok := modStatus(raw)
		if !ok {
			return nil, notAllowed("Invalid comment status.")
		}
		f.Status = status
	}
	for key, dst := range map[string]*string{"content": &f.Content, "author": &f.AuthorName,
		"author_url": &f.SourceURL, "author_email": &f.AuthorEmail} {
		if st.Has(key) {
			if *dst, err = st.String(key); err != nil {
				return nil, err
			}
		}
	}
	if f.Kind == models.FeedbackComment {
		if err := f.ValidateComment(); err != nil {
			return nil, rpcFault(err, msgNoComment)
		}
	} else if err := f.ValidateLinkback(); err != nil {
		return nil, rpcFault(err, msgNoComment)
	}
	if err := a.Feedback.UpdateFeedback(ctx, f); err != nil {
		return nil, rpcFault(err, msgNoComment)
	}
	return true, nil
}

// wpDeleteComment: (blog_id, username, password, comment_id) → true. As in
// WordPress, an item goes to the trash first and is deleted from there.
func (a *API) wpDeleteComment(ctx context.Context, p xmlrpc.Params) (any, error) {
	if _, err := a.moderator(ctx, p, 1); err != nil {
		return nil, err
	}
	it, err := a.rpcComment(ctx, p, 3)
	if err != nil {
		return nil, err
	}
	if it.Status == models.ModTrash {
		err = a.Feedback.DeleteFeedback(ctx, it.ID)
	} else {
		err = a.Feedback.SetFeedbackStatus(ctx, models.ModTrash, it.ID)
	}
	if err != nil {
		return nil, rpcFault(err, msgNoComment)
	}
	return true, nil
}

// wpGetCommentCount: (blog_id, username, password, post_id) → counts for a
// post, or the whole blog when post_id is empty or 0. The total leaves the
// trash out, as WordPress's does.
func (a *API) wpGetCommentCount(ctx context.Context, p xmlrpc.Params) (any, error) {
	if _, err := a.rpcLogin(ctx, p, 1); err != nil {
		return nil, err
	}
	var postID int64
	if len(p) > 3 {
		id, err := structID(xmlrpc.Struct{"post_id": p[3]}, "post_id")
		if err != nil {
			return nil, err
		}
		postID = id
	}
	counts, err := a.Feedback.QueueCounts(ctx, "", postID)
	if err != nil {
		return nil, err
	}
	approved, held, spam := counts[models.ModApproved], counts[models.ModPending], counts[models.ModSpam]
	return map[string]any{"approved": approved, "awaiting_moderation": held, "spam": spam,
		"total_comments": approved + held + spam}, nil
}
