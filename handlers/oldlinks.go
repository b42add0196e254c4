package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
)

// OldLinkStore finds where the addresses of a blog moved here from
// WordPress now live (models.Store after an import, migration 0020), and
// the posts only logged-in readers may open.
type OldLinkStore interface {
	OldPath(ctx context.Context, path string) (*models.PathRedirect, error)
	ImportedPost(ctx context.Context, wpID int64) (*models.Post, error)
	ReadablePost(ctx context.Context, kind models.PostKind, slug string, loggedIn bool) (*models.Post, error)
}

// readable reports whether the reader of c may open p: published posts
// for everyone, private ones for logged-in users.
func readable(c *gin.Context, p *models.Post) bool {
	return p.Status == models.StatusPublished || (p.Status == models.StatusPrivate && userOf(c) != nil)
}

// oldLink answers 301 when the request's path was a permalink (or an
// upload) of the old site; false leaves the 404 to the caller.
func (s *Server) oldLink(c *gin.Context) bool {
	get := c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead
	if s.OldLinks == nil || !get {
		return false
	}
	if s.wordPressQuery(c) {
		return true
	}
	if target := wordPressArchive(c.Request.URL.Path); target != "" {
		c.Redirect(http.StatusMovedPermanently, target)
		return true
	}
	ctx := c.Request.Context()
	r, err := s.OldLinks.OldPath(ctx, c.Request.URL.Path)
	if err != nil {
		if !errors.Is(err, models.ErrNotFound) {
			s.Log.ErrorContext(ctx, "old path", "err", err)
		}
		return false
	}
	target := ""
	switch {
	case r.PostID != nil:
		p, err := s.Posts.PostByID(ctx, *r.PostID)
		if err == nil && readable(c, p) {
			target = p.Path()
		}
	case r.MediaID != nil && s.Media != nil:
		m, err := s.Media.MediaByID(ctx, *r.MediaID)
		if err == nil {
			target = m.Path()
		}
	}
	if target == "" {
		return false
	}
	c.Redirect(http.StatusMovedPermanently, target)
	return true
}

// wordPressQuery answers WordPress's own short links, /?p=N and
// /?page_id=N (N as WordPress numbered the post, on any path: /index.php
// too), with 301 to the permalink, or 404; false when the request is not one.
func (s *Server) wordPressQuery(c *gin.Context) bool {
	raw := c.Query("p")
	if raw == "" {
		raw = c.Query("page_id")
	}
	if raw == "" || s.OldLinks == nil {
		return false
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	var p *models.Post
	if err == nil {
		p, err = s.OldLinks.ImportedPost(c.Request.Context(), id)
	}
	switch {
	case err == nil && readable(c, p):
		c.Redirect(http.StatusMovedPermanently, p.Path())
	case err == nil || errors.Is(err, models.ErrNotFound) || errors.Is(err, strconv.ErrSyntax) || errors.Is(err, strconv.ErrRange):
		s.notFound(c)
	default:
		s.renderError(c, err)
	}
	return true
}

var (
	dayArchive = regexp.MustCompile(`^/(\d{4})/(\d{2})/\d{2}/?$`)
	pagedList  = regexp.MustCompile(`^((?:/[^/]+)*)/page/(\d{1,6})/?$`)
)

// wordPressArchive maps WordPress's list addresses that Crosstalk names
// otherwise: a day's archive goes to its month, /page/N to ?page=N.
func wordPressArchive(path string) string {
	if m := dayArchive.FindStringSubmatch(path); m != nil {
		return fmt.Sprintf("/%s/%s", m[1], m[2])
	}
	if m := pagedList.FindStringSubmatch(path); m != nil && m[2] != "0" {
		base := m[1]
		if base == "" {
			base = "/"
		}
		return base + "?page=" + m[2]
	}
	return ""
}
