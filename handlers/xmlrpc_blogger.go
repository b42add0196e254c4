package handlers

import (
	"context"

	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

func (s *Server) registerBlogger(x *xmlrpc.Server) {
	x.Register("blogger.getUsersBlogs", s.bloggerGetUsersBlogs)
	x.Register("blogger.deletePost", s.bloggerDeletePost)
}

// bloggerGetUsersBlogs: (appkey, username, password) → the one blog.
func (s *Server) bloggerGetUsersBlogs(ctx context.Context, p xmlrpc.Params) (any, error) {
	if _, err := s.rpcLogin(ctx, p, 1); err != nil {
		return nil, err
	}
	return s.usersBlogs(ctx), nil
}

func (s *Server) usersBlogs(ctx context.Context) []map[string]any {
	site, err := s.site.get(ctx)
	if err != nil {
		s.Log.Error("load settings", "err", err)
	}
	return []map[string]any{{"blogid": blogID, "blogName": site.Title, "url": s.BaseURL + "/",
		"xmlrpc": s.BaseURL + "/xmlrpc", "isAdmin": true}}
}

// bloggerDeletePost: (appkey, postid, username, password, publish) → true.
func (s *Server) bloggerDeletePost(ctx context.Context, p xmlrpc.Params) (any, error) {
	if _, err := s.rpcLogin(ctx, p, 2); err != nil {
		return nil, err
	}
	id, err := paramID(p, 1, msgNoPost)
	if err != nil {
		return nil, err
	}
	if err := s.Posts.DeletePost(ctx, id); err != nil {
		return nil, rpcFault(err, msgNoPost)
	}
	return true, nil
}
