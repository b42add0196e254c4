package handlers

import (
	"context"
	"fmt"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

const msgNoPost = "Invalid post ID."

func (s *Server) registerMetaWeblog(x *xmlrpc.Server) {
	x.Register("metaWeblog.newPost", s.mwNewPost)
	x.Register("metaWeblog.editPost", s.mwEditPost)
	x.Register("metaWeblog.getPost", s.mwGetPost)
	x.Register("metaWeblog.getRecentPosts", s.mwGetRecentPosts)
	x.Register("metaWeblog.getCategories", s.mwGetCategories)
	x.Register("metaWeblog.newMediaObject", s.mwNewMediaObject)
	x.Register("metaWeblog.deletePost", s.bloggerDeletePost) // WordPress's alias
}

// mwNewPost: (blogid, username, password, struct, publish) → postid.
func (s *Server) mwNewPost(ctx context.Context, p xmlrpc.Params) (any, error) {
	u, err := s.rpcLogin(ctx, p, 1)
	if err != nil {
		return nil, err
	}
	st, err := p.Struct(3)
	if err != nil {
		return nil, err
	}
	publish, err := optionalBool(p, 4)
	if err != nil {
		return nil, err
	}
	post := &models.Post{Kind: models.KindPost, AuthorID: u.ID, Status: models.StatusDraft, AllowComments: true, AllowPings: true}
	edit, err := applyPostStruct(post, st, publish, s.Now().UTC())
	if err != nil {
		return nil, err
	}
	if post.Kind == models.KindPage && !st.Has("mt_allow_pings") {
		post.AllowPings = false // as the editor's default for pages
	}
	if err := s.renderBody(post); err != nil {
		return nil, err
	}
	if err := s.createWithFreeSlug(ctx, post, edit.tags); err != nil {
		return nil, rpcFault(err, msgNoPost)
	}
	return idString(post.ID), nil
}

// createWithFreeSlug stores a new post; a slug another post has gets a
// number (-2, -3…), as WordPress does, since a client cannot pick another.
func (s *Server) createWithFreeSlug(ctx context.Context, post *models.Post, tags []string) error {
	base := post.Slug
	for n := 2; ; n++ {
		err := s.Posts.CreatePost(ctx, post, tags)
		fields := models.FieldErrors(err)
		if len(fields) != 1 || fields["slug"] == "" || n > 20 {
			return err
		}
		suffix := fmt.Sprintf("-%d", n)
		post.Slug = trimSlug(base, models.MaxSlugLen-len(suffix)) + suffix
	}
}

func trimSlug(slug string, n int) string {
	if len(slug) <= n {
		return slug
	}
	return models.Slugify(slug[:n])
}

func (s *Server) renderBody(post *models.Post) error {
	html, err := s.Markdown.HTML(post.Body)
	if err != nil {
		return err
	}
	post.BodyHTML = html
	return nil
}

// mwEditPost: (postid, username, password, struct, publish) → true.
func (s *Server) mwEditPost(ctx context.Context, p xmlrpc.Params) (any, error) {
	post, err := s.loggedInPost(ctx, p)
	if err != nil {
		return nil, err
	}
	st, err := p.Struct(3)
	if err != nil {
		return nil, err
	}
	publish, err := optionalBool(p, 4)
	if err != nil {
		return nil, err
	}
	edit, err := applyPostStruct(post, st, publish, s.Now().UTC())
	if err != nil {
		return nil, err
	}
	if !edit.setTags {
		edit.tags = tagNames(post.Tags)
	}
	if err := s.renderBody(post); err != nil {
		return nil, err
	}
	if err := s.Posts.UpdatePost(ctx, post, edit.tags); err != nil {
		return nil, rpcFault(err, msgNoPost)
	}
	return true, nil
}

// rpcPost loads the post whose id is param i.
func (s *Server) rpcPost(ctx context.Context, p xmlrpc.Params, i int) (*models.Post, error) {
	id, err := paramID(p, i, msgNoPost)
	if err != nil {
		return nil, err
	}
	post, err := s.Posts.PostByID(ctx, id)
	return post, rpcFault(err, msgNoPost)
}

// loggedInPost serves the calls shaped (postid, username, password, …):
// it checks the login, then loads the post.
func (s *Server) loggedInPost(ctx context.Context, p xmlrpc.Params) (*models.Post, error) {
	if _, err := s.rpcLogin(ctx, p, 1); err != nil {
		return nil, err
	}
	return s.rpcPost(ctx, p, 0)
}

// mwGetPost: (postid, username, password) → post struct.
func (s *Server) mwGetPost(ctx context.Context, p xmlrpc.Params) (any, error) {
	post, err := s.loggedInPost(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.postStruct(post), nil
}

// mwGetRecentPosts: (blogid, username, password, numberOfPosts) → posts of
// every status, newest first.
func (s *Server) mwGetRecentPosts(ctx context.Context, p xmlrpc.Params) (any, error) {
	if _, err := s.rpcLogin(ctx, p, 1); err != nil {
		return nil, err
	}
	n, err := optionalInt(p, 3, 10)
	if err != nil {
		return nil, err
	}
	posts, err := s.Posts.RecentPosts(ctx, models.KindPost, n)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(posts))
	for i := range posts {
		out[i] = s.postStruct(&posts[i])
	}
	return out, nil
}

// mwGetCategories: (blogid, username, password) → the tags, as categories.
func (s *Server) mwGetCategories(ctx context.Context, p xmlrpc.Params) (any, error) {
	if _, err := s.rpcLogin(ctx, p, 1); err != nil {
		return nil, err
	}
	tags, err := s.Posts.Tags(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(tags))
	for i, t := range tags {
		html := s.BaseURL + "/tag/" + t.Slug
		out[i] = map[string]any{"categoryId": idString(t.ID), "parentId": "0", "categoryName": t.Name,
			"title": t.Name, "description": t.Name, "categoryDescription": "", "htmlUrl": html, "rssUrl": html + "/feed"}
	}
	return out, nil
}

// mwNewMediaObject: (blogid, username, password, {name, type, bits}) →
// {id, file, url, type}. The type is found from the bytes; the client's
// claim is ignored.
func (s *Server) mwNewMediaObject(ctx context.Context, p xmlrpc.Params) (any, error) {
	if _, err := s.rpcLogin(ctx, p, 1); err != nil {
		return nil, err
	}
	st, err := p.Struct(3)
	if err != nil {
		return nil, err
	}
	name, err := st.String("name")
	if err != nil {
		return nil, err
	}
	bits, err := st.Bytes("bits")
	if err != nil {
		return nil, err
	}
	m, err := models.NewMedia(name, bits, s.MaxUploadBytes)
	if fields := models.FieldErrors(err); fields != nil {
		return nil, &xmlrpc.Fault{Code: faultUpload, Message: fields["file"]}
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.Media.AddMedia(ctx, m); err != nil {
		return nil, err
	}
	return map[string]any{"id": idString(m.ID), "file": m.Name, "url": s.BaseURL + m.Path(), "type": m.Mime}, nil
}

// optionalBool reads the trailing publish flag, false when absent.
func optionalBool(p xmlrpc.Params, i int) (bool, error) {
	if i >= len(p) || p[i] == nil || p[i] == "" {
		return false, nil
	}
	return p.Bool(i)
}
