package xmlrpcapi

import (
	"context"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/posts"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

const msgNoPost = "Invalid post ID."

func (a *API) registerMetaWeblog(x *xmlrpc.Server) {
	x.RegisterAuthenticated("metaWeblog.newPost", 1, a.mwNewPost)
	x.RegisterAuthenticated("metaWeblog.editPost", 1, a.mwEditPost)
	x.RegisterAuthenticated("metaWeblog.getPost", 1, a.mwGetPost)
	x.RegisterAuthenticated("metaWeblog.getRecentPosts", 1, a.mwGetRecentPosts)
	x.RegisterAuthenticated("metaWeblog.getCategories", 1, a.mwGetCategories)
	x.RegisterAuthenticated("metaWeblog.newMediaObject", 1, a.mwNewMediaObject)
	x.RegisterAuthenticated("metaWeblog.deletePost", 2, a.bloggerDeletePost) // WordPress's alias
}

// mwNewPost: (blogid, username, password, struct, publish) → postid.
func (a *API) mwNewPost(ctx context.Context, p xmlrpc.Params) (any, error) {
	u, err := a.rpcLogin(ctx, p, 1)
	if err != nil {
		return nil, err
	}
	st, publish, err := contentParams(p)
	if err != nil {
		return nil, err
	}
	post := &models.Post{Kind: models.KindPost, AuthorID: u.ID, Status: models.StatusDraft, AllowComments: true, AllowPings: true}
	edit, err := applyPostStruct(post, st, publish, a.Writer.Now())
	if err != nil {
		return nil, err
	}
	if post.Kind == models.KindPage && !st.Has("mt_allow_pings") {
		post.AllowPings = false // as the editor's default for pages
	}
	// A taken slug gets a number (-2, -3…): a client cannot pick another.
	if err := a.Writer.Create(ctx, post, posts.Edit{Tags: edit.tags, NumberSlug: true, By: u}); err != nil {
		return nil, rpcFault(err, msgNoPost)
	}
	if edit.setCategories && post.Kind == models.KindPost {
		if err := a.fileUnder(ctx, post, edit.categories); err != nil {
			return nil, err
		}
	}
	return idString(post.ID), nil
}

// mwEditPost: (postid, username, password, struct, publish) → true.
func (a *API) mwEditPost(ctx context.Context, p xmlrpc.Params) (any, error) {
	post, u, err := a.editablePost(ctx, p)
	if err != nil {
		return nil, err
	}
	st, publish, err := contentParams(p)
	if err != nil {
		return nil, err
	}
	edit, err := applyPostStruct(post, st, publish, a.Writer.Now())
	if err != nil {
		return nil, err
	}
	if !edit.setTags {
		edit.tags = posts.TagNames(post.Tags)
	}
	if err := a.Writer.Update(ctx, post, posts.Edit{Tags: edit.tags, By: u}); err != nil {
		return nil, rpcFault(err, msgNoPost)
	}
	if edit.setCategories && post.Kind == models.KindPost {
		if err := a.fileUnder(ctx, post, edit.categories); err != nil {
			return nil, err
		}
	}
	return true, nil
}

// rpcPost loads the post whose id is param i.
func (a *API) rpcPost(ctx context.Context, p xmlrpc.Params, i int) (*models.Post, error) {
	id, err := paramID(p, i, msgNoPost)
	if err != nil {
		return nil, err
	}
	post, err := a.Posts.PostByID(ctx, id)
	return post, rpcFault(err, msgNoPost)
}

// loggedInPost serves the calls shaped (postid, username, password, …):
// it checks the login, then loads the post.
func (a *API) loggedInPost(ctx context.Context, p xmlrpc.Params) (*models.Post, error) {
	if _, err := a.rpcLogin(ctx, p, 1); err != nil {
		return nil, err
	}
	return a.rpcPost(ctx, p, 0)
}

// mwGetPost: (postid, username, password) → post struct.
func (a *API) mwGetPost(ctx context.Context, p xmlrpc.Params) (any, error) {
	post, _, err := a.editablePost(ctx, p)
	if err != nil {
		return nil, err
	}
	if err := a.withCategories(ctx, post); err != nil {
		return nil, err
	}
	return a.postStruct(post), nil
}

// mwGetRecentPosts: (blogid, username, password, numberOfPosts) → posts of
// every status, newest first.
func (a *API) mwGetRecentPosts(ctx context.Context, p xmlrpc.Params) (any, error) {
	u, err := a.rpcLogin(ctx, p, 1)
	if err != nil {
		return nil, err
	}
	n, err := optionalInt(p, 3, 10)
	if err != nil {
		return nil, err
	}
	recent, err := a.Posts.RecentPosts(ctx, models.KindPost, n)
	if err != nil {
		return nil, err
	}
	ptrs := make([]*models.Post, len(recent))
	for i := range recent {
		ptrs[i] = &recent[i]
	}
	if err := a.withCategories(ctx, ptrs...); err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(recent))
	for i := range recent {
		if u.CanEditPost(&recent[i]) { // as WordPress, only posts the user may edit
			out = append(out, a.postStruct(&recent[i]))
		}
	}
	return out, nil
}

// mwGetCategories: (blogid, username, password) → the categories.
func (a *API) mwGetCategories(ctx context.Context, p xmlrpc.Params) (any, error) {
	if _, err := a.rpcLogin(ctx, p, 1); err != nil {
		return nil, err
	}
	cats, err := a.Categories.Categories(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(cats))
	for i, c := range cats {
		html := a.BaseURL + "/category/" + c.Slug
		parent := "0"
		if c.ParentID != nil {
			parent = idString(*c.ParentID)
		}
		out[i] = map[string]any{"categoryId": idString(c.ID), "parentId": parent, "categoryName": c.Name,
			"title": c.Name, "description": c.Name, "categoryDescription": c.Description, "htmlUrl": html, "rssUrl": html + "/feed"}
	}
	return out, nil
}

// mwNewMediaObject: (blogid, username, password, {name, type, bits}) →
// {id, file, url, type}. The type is found from the bytes; the client's
// claim is ignored.
func (a *API) mwNewMediaObject(ctx context.Context, p xmlrpc.Params) (any, error) {
	u, err := a.rpcLogin(ctx, p, 1)
	if err != nil {
		return nil, err
	}
	if !u.Can(models.CapUploadFiles) {
		return nil, notAllowed("Sorry, you are not allowed to upload files.")
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
	m, err := models.NewMedia(name, bits, a.MaxUploadBytes)
	if fields := models.FieldErrors(err); fields != nil {
		return nil, &xmlrpc.Fault{Code: FaultUpload, Message: fields["file"]}
	}
	if err != nil {
		return nil, err
	}
	if _, err := a.Media.AddMedia(ctx, m); err != nil {
		return nil, err
	}
	return map[string]any{"id": idString(m.ID), "file": m.Name, "url": a.BaseURL + m.Path(), "type": m.Mime}, nil
}

// contentParams reads newPost's and editPost's content struct (param 3)
// and publish flag (param 4).
func contentParams(p xmlrpc.Params) (xmlrpc.Struct, bool, error) {
	st, err := p.Struct(3)
	if err != nil {
		return nil, false, err
	}
	publish, err := optionalBool(p, 4)
	return st, publish, err
}

// optionalBool reads the trailing publish flag, false when absent.
func optionalBool(p xmlrpc.Params, i int) (bool, error) {
	if i >= len(p) || p[i] == nil || p[i] == "" {
		return false, nil
	}
	return p.Bool(i)
}
