package handlers

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/handlers/loginguard"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// requireUser lets logged-in users through. Others are sent to the login
// page; a post save is answered with the login form carrying the writer's
// text, so an expired session loses nothing.
func (s *Server) requireUser() gin.HandlerFunc {
	return func(c *gin.Context) {
		if userOf(c) != nil {
			c.Next()
			return
		}
		c.Abort()
		if wantsJSON(c) { // a script's request: the page keeps its text and says so
			c.JSON(http.StatusUnauthorized, gin.H{"error": "Your session has expired. Nothing is lost: log in again in another tab, then come back.",
				"login": "/login"})
			return
		}
		if c.Request.Method == http.MethodPost && isEditorSave(c) {
			form := postFormFrom(c)
			s.renderLogin(c, http.StatusUnauthorized, views.LoginPage{Next: editorPath(form), Resume: encodeResume(form)})
			return
		}
		if c.Request.Method != http.MethodGet {
			s.renderLogin(c, http.StatusUnauthorized, views.LoginPage{Next: "/admin",
				Error: "Your session expired, so that was not done. Log in and try again."})
			return
		}
		c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
	}
}

// csrfFailed answers a form whose token does not match the session. The
// editor is shown again with the text, so nothing typed is lost.
func (s *Server) csrfFailed(c *gin.Context) {
	if wantsJSON(c) {
		c.JSON(http.StatusForbidden, gin.H{"error": "This page is out of date (perhaps you logged in again elsewhere): reload it and try again."})
		return
	}
	if userOf(c) != nil && isEditorSave(c) {
		s.renderEditor(c, http.StatusForbidden, postFormFrom(c), nil, map[string]string{
			"form": "This form had expired. Your text is below: press Save again."}, false)
		return
	}
	s.renderStatus(c, http.StatusForbidden, "Form expired",
		"This form had expired or came from elsewhere. Go back, reload the page and try again.")
}

func isEditorSave(c *gin.Context) bool {
	p := c.Request.URL.Path
	return p == "/admin/posts" || (strings.HasPrefix(p, "/admin/posts/") && !strings.HasSuffix(p, "/delete"))
}

func (s *Server) renderLogin(c *gin.Context, status int, page views.LoginPage) {
	page.Layout = s.layout(c, "Log in")
	page.NoIndex = true
	page.CSRFToken = s.csrfToken(c)
	s.render(c, status, "login", page)
}

func (s *Server) loginForm(c *gin.Context) {
	if userOf(c) != nil {
		redirect(c, "/admin")
		return
	}
	s.renderLogin(c, http.StatusOK, views.LoginPage{Next: safeLocalPath(c.DefaultQuery("next", "/admin"))})
}

// login checks a password under the login guard's limits: the try is
// charged before the check and given back when the password is right.
func (s *Server) login(c *gin.Context) {
	login, password := strings.TrimSpace(c.PostForm("login")), c.PostForm("password")
	page := views.LoginPage{Next: safeLocalPath(c.PostForm("next")), Resume: c.PostForm("resume")}
	if len(login) > models.MaxEmailLen || len(password) > 1024 {
		page.Error = "That user name or password is not right."
		s.renderLogin(c, http.StatusUnauthorized, page)
		return
	}
	page.Login = login
	attempt, err := s.logins.Begin(c.Request.Context(), clientKey(c.ClientIP()), strings.ToLower(login))
	if wait := limitedFor(err); wait > 0 {
		c.Header("Retry-After", strconv.Itoa(wait))
		page.Error = fmt.Sprintf("Too many attempts. Wait %s and try again.", loginguard.Seconds(wait))
		s.renderLogin(c, http.StatusTooManyRequests, page)
		return
	}
	u, err := s.Users.UserByLogin(c.Request.Context(), login)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		attempt.Abandon()
		s.renderError(c, err)
		return
	}
	if err != nil {
		u = nil
	}
	if !models.CheckPassword(u, password) {
		attempt.Failed()
		page.Error = "That user name or password is not right."
		s.renderLogin(c, http.StatusUnauthorized, page)
		return
	}
	attempt.Succeeded()
	s.logIn(c, u)
	if form, ok := decodeResume(page.Resume); ok {
		s.renderEditor(c, http.StatusOK, form, nil, nil, true)
		return
	}
	redirect(c, page.Next)
}

func (s *Server) logout(c *gin.Context) {
	s.logOut(c)
	redirect(c, "/")
}

// encodeResume packs an unsaved editor form into the login page.
func encodeResume(f views.PostForm) string {
	b, _ := json.Marshal(f) // a struct of strings and bools always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeResume(s string) (views.PostForm, bool) {
	var f views.PostForm
	if s == "" {
		return f, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &f) != nil {
		return f, false
	}
	if f.Kind != string(models.KindPage) {
		f.Kind = string(models.KindPost)
	}
	return f, true
}

func editorPath(f views.PostForm) string {
	if f.ID > 0 {
		return fmt.Sprintf("/admin/posts/%d/edit", f.ID)
	}
	return "/admin/posts/new"
}

// limitedFor is the whole seconds to wait when err is the login guard's
// refusal, else 0. Begin returns no other error.
func limitedFor(err error) int {
	var limited *loginguard.LimitedError
	if errors.As(err, &limited) {
		return limited.Seconds()
	}
	return 0
}
