package handlers

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

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
	s.writeFeed(c, site, feedChannel{Title: site.Title, Link: s.BaseURL + "/", Description: site.Tagline},
		models.PostFilter{})
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
	s.writeFeed(c, site, feedChannel{Title: site.Title + " #" + tag.Name, Link: s.BaseURL + "/tag/" + tag.Slug,
		Description: "Posts tagged " + tag.Name}, models.PostFilter{TagSlug: tag.Slug})
}

// writeFeed answers RSS 2.0, or Atom when the path ends in /atom.
func (s *Server) writeFeed(c *gin.Context, site models.Site, ch feedChannel, f models.PostFilter) {
	f.Limit = feedSize
	posts, err := s.Posts.PublishedPosts(c.Request.Context(), f)
	if err != nil {
		s.renderError(c, err)
		return
	}
	ch.Self = s.BaseURL + c.Request.URL.Path
	ch.Author = site.Title
	ch.Updated = time.Unix(0, 0).UTC()
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
		it := feedItem{Title: p.Title, Link: permalink, Summary: summary, ContentHTML: p.BodyHTML,
			Published: published, Updated: p.UpdatedAt}
		for _, t := range p.Tags {
			it.Tags = append(it.Tags, feedTag{Name: t.Name, Slug: t.Slug})
		}
		ch.Items = append(ch.Items, it)
		if published.After(ch.Updated) {
			ch.Updated = published
		}
	}
	ch.TagScheme = s.BaseURL + "/tag/"
	var (
		body []byte
		ct   string
	)
	switch {
	case strings.HasSuffix(c.Request.URL.Path, ".json"):
		icon := s.BaseURL + "/favicon.ico"
		if site.Icon != "" {
			icon = s.BaseURL + site.Icon
		}
		body, err = ch.jsonFeed(icon)
		ct = "application/feed+json; charset=utf-8"
	case strings.HasSuffix(c.Request.URL.Path, "/atom"):
		body, err = ch.atom()
		ct = "application/atom+xml; charset=utf-8"
	default:
		body, err = ch.rss()
		ct = "application/rss+xml; charset=utf-8"
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, ct, body)
}
