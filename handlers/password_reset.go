package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// resetLimits bound "Lost your password?": each address may ask a few
// times an hour, and each account receives at most a few emails an hour.
type resetLimits struct{ perIP, perAccount *limiter }

// resetRoutes are the public pages of this file and of shared previews.
func (s *Server) resetRoutes(forms gin.IRoutes) {
	s.resets = &resetLimits{perIP: newLimiter(rateEvery(10*time.Minute), 5, s.Now),
		perAccount: newLimiter(rateEvery(20*time.Minute), 3, s.Now)}
	forms.GET("/login/lost", s.lostPasswordForm)
	forms.POST("/login/lost", s.lostPassword)
	forms.GET("/login/reset", s.resetForm)
	forms.POST("/login/reset", s.resetPassword)
	forms.GET("/preview/:token", noStore(), s.sharedPreview)
}

func (s *Server) renderReset(c *gin.Context, status int, page views.PasswordResetPage) {
	page.Layout = s.layout(c, "Reset your password")
	page.NoIndex = true
	page.CSRFToken = s.csrfToken(c)
	page.CanEmail = s.mailOn(c.Request.Context())
	s.render(c, status, "password_reset", page)
}

func (s *Server) lostPasswordForm(c *gin.Context) {
	s.renderReset(c, http.StatusOK, views.PasswordResetPage{Step: "lost"})
}

// lostPassword queues a reset link to the account's email. The answer is
// the same whether or not the account exists, and the email goes out from
// the outbox, so neither the page nor its timing tells them apart.
func (s *Server) lostPassword(c *gin.Context) {
	login := strings.TrimSpace(c.PostForm("login"))
	if !s.mailOn(c.Request.Context()) || login == "" || len(login) > models.MaxEmailLen {
		s.renderReset(c, http.StatusOK, views.PasswordResetPage{Step: "lost", Login: login})
		return
	}
	if ok, wait := s.resets.perIP.allow(clientKey(c.ClientIP())); !ok {
		c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		s.renderReset(c, http.StatusTooManyRequests, views.PasswordResetPage{Step: "lost", Login: login,
			Errors: map[string]string{"login": "Too many requests from here. Try again later."}})
		return
	}
	ctx := c.Request.Context()
	u, err := s.Users.UserByLogin(ctx, login)
	switch {
	case errors.Is(err, models.ErrNotFound):
	case err != nil:
		s.renderError(c, err)
		return
	default:
		if ok, _ := s.resets.perAccount.allow(u.Name); ok && u.Email != "" {
			if err := s.mailResetLink(c, u); err != nil {
				s.renderError(c, err)
				return
			}
		}
	}
	s.renderReset(c, http.StatusOK, views.PasswordResetPage{Step: "sent"})
}

func (s *Server) mailResetLink(c *gin.Context, u *models.User) error {
	ctx := c.Request.Context()
	link, err := s.Users.IssuePasswordReset(ctx, u.ID, s.BaseURL)
	if err != nil {
		return err
	}
	site, _ := s.site.get(ctx)
	return s.Mail.QueueMail(ctx, &models.Mail{To: u.Email, Subject: "[" + site.Title + "] Password reset",
		Body: "Someone asked to reset the password of the account " + u.Name + " on " + s.BaseURL + "/.\n\n" +
			"If it was not you, ignore this email: nothing changes.\n\n" +
			"To choose a new password, open this link within an hour (it works once):\n\n" + link + "\n"})
}

// resetForm asks for a new password, if the link is still good.
func (s *Server) resetForm(c *gin.Context) {
	token := c.Query("token")
	if _, err := s.Users.PasswordResetUser(c.Request.Context(), models.ResetTokenHash(token)); err != nil {
		if !errors.Is(err, models.ErrNotFound) {
			s.renderError(c, err)
			return
		}
		s.renderReset(c, http.StatusNotFound, views.PasswordResetPage{Step: "invalid"})
		return
	}
	s.renderReset(c, http.StatusOK, views.PasswordResetPage{Step: "reset", Token: token})
}

// resetPassword uses the link once: the new password is set, every session
// of the account ends, and this browser is logged in.
func (s *Server) resetPassword(c *gin.Context) {
	token, password := c.PostForm("token"), c.PostForm("password")
	page := views.PasswordResetPage{Step: "reset", Token: token}
	if password != c.PostForm("confirm_password") {
		page.Errors = map[string]string{"confirm_password": "The two passwords differ."}
		s.renderReset(c, http.StatusBadRequest, page)
		return
	}
	hash, err := models.HashPassword(password)
	if f := models.FieldErrors(err); f != nil {
		page.Errors = f
		s.renderReset(c, http.StatusBadRequest, page)
		return
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	u, err := s.Users.ResetPassword(c.Request.Context(), models.ResetTokenHash(token), hash)
	if errors.Is(err, models.ErrNotFound) {
		s.renderReset(c, http.StatusNotFound, views.PasswordResetPage{Step: "invalid"})
		return
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.logIn(c, u)
	s.flash(c, "Your password is changed.")
	redirect(c, "/admin")
}
