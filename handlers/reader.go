package handlers

import (
	"context"
	"html/template"
	"net/url"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/markup"
	"github.com/crosstalk/crosstalk/views"
)

// readerLayout adds what every reader-facing page shows around its
// content: the header menu, the site icon, and the date display settings.
func (s *Server) readerLayout(c *gin.Context, l *views.Layout) {
	s.Views.SetSite(l.Site)
	l.Icon = "/favicon.ico" // a path: the Content-Security-Policy allows 'self'
	if l.Site.Icon != "" {
		l.Icon = l.Site.Icon
	}
	if l.Admin {
		return
	}
	pages, err := s.menu.get(c.Request.Context())
	if err != nil { // the page still shows, without its menu
		s.Log.ErrorContext(c.Request.Context(), "load menu", "err", err)
		return
	}
	l.Menu = menuTree(pages, c.Request.URL.Path)
}

// menuTree nests the menu's pages one level: a page whose parent is a
// top-level menu page goes under it; any other page is top-level.
func menuTree(pages []models.Post, current string) []views.MenuItem {
	top := map[int64]int{} // page id → index in out
	var out []views.MenuItem
	item := func(p *models.Post) views.MenuItem {
		return views.MenuItem{Title: p.Title, URL: p.Path(), Current: p.Path() == current}
	}
	for i := range pages {
		if p := &pages[i]; p.ParentID == nil || !hasPage(pages, *p.ParentID) {
			top[p.ID] = len(out)
			out = append(out, item(p))
		}
	}
	for i := range pages {
		p := &pages[i]
		if p.ParentID == nil {
			continue
		}
		if at, ok := top[*p.ParentID]; ok {
			out[at].Children = append(out[at].Children, item(p))
		} else if _, isTop := top[p.ID]; !isTop { // a grandchild: shown at the top
			out = append(out, item(p))
		}
	}
	return out
}

func hasPage(pages []models.Post, id int64) bool {
	for i := range pages {
		if pages[i].ID == id {
			return true
		}
	}
	return false
}

// moreMark is WordPress's teaser break, <!--more--> or <!--more Link text-->.
var moreMark = regexp.MustCompile(`<!--more(.*?)-->`)

// teaser is how a post shows in a list: its excerpt, or its text up to
// <!--more-->, each followed by "Continue reading"; else its whole text.
func (s *Server) teaser(ctx context.Context, p *models.Post) views.Teaser {
	if p.Excerpt != "" {
		return views.Teaser{Excerpt: p.Excerpt, More: true}
	}
	loc := moreMark.FindStringSubmatchIndex(p.Body)
	if loc == nil {
		return views.Teaser{HTML: template.HTML(p.BodyHTML)} //nolint:gosec // G203: sanitised when the post was saved
	}
	html, err := s.Markdown.HTML(ctx, p.Body[:loc[0]])
	if err != nil {
		return views.Teaser{HTML: template.HTML(p.BodyHTML)} //nolint:gosec // G203: sanitised when the post was saved
	}
	return views.Teaser{HTML: template.HTML(html), More: true, //nolint:gosec // G203: the renderer sanitises
		MoreText: strings.TrimSpace(p.Body[loc[2]:loc[3]])}
}

// decorateList adds teasers, bylines and categories to a list of posts.
func (s *Server) decorateList(ctx context.Context, data *views.ListPage) error {
	ptrs := make([]*models.Post, len(data.Posts))
	for i := range data.Posts {
		ptrs[i] = &data.Posts[i]
		data.Teasers = append(data.Teasers, s.teaser(ctx, ptrs[i]))
	}
	if err := s.Reader.LoadCategories(ctx, ptrs); err != nil {
		return err
	}
	bylines, err := s.bylines(ctx, data.Posts)
	data.Bylines = bylines
	return err
}

// bylines names the authors of posts, linking their archives.
func (s *Server) bylines(ctx context.Context, posts []models.Post) ([]views.Byline, error) {
	users, err := s.authors.get(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*models.User, len(users))
	for i := range users {
		byID[users[i].ID] = &users[i]
	}
	out := make([]views.Byline, len(posts))
	for i, p := range posts {
		if u := byID[p.AuthorID]; u != nil {
			out[i] = views.Byline{Name: u.Byline(), URL: s.BaseURL + "/author/" + url.PathEscape(u.Name)}
		}
	}
	return out, nil
}

// decoratePost adds a post page's categories, byline, previous and next
// posts, description and link-preview data.
func (s *Server) decoratePost(ctx context.Context, data *views.PostPage) error {
	p := data.Post
	data.Description = p.Excerpt
	if data.Description == "" {
		data.Description = markup.Cut(markup.Text(p.BodyHTML), 160)
	}
	data.Share = views.Share{Type: "article", Title: p.Title}
	if p.FeaturedMediaID != nil {
		if m, err := s.Media.MediaByID(ctx, *p.FeaturedMediaID); err == nil {
			data.Share.Image = s.BaseURL + m.Path()
		}
	}
	if p.Kind != models.KindPost {
		return nil
	}
	s.fediverseLinks(ctx, &data.Layout, p)
	if err := s.Reader.LoadCategories(ctx, []*models.Post{p}); err != nil {
		return err
	}
	bylines, err := s.bylines(ctx, []models.Post{*p})
	if err != nil {
		return err
	}
	data.Byline = bylines[0]
	data.Neighbours.Prev, data.Neighbours.Next, err = s.Reader.AdjacentPosts(ctx, p)
	return err
}
