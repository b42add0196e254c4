package handlers

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// layout builds the data every page shares.
func (s *Server) layout(c *gin.Context, title string) views.Layout {
	site, err := s.site.get(c.Request.Context())
	if err != nil {
		s.Log.ErrorContext(c.Request.Context(), "load settings", "err", err)
		site = models.DefaultSite()
	}
	l := views.Layout{Site: site, BaseURL: s.BaseURL, Title: title, User: userOf(c)}
	s.readerLayout(c, &l)
	if l.User != nil {
		l.CSRFToken = s.csrfToken(c)
		l.Flash = s.takeFlash(c)
		if counts, err := s.Feedback.QueueCounts(c.Request.Context(), "", 0); err == nil {
			l.Pending = counts[models.ModPending]
		}
	}
	return l
}

// render writes a page, or the error page if the template fails.
func (s *Server) render(c *gin.Context, status int, page string, data any) {
	c.Header("Content-Type", "text/html; charset=utf-8")
	var buf bytes.Buffer
	err := s.Views.Render(&buf, page, data)
	if err == nil {
		s.pagePolicy(c, buf.Bytes())
		c.Status(status)
		_, err = buf.WriteTo(c.Writer)
	}
	if err != nil {
		s.Log.ErrorContext(c.Request.Context(), "render", "page", page, "err", err)
		if !c.Writer.Written() {
			c.Status(http.StatusInternalServerError)
			_, _ = c.Writer.WriteString("Internal error")
		}
	}
}

// renderError is the one place that maps domain errors to HTTP status codes.
// Only server errors are logged, and no internal text reaches the reader.
func (s *Server) renderError(c *gin.Context, err error) {
	switch {
	case errors.Is(err, models.ErrNotFound):
		if s.oldLink(c) { // an imported blog's old address
			return
		}
		s.notFound(c)
	case errors.Is(err, models.ErrInvalid):
		s.renderStatus(c, http.StatusBadRequest, "Invalid request", "Something in the request was not valid.")
	case errors.Is(err, models.ErrConflict):
		s.renderStatus(c, http.StatusConflict, "Conflict", "That conflicts with something that already exists.")
	case errors.Is(err, models.ErrUnauthorized):
		s.renderStatus(c, http.StatusUnauthorized, "Please log in", "You need to log in to see this page.")
	case errors.Is(err, models.ErrForbidden):
		s.renderStatus(c, http.StatusForbidden, "Not allowed", "You are not allowed to do that.")
	case errors.Is(c.Request.Context().Err(), context.Canceled):
		// The client hung up: nobody reads an answer, and it is no server
		// failure (metrics and logs would count it as one). 499 as nginx logs
		// it. Whatever failed did so because of it: a database driver may say
		// "interrupted" rather than wrap context.Canceled.
		s.Log.LogAttrs(c.Request.Context(), slog.LevelDebug, "client went away", slog.String("path", c.Request.URL.Path),
			slog.String("err", err.Error()))
		c.AbortWithStatus(statusClientClosed)
	default:
		s.Log.LogAttrs(c.Request.Context(), slog.LevelError, "internal error",
			slog.String("path", c.Request.URL.Path), slog.String("err", err.Error()))
		s.renderStatus(c, http.StatusInternalServerError, "Something went wrong",
			"The server could not finish this request. Please try again; if it keeps happening, tell the site's owner (request "+RequestID(c.Request.Context())+").")
	}
}

// notFound writes the 404 page.
func (s *Server) notFound(c *gin.Context) {
	s.renderStatus(c, http.StatusNotFound, "Page not found", "There is nothing at this address. It may have moved or never existed.")
}

// statusClientClosed is nginx's code for a request the client abandoned.
const statusClientClosed = 499

func (s *Server) renderStatus(c *gin.Context, status int, heading, message string) {
	if wantsJSON(c) {
		c.JSON(status, gin.H{"error": message})
		return
	}
	l := s.layout(c, heading)
	l.NoIndex = true
	s.render(c, status, "error", views.ErrorPage{Layout: l, Status: status, Heading: heading, Message: message})
}

// wantsJSON reports whether the page's script asked for a JSON answer, so
// errors reach it as {"error": message} with the same status codes.
func wantsJSON(c *gin.Context) bool {
	return strings.Contains(c.GetHeader("Accept"), "application/json")
}

// redirect answers a form post with 303 See Other to a local path.
func redirect(c *gin.Context, path string) {
	c.Redirect(http.StatusSeeOther, safeLocalPath(path))
}

// safeLocalPath keeps redirects on this site: anything but a plain local
// path goes home. Browsers drop tabs and newlines from URLs and read "\" as
// "/", so "/\t/evil.example" would become "//evil.example": refuse them all.
func safeLocalPath(p string) string {
	if p == "" || p[0] != '/' || strings.ContainsFunc(p, func(r rune) bool { return r < 0x21 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.HasPrefix(u.Path, "//") || strings.HasPrefix(p, "//") {
		return "/"
	}
	return p
}
