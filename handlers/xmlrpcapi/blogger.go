package xmlrpcapi

import (
	"context"

	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

func (a *API) registerBlogger(x *xmlrpc.Server) {
	x.RegisterAuthenticated("blogger.getUsersBlogs", 1, a.bloggerGetUsersBlogs)
	x.RegisterAuthenticated("blogger.deletePost", 2, a.bloggerDeletePost)
}

// bloggerGetUsersBlogs: (appkey, username, password) → the one blog.
func (a *API) bloggerGetUsersBlogs(ctx context.Context, p xmlrpc.Params) (any, error) {
	if _, err := a.rpcLogin(ctx, p, 1); err != nil {
		return nil, err
	}
	return a.usersBlogs(ctx), nil
}

func (a *API) usersBlogs(ctx context.Context) []map[string]any {
	site, err := a.Site(ctx)
	if err != nil {
		a.Log.Error("load settings", "err", err)
	}
	return []map[string]any{{"blogid": blogID, "blogName": site.Title, "url": a.BaseURL + "/",
		"xmlrpc": a.BaseURL + "/xmlrpc", "isAdmin": true}}
}

// bloggerDeletePost: (appkey, postid, username, password, publish) → true.
func (a *API) bloggerDeletePost(ctx context.Context, p xmlrpc.Params) (any, error) {
	if _, err := a.rpcLogin(ctx, p, 2); err != nil {
		return nil, err
	}
	id, err := paramID(p, 1, msgNoPost)
	if err != nil {
		return nil, err
	}
	if _, err := a.Writer.Delete(ctx, id); err != nil {
		return nil, rpcFault(err, msgNoPost)
	}
	return true, nil
}
