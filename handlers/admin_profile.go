package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

const profilePath = "/admin/profile"

// profilePage is where each user edits their own display name, email and bio.
func (s *Server) profilePage(c *gin.Context) {
	s.render(c, http.StatusOK, "admin_profile", views.ProfilePage{Layout: s.adminLayout(c, "Profile"), Form: *userOf(c)})
}

// saveProfile saves the user's own profile; the role stays as it is.
func (s *Server) saveProfile(c *gin.Context) {
	u := *userOf(c)
	s.updateProfile(c, &u, profilePath)
}

// changePassword sets a new password after checking the current one, and
// ends every other session (as logging out does) while keeping this one.
func (s *Server) changePassword(c *gin.Context) {
	u := userOf(c)
	page := views.ProfilePage{Form: *u, PasswordErrors: map[string]string{}}
	password := c.PostForm("new_password")
	switch {
	case !models.CheckPassword(u, c.PostForm("current_password")):
		page.PasswordErrors["current_password"] = "That is not your current password."
	case password != c.PostForm("confirm_password"):
		page.PasswordErrors["confirm_password"] = "The two new passwords differ."
	}
	hash, err := "", error(nil)
	if len(page.PasswordErrors) == 0 {
		hash, err = models.HashPassword(password)
		if f := models.FieldErrors(err); f != nil {
			page.PasswordErrors["new_password"] = f["password"]
		} else if err != nil {
			s.renderError(c, err)
			return
		}
	}
	if len(page.PasswordErrors) > 0 {
		page.Layout = s.adminLayout(c, "Profile")
		s.render(c, http.StatusBadRequest, "admin_profile", page)
		return
	}
	ctx := c.Request.Context()
	if err := s.Users.SetPasswordHash(ctx, u.ID, hash); err != nil { // bumps the session generation
		s.renderError(c, err)
		return
	}
	fresh, err := s.Users.UserByID(ctx, u.ID)
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.logIn(c, fresh) // this browser stays logged in, on the new generation
	s.flash(c, "Password changed. Other sessions have been logged out.")
	redirect(c, profilePath)
}
