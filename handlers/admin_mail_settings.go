package handlers

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// mailOn reports whether email can be sent now: an outbox, and a mail
// server named by the flags or by the settings (read through the cached
// Site, which every instance drops when the settings change).
func (s *Server) mailOn(ctx context.Context) bool {
	if s.Mail == nil {
		return false
	}
	if s.MailFlags.On() {
		return true
	}
	site, err := s.site.get(ctx)
	return err == nil && site.SMTPSet
}

// emailForm is the Email fieldset as stored, without the password.
func (s *Server) emailForm(ctx context.Context) (views.EmailSettingsForm, error) {
	raw, err := s.Settings.Settings(ctx)
	if err != nil {
		return views.EmailSettingsForm{}, err
	}
	m := models.MailSettingsFrom(raw)
	return views.EmailSettingsForm{URL: m.URLWithoutPassword(), HasPassword: m.HasPassword(), From: m.From,
		ByFlags: s.MailFlags.On(), FromByFlags: s.MailFlags.From != "", On: s.mailOn(ctx)}, nil
}

// saveEmailSettings stores the Email fieldset. A password field left empty
// keeps the stored password (the form never shows it), unless "forget" is
// ticked or the URL is cleared.
func (s *Server) saveEmailSettings(c *gin.Context) {
	ctx := c.Request.Context()
	raw, err := s.Settings.Settings(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	stored := models.MailSettingsFrom(raw)
	next := models.MailSettings{SMTPURL: strings.TrimSpace(c.PostForm("smtp_url")), From: strings.TrimSpace(c.PostForm("smtp_from"))}
	var ve models.ValidationError
	if next.SMTPURL != "" && !models.ValidSMTPURL(next.SMTPURL) {
		ve.Add("smtp_url", "Use smtp://user@host:587 (STARTTLS) or smtps://user@host:465.")
	}
	if next.From != "" && (len(next.From) > models.MaxEmailLen || !strings.Contains(next.From, "@") || strings.ContainsAny(next.From, " \r\n<>")) {
		ve.Add("smtp_from", "Give one email address, such as blog@example.com.")
	}
	if c.PostForm("smtp_password") != "" && !next.HasUser() {
		ve.Add("smtp_password", "Put the user name in the URL (smtp://user@host:587) to go with the password.")
	}
	if ve.OrNil() == nil && next.SMTPURL != "" && !next.HasPassword() {
		switch password := c.PostForm("smtp_password"); {
		case password != "":
			next = next.WithPassword(password)
		case c.PostForm("forget_password") == "" && stored.HasPassword():
			next = next.WithPassword(stored.Password())
		}
	}
	if ve.OrNil() != nil {
		s.renderSettingsWithEmail(c, views.EmailSettingsForm{URL: models.MailSettings{SMTPURL: next.SMTPURL}.URLWithoutPassword(),
			HasPassword: stored.HasPassword(), From: next.From, ByFlags: s.MailFlags.On(), FromByFlags: s.MailFlags.From != "",
			On: s.mailOn(ctx), Errors: ve.Fields})
		return
	}
	if err := s.Settings.SetSettings(ctx, next.Settings()); err != nil {
		s.renderError(c, err)
		return
	}
	s.Changes.Changed(ctx, models.Change{Kind: models.ChangeAll}) // every instance's cached Site
	s.flash(c, "Email settings saved.")
	redirect(c, "/admin/settings#email")
}

// sendTestEmail queues an email to the current user, to try the settings.
func (s *Server) sendTestEmail(c *gin.Context) {
	ctx := c.Request.Context()
	u := userOf(c)
	switch {
	case !s.mailOn(ctx):
		s.flash(c, "No test email was sent: no mail server is configured.")
	case u.Email == "":
		s.flash(c, "No test email was sent: your profile has no email address.")
	default:
		site, _ := s.site.get(ctx)
		err := s.Mail.QueueMail(ctx, &models.Mail{To: u.Email, Subject: "[" + site.Title + "] Test email",
			Body: "This is a test email from " + s.BaseURL + "/, sent from its Settings page by " + u.Name + ".\n\n" +
				"If you can read it, the blog can send password resets and comment notices.\n"})
		if err != nil {
			s.renderError(c, err)
			return
		}
		s.flash(c, "A test email to "+u.Email+" is on its way; it leaves within a minute. If it does not arrive, the server log says why.")
	}
	redirect(c, "/admin/settings#email")
}

// renderSettingsWithEmail shows the settings page with the Email
// fieldset as typed and its errors.
func (s *Server) renderSettingsWithEmail(c *gin.Context, email views.EmailSettingsForm) {
	l := s.adminLayout(c, "Settings")
	page := views.SettingsPage{Layout: l, Form: l.Site, CommentsPerPage: models.CommentsPerPage,
		BlockList: strings.Join(l.Site.BlockList, "\n"), Email: email}
	displayChoices(&page, s.Now())
	s.render(c, http.StatusBadRequest, "admin_settings", page)
}
