package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// usersPage lists every account with the form to add one (administrators).
func (s *Server) usersPage(c *gin.Context) {
	s.renderUsers(c, http.StatusOK, models.User{Role: models.RoleAuthor}, nil)
}

func (s *Server) renderUsers(c *gin.Context, status int, form models.User, errs map[string]string) {
	users, err := s.Users.Users(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.render(c, status, "admin_users", views.UsersPage{Layout: s.adminLayout(c, "Users"), Users: users,
		Roles: models.Roles(), Form: form, Errors: errs})
}

// addUser creates an account with a role, as WordPress's "Add New User".
func (s *Server) addUser(c *gin.Context) {
	form := models.User{Name: strings.TrimSpace(c.PostForm("name")), Email: strings.TrimSpace(c.PostForm("email")),
		DisplayName: strings.TrimSpace(c.PostForm("display_name")), Role: models.Role(c.PostForm("role"))}
	password := c.PostForm("password")
	ve := models.FieldErrors(models.ValidateNewUser(form.Name, form.Email, password))
	if !form.Role.Valid() {
		if ve == nil {
			ve = map[string]string{}
		}
		ve["role"] = "Choose a role."
	}
	if ve != nil {
		s.renderUsers(c, http.StatusBadRequest, form, ve)
		return
	}
	hash, err := models.HashPassword(password)
	if err == nil {
		form.PasswordHash = hash
		err = s.Users.CreateUser(c.Request.Context(), &form)
	}
	if errors.Is(err, models.ErrConflict) {
		s.renderUsers(c, http.StatusConflict, form, map[string]string{"name": "That user name is taken."})
		return
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.flash(c, fmt.Sprintf("Added %s (%s).", form.Name, form.Role))
	redirect(c, "/admin/users")
}

// editedUser is the account in the path.
func (s *Server) editedUser(c *gin.Context) (*models.User, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return nil, models.ErrNotFound
	}
	return s.Users.UserByID(c.Request.Context(), id)
}

func (s *Server) userPage(c *gin.Context) {
	u, err := s.editedUser(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.renderUser(c, http.StatusOK, *u, nil, "")
}

func (s *Server) renderUser(c *gin.Context, status int, u models.User, errs map[string]string, link string) {
	users, err := s.Users.Users(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	others := users[:0]
	for _, o := range users {
		if o.ID != u.ID {
			others = append(others, o)
		}
	}
	aps, err := s.AppPasswords.AppPasswords(c.Request.Context(), u.ID)
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.render(c, status, "admin_user", views.UserPage{Layout: s.adminLayout(c, "Edit user"), Form: u,
		Roles: models.Roles(), Others: others, Errors: errs, ResetLink: link, AppPasswords: aps})
}

// saveUser changes another account's role and names.
func (s *Server) saveUser(c *gin.Context) {
	u, err := s.editedUser(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	u.Role = models.Role(c.PostForm("role"))
	s.updateProfile(c, u, "/admin/users")
}

// updateProfile reads the profile fields into u and saves it.
func (s *Server) updateProfile(c *gin.Context, u *models.User, next string) {
	u.Email, u.DisplayName, u.Bio = strings.TrimSpace(c.PostForm("email")), c.PostForm("display_name"), c.PostForm("bio")
	errs := map[string]string{}
	if !models.IsEmail(u.Email) {
		errs["email"] = "That does not look like an email address."
	}
	if len([]rune(u.DisplayName)) > 100 {
		errs["display_name"] = "Use at most 100 characters."
	}
	if len([]rune(u.Bio)) > 2000 {
		errs["bio"] = "Use at most 2000 characters."
	}
	if len(errs) == 0 {
		err := s.Users.UpdateProfile(c.Request.Context(), u)
		switch {
		case errors.Is(err, models.ErrConflict):
			errs["role"] = "The blog needs an administrator: make another one first."
		case models.FieldErrors(err) != nil:
			errs = models.FieldErrors(err)
		case err != nil:
			s.renderError(c, err)
			return
		}
	}
	if len(errs) > 0 {
		if next == profilePath {
			s.render(c, http.StatusBadRequest, "admin_profile", views.ProfilePage{Layout: s.adminLayout(c, "Profile"), Form: *u, Errors: errs})
		} else {
			s.renderUser(c, http.StatusBadRequest, *u, errs, "")
		}
		return
	}
	s.flash(c, "Saved.")
	redirect(c, next)
}

// deleteUser deletes an account, giving its posts to the user chosen.
func (s *Server) deleteUser(c *gin.Context) {
	u, err := s.editedUser(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	heir, err := strconv.ParseInt(c.PostForm("reassign"), 10, 64)
	if err != nil || heir == u.ID {
		s.renderUser(c, http.StatusBadRequest, *u, map[string]string{"reassign": "Choose who gets the posts."}, "")
		return
	}
	err = s.Users.DeleteUser(c.Request.Context(), u.ID, heir)
	switch {
	case errors.Is(err, models.ErrConflict):
		s.renderUser(c, http.StatusConflict, *u, map[string]string{"reassign": "The blog needs an administrator: make another one first."}, "")
		return
	case errors.Is(err, models.ErrNotFound):
		s.renderUser(c, http.StatusBadRequest, *u, map[string]string{"reassign": "Choose who gets the posts."}, "")
		return
	case err != nil:
		s.renderError(c, err)
		return
	}
	s.flash(c, fmt.Sprintf("Deleted %s; their posts are now another user's.", u.Name))
	redirect(c, "/admin/users")
}

// userResetLink makes a one-time password reset link an administrator can
// hand to the user (when the blog sends no email, or the user has none).
func (s *Server) userResetLink(c *gin.Context) {
	u, err := s.editedUser(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	link, err := s.Users.IssuePasswordReset(c.Request.Context(), u.ID, s.BaseURL)
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.renderUser(c, http.StatusOK, *u, nil, link)
}

// revokeUsersAppPassword revokes another user's app password, as an
// administrator may in WordPress.
func (s *Server) revokeUsersAppPassword(c *gin.Context) {
	u, err := s.editedUser(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	id, err := strconv.ParseInt(c.Param("ap"), 10, 64)
	if err == nil {
		err = s.AppPasswords.DeleteAppPassword(c.Request.Context(), u.ID, id)
	} else {
		err = models.ErrNotFound
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.flash(c, "App password revoked.")
	redirect(c, fmt.Sprintf("/admin/users/%d", u.ID))
}
