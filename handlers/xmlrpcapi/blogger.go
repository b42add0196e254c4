package xmlrpcapi

import (
	"context"

	"github.com/crosstalk/crosstalk/models"

	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

func (a *API) registerBlogger(x *xmlrpc.Server) {
	x.RegisterAuthenticated("blogger.getUsersBlogs", 1, a.bloggerGetUsersBlogs)
	x.RegisterAuthenticated("blogger.deletePost", 2, a.bloggerDeletePost)
}

// bloggerGetUsersBlogs: (appkey, username, password) → the one blog.
func (a *API) bloggerGetUsersBlogs(ctx context.Context, p xmlrpc.Params) (any, error) {
	u, err := a.rpcLogin(ctx, p, 1)
	if err != nil {
		return nil, err
	}
	return a.usersBlogs(ctx, u), nil
}

func (a *API) usersBlogs(ctx context.Context, u *models.User) []map[string]any {
	site, err := a.Site(ctx)
	if err != nil {
		a.Log.Error("load settings", "err", err)
	}
	return []map[string]any{{"blogid": blogID, "blogName": site.Title, "url": a.BaseURL + "/",
		"xmlrpc": a.BaseURL + "/xmlrpc", "isAdmin": u.Can(models.CapManageOptions)}}
}

// bloggerDeletePost: (appkey, postid, username, password, publish) → true.
func (a *API) bloggerDeletePost(ctx context.Context, p xmlrpc.Params) (any, error) {
	u, err := a.rpcLogin(ctx, p, 2)
	if err != nil {
		return nil, err
	}
	return a.trash(ctx, p, 1, u) // WordPress moves it to the trash
}
