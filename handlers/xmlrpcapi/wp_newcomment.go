package xmlrpcapi

import (
	"context"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// faultComment is WordPress's code for a comment it refuses (closed post,
// empty text, a bad parent).
const faultComment = 403

// wpNewComment: (blog_id, username, password, post_id, {comment_parent,
// content, author, author_url, author_email}) → the new comment's id. As
// in WordPress, the comment is the logged-in user's (their name and email,
// the struct's author fields are ignored), approved for those who moderate
// or wrote the post and held otherwise when the site holds comments; a
// reply nests under comment_parent, within the site's thread depth.
func (a *API) wpNewComment(ctx context.Context, p xmlrpc.Params) (any, error) {
	u, err := a.rpcLogin(ctx, p, 1)
	if err != nil {
		return nil, err
	}
	postID, err := paramID(p, 3, msgNoPost)
	if err != nil {
		return nil, err
	}
	post, err := a.Posts.PostByID(ctx, postID)
	if err != nil {
		return nil, rpcFault(err, msgNoPost)
	}
	if !post.IsPublic() {
		return nil, &xmlrpc.Fault{Code: FaultNotFound, Message: msgNoPost}
	}
	if !post.AllowComments {
		return nil, &xmlrpc.Fault{Code: faultComment, Message: "Sorry, comments are closed for this item."}
	}
	st, err := p.Struct(4)
	if err != nil {
		return nil, err
	}
	content, err := st.String("content")
	if err != nil {
		return nil, err
	}
	parentID, err := structID(st, "comment_parent")
	if err != nil {
		return nil, err
	}
	site, err := a.Site(ctx)
	if err != nil {
		return nil, err
	}
	f := &models.Feedback{PostID: post.ID, Kind: models.FeedbackComment, Status: models.ModApproved,
		AuthorName: u.Byline(), AuthorEmail: u.Email, Content: content, IP: ClientIP(ctx), UserAgent: "XML-RPC"}
	moderates := u.Role == models.RoleAdministrator || u.Role == models.RoleEditor || u.ID == post.AuthorID
	if site.ModerateAll && !moderates {
		f.Status = models.ModPending
	}
	f.Normalize()
	if err := f.ValidateComment(); err != nil {
		return nil, &xmlrpc.Fault{Code: faultComment, Message: fieldMessages(models.FieldErrors(err))}
	}
	if parentID > 0 {
		t, err := a.Feedback.ReplyThread(ctx, post.ID, parentID, site.ThreadDepth)
		if fields := models.FieldErrors(err); fields != nil {
			return nil, &xmlrpc.Fault{Code: faultComment, Message: fieldMessages(fields)}
		} else if err != nil {
			return nil, err
		}
		f.ParentID = t.ParentID
	}
	if _, err := a.Feedback.AddFeedback(ctx, f); err != nil {
		return nil, err
	}
	return int(f.ID), nil
}
