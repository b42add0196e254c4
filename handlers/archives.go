package handlers

import (
	"context"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// archive is a category's or an author's listing: its heading, address,
// filter and feeds.
type archive struct {
	name    string // "Soup" or the author's byline
	heading string
	intro   string
	path    string // "/category/soup"
	filter  models.PostFilter
}

// categoryArchive finds the category of the path and the ids of it and
// every category under it: a category's archive shows its children's
// posts too, as WordPress's does.
func (s *Server) categoryArchive(ctx context.Context, slug string) (archive, error) {
	cat, err := s.Reader.CategoryBySlug(ctx, slug)
	if err != nil {
		return archive{}, err
	}
	all, err := s.Reader.Categories(ctx)
	if err != nil {
		return archive{}, err
	}
	return archive{name: cat.Name, heading: "Posts filed under " + cat.Name, intro: cat.Description,
		path: "/category/" + url.PathEscape(cat.Slug), filter: models.PostFilter{CategoryIDs: categoryTree(all, cat.ID)}}, nil
}

// categoryTree is id and the ids of every category below it.
func categoryTree(all []models.Category, id int64) []int64 {
	ids := []int64{id}
	seen := map[int64]bool{id: true}
	for i := 0; i < len(ids); i++ { // breadth first; seen guards against a cycle
		for _, c := range all {
			if c.ParentID != nil && *c.ParentID == ids[i] && !seen[c.ID] {
				seen[c.ID] = true
				ids = append(ids, c.ID)
			}
		}
	}
	return ids
}

// authorArchive finds the author of the path (one who has published).
func (s *Server) authorArchive(ctx context.Context, name string) (archive, error) {
	u, err := s.Reader.AuthorByName(ctx, name)
	if err != nil {
		return archive{}, err
	}
	return archive{name: u.Byline(), heading: "Posts by " + u.Byline(), intro: u.Bio,
		path: "/author/" + url.PathEscape(u.Name), filter: models.PostFilter{AuthorID: u.ID}}, nil
}

func (s *Server) categoryPosts(c *gin.Context) {
	a, err := s.categoryArchive(c.Request.Context(), c.Param("slug"))
	s.archivePage(c, a, err)
}

func (s *Server) authorPosts(c *gin.Context) {
	a, err := s.authorArchive(c.Request.Context(), c.Param("name"))
	s.archivePage(c, a, err)
}

// archivePage lists an archive's posts with its feeds advertised.
func (s *Server) archivePage(c *gin.Context, a archive, err error) {
	if err != nil {
		s.renderError(c, err)
		return
	}
	l := s.layout(c, a.name)
	l.Canonical = s.BaseURL + a.path
	l.Description = a.intro
	l.Feeds = []views.Feed{
		{Title: l.Site.Title + " · " + a.name + " (RSS)", Type: "application/rss+xml", URL: l.Canonical + "/feed"},
		{Title: l.Site.Title + " · " + a.name + " (Atom)", Type: "application/atom+xml", URL: l.Canonical + "/feed/atom"},
	}
	s.listPostsOr404(c, l, views.ListPage{Heading: a.heading, Intro: a.intro}, a.filter, false, false)
}

func (s *Server) categoryFeed(c *gin.Context) {
	a, err := s.categoryArchive(c.Request.Context(), c.Param("slug"))
	s.archiveFeed(c, a, err)
}

func (s *Server) authorFeed(c *gin.Context) {
	a, err := s.authorArchive(c.Request.Context(), c.Param("name"))
	s.archiveFeed(c, a, err)
}

// archiveFeed answers an archive's RSS or Atom feed.
func (s *Server) archiveFeed(c *gin.Context, a archive, err error) {
	if err != nil {
		s.renderError(c, err)
		return
	}
	site, err := s.site.get(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	desc := a.intro
	if desc == "" {
		desc = a.heading
	}
	s.writeFeed(c, site, feedChannel{Title: site.Title + " · " + a.name, Link: s.BaseURL + a.path, Description: desc}, a.filter)
}
