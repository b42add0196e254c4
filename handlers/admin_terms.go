package handlers

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// zone is the blog's time zone, in which the editor shows and reads times.
func (s *Server) zone(c *gin.Context) *time.Location {
	site, err := s.site.get(c.Request.Context())
	if err != nil {
		return time.UTC
	}
	return site.Location()
}

// formIDs reads checkbox values as ids, skipping malformed ones.
func formIDs(values []string) []int64 {
	var ids []int64
	for _, v := range values {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// formIDOrZero reads an optional id (0 when empty or malformed).
func formIDOrZero(v string) int64 {
	if ids := formIDs([]string{v}); len(ids) == 1 {
		return ids[0]
	}
	return 0
}

// applyMenuFields copies a page's menu order and "show in menu".
func applyMenuFields(post *models.Post, f views.PostForm) error {
	if !f.MenuFields {
		return nil
	}
	post.HideFromMenu = !f.ShowInMenu
	post.ParentID = nil
	if f.ParentID != 0 && f.ParentID != post.ID {
		post.ParentID = &f.ParentID
	}
	post.MenuOrder = 0
	if f.MenuOrder != "" {
		n, err := strconv.Atoi(f.MenuOrder)
		if err != nil || n < -100000 || n > 100000 {
			return &models.ValidationError{Fields: map[string]string{"menu_order": "Use a whole number (lower comes first)."}}
		}
		post.MenuOrder = n
	}
	return nil
}

// saveCategories files a saved post under the ticked categories and the
// new ones named in the form (an existing slug is reused), then tells the
// caches: the post's page and the category archives change.
func (s *Server) saveCategories(c *gin.Context, post *models.Post, f views.PostForm) error {
	if post.Kind != models.KindPost {
		return nil
	}
	ctx := c.Request.Context()
	ids := f.CategoryIDs
	for _, name := range strings.Split(f.NewCategory, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		cat, err := s.Reader.CategoryBySlug(ctx, models.Slugify(name))
		if err != nil {
			cat = &models.Category{Name: name}
			if err := s.Reader.SaveCategory(ctx, cat); err != nil {
				return err
			}
		}
		ids = append(ids, cat.ID)
	}
	if err := s.Reader.SetPostCategories(ctx, post.ID, ids); err != nil {
		return err
	}
	s.Changes.Changed(ctx, models.Change{Kind: models.ChangePost, PostID: post.ID})
	s.Changes.Changed(ctx, models.Change{Kind: models.ChangeLists})
	return nil
}

// editorChoices fills the editor's category checkboxes (as a tree) and
// the time zone its publication time is typed in.
func (s *Server) editorChoices(c *gin.Context, page *views.EditPage) {
	page.Zone = page.Site.Timezone
	if page.Zone == "" {
		page.Zone = "UTC"
	}
	if page.Form.Kind == string(models.KindPage) {
		pages, err := s.Posts.AdminPosts(c.Request.Context(), models.KindPage, "", 0, 200)
		if err != nil {
			s.Log.ErrorContext(c.Request.Context(), "load pages", "err", err)
		}
		for _, p := range pages {
			if p.ID != page.Form.ID && (p.ParentID == nil || *p.ParentID != page.Form.ID) {
				page.Parents = append(page.Parents, p)
			}
		}
		return
	}
	all, err := s.Reader.Categories(c.Request.Context())
	if err != nil {
		s.Log.ErrorContext(c.Request.Context(), "load categories", "err", err)
		return
	}
	checked := map[int64]bool{}
	for _, id := range page.Form.CategoryIDs {
		checked[id] = true
	}
	page.Categories = categoryChoices(all, checked)
}

// categoryChoices orders categories as a tree: each under its parent,
// indented by depth, siblings by name.
func categoryChoices(all []models.Category, checked map[int64]bool) []views.CategoryChoice {
	children := map[int64][]models.Category{}
	known := map[int64]bool{}
	for _, c := range all {
		known[c.ID] = true
	}
	for _, c := range all {
		parent := int64(0)
		if c.ParentID != nil && known[*c.ParentID] && *c.ParentID != c.ID {
			parent = *c.ParentID
		}
		children[parent] = append(children[parent], c)
	}
	var out []views.CategoryChoice
	seen := map[int64]bool{}
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		list := children[parent]
		sort.SliceStable(list, func(i, j int) bool { return strings.ToLower(list[i].Name) < strings.ToLower(list[j].Name) })
		for _, c := range list {
			if seen[c.ID] || depth > 10 {
				continue
			}
			seen[c.ID] = true
			out = append(out, views.CategoryChoice{Category: c, Depth: depth, Checked: checked[c.ID]})
			walk(c.ID, depth+1)
		}
	}
	walk(0, 0)
	return out
}
