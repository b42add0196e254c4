package handlers

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// setupOpen reports whether the first-run page may be used with token. A
// failed database answers the error page itself and returns ok false.
func (s *Server) setupOpen(c *gin.Context, token string) (open, ok bool) {
	if s.SetupToken == "" || subtle.ConstantTimeCompare([]byte(s.SetupToken), []byte(token)) != 1 {
		return false, true
	}
	n, err := s.Users.CountUsers(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return false, false
	}
	return n == 0, true
}

func (s *Server) setupForm(c *gin.Context) {
	if open, ok := s.setupOpen(c, c.Query("token")); !ok {
		return
	} else if !open {
		s.renderStatus(c, http.StatusForbidden, "Setup is closed",
			"This blog is set up already, or the setup link is wrong. Use the link printed in the server's log.")
		return
	}
	s.renderSetup(c, http.StatusOK, views.SetupPage{Token: c.Query("token"), Title: models.DefaultSite().Title})
}

func (s *Server) renderSetup(c *gin.Context, status int, page views.SetupPage) {
	page.Layout = s.layout(c, "Set up")
	page.NoIndex = true
	page.CSRFToken = s.csrfToken(c)
	s.render(c, status, "setup", page)
}

// setup creates the first admin and names the blog, then logs the admin in.
func (s *Server) setup(c *gin.Context) {
	s.setupMu.Lock() // two quick submissions must not create two admins
	defer s.setupMu.Unlock()
	page := views.SetupPage{Token: c.PostForm("token"), Name: strings.TrimSpace(c.PostForm("name")),
		Email: strings.TrimSpace(c.PostForm("email")), Title: strings.TrimSpace(c.PostForm("title")),
		Tagline: strings.TrimSpace(c.PostForm("tagline"))}
	if open, ok := s.setupOpen(c, page.Token); !ok {
		return
	} else if !open {
		s.renderStatus(c, http.StatusForbidden, "Setup is closed", "This blog is set up already, or the setup link is wrong.")
		return
	}
	password := c.PostForm("password")
	err := models.ValidateNewUser(page.Name, page.Email, password)
	page.Errors = models.FieldErrors(err)
	if page.Title == "" {
		if page.Errors == nil {
			page.Errors = map[string]string{}
		}
		page.Errors["title"] = "Give your blog a title."
	}
	if page.Errors != nil {
		s.renderSetup(c, http.StatusBadRequest, page)
		return
	}
	ctx := c.Request.Context()
	hash, err := models.HashPassword(password)
	if err != nil {
		s.renderError(c, err)
		return
	}
	u := &models.User{Name: page.Name, Email: page.Email, PasswordHash: hash}
	if err := s.Users.CreateUser(ctx, u); err != nil {
		s.renderError(c, err)
		return
	}
	site := models.DefaultSite()
	site.Title, site.Tagline = page.Title, page.Tagline
	if err := s.Settings.SetSettings(ctx, site.Settings()); err != nil {
		s.renderError(c, err)
		return
	}
	s.Changes.Changed(ctx, models.Change{Kind: models.ChangeAll})
	s.logIn(c, u)
	s.flash(c, "Your blog is ready. Write your first post!")
	redirect(c, "/admin")
}
