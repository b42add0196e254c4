package xmlrpcapi

import (
	"context"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// Roles over XML-RPC follow the same table as the admin (models.Can,
// models.User.CanEditPost and the post service's CheckWrite), with
// WordPress's faults: 401 and its "Sorry, you are not allowed to…" wording.

// moderator logs in the user at params i and i+1 and requires that they
// moderate comments (wp.getComments and the other comment calls).
func (a *API) moderator(ctx context.Context, p xmlrpc.Params, i int) (*models.User, error) {
	u, err := a.rpcLogin(ctx, p, i)
	if err != nil {
		return nil, err
	}
	if !u.Can(models.CapModerate) {
		return nil, notAllowed("Sorry, you are not allowed to edit comments.")
	}
	return u, nil
}

// editablePost serves calls shaped (postid, username, password, …): it
// logs in, loads the post and requires that the user may edit it.
func (a *API) editablePost(ctx context.Context, p xmlrpc.Params) (*models.Post, *models.User, error) {
	u, err := a.rpcLogin(ctx, p, 1)
	if err != nil {
		return nil, nil, err
	}
	post, err := a.rpcPost(ctx, p, 0)
	if err != nil {
		return nil, nil, err
	}
	if !u.CanEditPost(post) {
		return nil, nil, notAllowed("Sorry, you are not allowed to edit this post.")
	}
	return post, u, nil
}

// wpDeletePost: (blog_id, username, password, post_id) → true. Like
// WordPress it moves the post to the trash.
func (a *API) wpDeletePost(ctx context.Context, p xmlrpc.Params) (any, error) {
	u, err := a.rpcLogin(ctx, p, 1)
	if err != nil {
		return nil, err
	}
	return a.trash(ctx, p, 3, u)
}

// trash moves the post whose id is param i to the trash for u, or, if it
// is in the trash already, deletes it for good: WordPress's wp_delete_post.
func (a *API) trash(ctx context.Context, p xmlrpc.Params, i int, u *models.User) (any, error) {
	id, err := paramID(p, i, msgNoPost)
	if err != nil {
		return nil, err
	}
	post, err := a.Posts.PostByID(ctx, id)
	if err == nil && post.Status == models.StatusTrash {
		_, err = a.Writer.DeleteForGood(ctx, id, u)
	} else if err == nil {
		_, err = a.Writer.Trash(ctx, id, u)
	}
	if err != nil {
		return nil, rpcFault(err, msgNoPost)
	}
	return true, nil
}
