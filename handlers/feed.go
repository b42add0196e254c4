package handlers

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/feeds"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/markup"
)

const feedSize = 20

func (s *Server) siteFeed(c *gin.Context) {
	site, err := s.site.get(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.writeFeed(c, site.Title, s.BaseURL+"/", site.Tagline, models.PostFilter{})
}

func (s *Server) tagFeed(c *gin.Context) {
	ctx := c.Request.Context()
	tag, err := s.Posts.TagBySlug(ctx, c.Param("tag"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	site, err := s.site.get(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.writeFeed(c, site.Title+" #"+tag.Name, s.BaseURL+"/tag/"+tag.Slug, "Posts tagged "+tag.Name,
		models.PostFilter{TagSlug: tag.Slug})
}

// writeFeed answers RSS 2.0, or Atom when the path ends in /atom.
func (s *Server) writeFeed(c *gin.Context, title, link, description string, f models.PostFilter) {
	f.Limit = feedSize
	posts, err := s.Posts.PublishedPosts(c.Request.Context(), f)
	if err != nil {
		s.renderError(c, err)
		return
	}
	feed := &feeds.Feed{Title: title, Link: &feeds.Link{Href: link}, Description: description, Id: link}
	for _, p := range posts {
		permalink := s.BaseURL + p.Path()
		published := p.CreatedAt
		if p.PublishedAt != nil {
			published = *p.PublishedAt
		}
		summary := p.Excerpt
		if summary == "" {
			summary = markup.Cut(markup.Text(p.BodyHTML), 300)
		}
		feed.Items = append(feed.Items, &feeds.Item{
			Title: p.Title, Link: &feeds.Link{Href: permalink}, Id: permalink,
			Description: summary, Content: p.BodyHTML, Created: published, Updated: p.UpdatedAt,
		})
		if published.After(feed.Updated) {
			feed.Updated = published
		}
	}
	if feed.Updated.IsZero() {
		feed.Updated = time.Unix(0, 0).UTC()
	}
	var (
		body string
		ct   string
	)
	if strings.HasSuffix(c.Request.URL.Path, "/atom") {
		body, err = feed.ToAtom()
		ct = "application/atom+xml; charset=utf-8"
	} else {
		body, err = feed.ToRss()
		ct = "application/rss+xml; charset=utf-8"
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, ct, []byte(body))
}
