package xmlrpcapi

import (
	"context"
	"strings"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

func (a *API) registerMovableType(x *xmlrpc.Server) {
	x.RegisterAuthenticated("mt.getCategoryList", 1, a.mtGetCategoryList)
	x.RegisterAuthenticated("mt.getPostCategories", 1, a.mtGetPostCategories)
	x.RegisterAuthenticated("mt.setPostCategories", 1, a.mtSetPostCategories)
	x.RegisterAuthenticated("mt.getRecentPostTitles", 1, a.mtGetRecentPostTitles)
	x.RegisterAuthenticated("mt.publishPost", 1, a.mtPublishPost)
	x.Register("mt.getTrackbackPings", a.mtGetTrackbackPings)
	x.Register("mt.supportedMethods", func(context.Context, xmlrpc.Params) (any, error) {
		return x.Methods(), nil
	})
	// No text filters: the body is Markdown, which passes the clients' HTML through.
	x.Register("mt.supportedTextFilters", func(context.Context, xmlrpc.Params) (any, error) {
		return []any{}, nil
	})
}

// mtGetCategoryList: (blogid, username, password) → every tag as a category.
func (a *API) mtGetCategoryList(ctx context.Context, p xmlrpc.Params) (any, error) {
	full, err := a.mwGetCategories(ctx, p)
	if err != nil {
		return nil, err
	}
	cats := full.([]map[string]any)
	out := make([]map[string]any, len(cats))
	for i, c := range cats {
		out[i] = map[string]any{"categoryId": c["categoryId"], "categoryName": c["categoryName"]}
	}
	return out, nil
}

// mtGetPostCategories: (postid, username, password) → the post's categories.
func (a *API) mtGetPostCategories(ctx context.Context, p xmlrpc.Params) (any, error) {
	post, err := a.loggedInPost(ctx, p)
	if err != nil {
		return nil, err
	}
	if err := a.withCategories(ctx, post); err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(post.Categories))
	for i, c := range post.Categories {
		out[i] = map[string]any{"categoryId": idString(c.ID), "categoryName": c.Name, "isPrimary": i == 0}
	}
	return out, nil
}

// mtSetPostCategories: (postid, username, password, [{categoryId}]) → true.
// The post's categories become exactly these.
func (a *API) mtSetPostCategories(ctx context.Context, p xmlrpc.Params) (any, error) {
	post, _, err := a.editablePost(ctx, p)
	if err != nil {
		return nil, err
	}
	cats, err := p.Array(3)
	if err != nil {
		return nil, err
	}
	all, err := a.Categories.Categories(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]int64, len(all))
	for _, c := range all {
		byID[idString(c.ID)] = c.ID
	}
	ids := make([]int64, 0, len(cats))
	for _, c := range cats {
		member, err := xmlrpc.Params{c}.Struct(0)
		if err != nil {
			return nil, err
		}
		key, err := member.String("categoryId")
		if err != nil {
			return nil, err
		}
		id, ok := byID[strings.TrimSpace(key)]
		if !ok {
			return nil, &xmlrpc.Fault{Code: FaultNotFound, Message: "Invalid category ID."}
		}
		ids = append(ids, id)
	}
	if err := a.Categories.SetPostCategories(ctx, post.ID, ids); err != nil {
		return nil, rpcFault(err, msgNoPost)
	}
	return true, nil
}

// mtGetRecentPostTitles: (blogid, username, password, numberOfPosts) → titles only.
func (a *API) mtGetRecentPostTitles(ctx context.Context, p xmlrpc.Params) (any, error) {
	full, err := a.mwGetRecentPosts(ctx, p)
	if err != nil {
		return nil, err
	}
	posts := full.([]map[string]any)
	out := make([]map[string]any, len(posts))
	for i, post := range posts {
		out[i] = map[string]any{}
		for _, k := range []string{"postid", "userid", "title", "dateCreated", "date_created_gmt", "post_status"} {
			out[i][k] = post[k]
		}
	}
	return out, nil
}

// mtPublishPost: (postid, username, password) → true. A draft goes live now,
// or at its date if that is in the future.
func (a *API) mtPublishPost(ctx context.Context, p xmlrpc.Params) (any, error) {
	post, u, err := a.editablePost(ctx, p)
	if err != nil {
		return nil, err
	}
	if !u.Can(models.CapPublishPosts) {
		return nil, notAllowed("Sorry, you are not allowed to publish this post.")
	}
	if _, err := a.Writer.Publish(ctx, post.ID); err != nil {
		return nil, rpcFault(err, msgNoPost)
	}
	return true, nil
}

// mtGetTrackbackPings: (postid) → the approved linkbacks of a published
// post. It needs no login, as in Movable Type, so pingIP is left empty: the
// address a ping came from is not published.
func (a *API) mtGetTrackbackPings(ctx context.Context, p xmlrpc.Params) (any, error) {
	post, err := a.rpcPost(ctx, p, 0)
	if err != nil {
		return nil, err
	}
	if !post.IsPublic() {
		return nil, &xmlrpc.Fault{Code: FaultNotFound, Message: msgNoPost}
	}
	feedback, err := a.Feedback.ApprovedFeedback(ctx, post.ID)
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for _, f := range feedback {
		if f.Kind != models.FeedbackComment {
			out = append(out, map[string]any{"pingTitle": f.Title, "pingURL": f.SourceURL, "pingIP": ""})
		}
	}
	return out, nil
}
