package xmlrpcapi

import (
	"context"
	"strings"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// CategoryStore keeps the blog's categories. As in WordPress, MetaWeblog's
// categories and Movable Type's category calls name categories, and
// mt_keywords names tags.
type CategoryStore interface {
	Categories(ctx context.Context) ([]models.Category, error)
	SaveCategory(ctx context.Context, c *models.Category) error
	SetPostCategories(ctx context.Context, postID int64, categoryIDs []int64) error
	LoadCategories(ctx context.Context, posts []*models.Post) error
}

// fileUnder files a post under the categories named, making the ones
// that do not exist yet (WordPress ignores unknown names; a client such as
// MarsEdit that offers new categories would lose them).
func (a *API) fileUnder(ctx context.Context, post *models.Post, names []string) error {
	all, err := a.Categories.Categories(ctx)
	if err != nil {
		return err
	}
	bySlug := make(map[string]int64, len(all))
	for _, c := range all {
		bySlug[c.Slug] = c.ID
	}
	var ids []int64
	for _, name := range models.UniqueTags(names) {
		id, ok := bySlug[models.Slugify(name)]
		if !ok {
			c := &models.Category{Name: name}
			if err := a.Categories.SaveCategory(ctx, c); err != nil {
				return err
			}
			id = c.ID
		}
		ids = append(ids, id)
	}
	return a.Categories.SetPostCategories(ctx, post.ID, ids)
}

// withCategories loads the categories of posts for their structs.
func (a *API) withCategories(ctx context.Context, posts ...*models.Post) error {
	return a.Categories.LoadCategories(ctx, posts)
}

func categoryNames(p *models.Post) []string {
	names := make([]string, len(p.Categories))
	for i, c := range p.Categories {
		names[i] = c.Name
	}
	return names
}

// categoriesOf reads MetaWeblog's categories (an array of names).
func categoriesOf(st xmlrpc.Struct) ([]string, bool, error) {
	if !st.Has("categories") {
		return nil, false, nil
	}
	names, err := st.Strings("categories")
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
	}
	return names, err == nil, err
}
