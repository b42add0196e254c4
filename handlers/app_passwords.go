package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// keyNewAppPassword carries a new token in the (encrypted) session cookie
// from the form post to the one page that shows it.
const keyNewAppPassword = "new_app_password"

// appPasswordsPage lists the user's application passwords; just after one
// is made, its token is shown, once.
func (s *Server) appPasswordsPage(c *gin.Context) {
	page := views.AppPasswordsPage{}
	sess := sessionOf(c)
	if tok, ok := sess.Values[keyNewAppPassword].(string); ok {
		page.NewToken = tok
		delete(sess.Values, keyNewAppPassword)
		s.saveSession(c, sess)
	}
	s.renderAppPasswords(c, http.StatusOK, page)
}

func (s *Server) renderAppPasswords(c *gin.Context, status int, page views.AppPasswordsPage) {
	u := userOf(c)
	items, err := s.AppPasswords.AppPasswords(c.Request.Context(), u.ID)
	if err != nil {
		s.renderError(c, err)
		return
	}
	page.Layout, page.Items = s.adminLayout(c, "App passwords"), items
	page.Endpoint, page.RSD = s.BaseURL+"/xmlrpc", s.BaseURL+"/rsd.xml"
	s.render(c, status, "admin_app_passwords", page)
}

func (s *Server) createAppPassword(c *gin.Context) {
	u := userOf(c)
	p, token, err := models.NewAppPassword(u.ID, c.PostForm("name"))
	if err == nil {
		err = s.AppPasswords.CreateAppPassword(c.Request.Context(), p)
	}
	if fields := models.FieldErrors(err); fields != nil {
		s.renderAppPasswords(c, http.StatusBadRequest, views.AppPasswordsPage{Name: c.PostForm("name"), Errors: fields})
		return
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	sess := sessionOf(c)
	sess.Values[keyNewAppPassword] = token
	s.saveSession(c, sess)
	redirect(c, "/admin/app-passwords")
}

func (s *Server) revokeAppPassword(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		err = models.ErrNotFound
	} else {
		err = s.AppPasswords.DeleteAppPassword(c.Request.Context(), userOf(c).ID, id)
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.flash(c, "Revoked: clients using that password can no longer log in.")
	redirect(c, "/admin/app-passwords")
}
