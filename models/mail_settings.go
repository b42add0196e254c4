package models

import (
	"net/url"
	"strings"
)

// Setting keys of the Email fieldset. The SMTP URL may hold the mail
// server's password: it is read by the mail worker only and never shown.
const (
	SettingSMTPURL  = "mail.smtp_url"
	SettingSMTPFrom = "mail.from"
)

// MailSettings is how the blog sends email: the mail server's URL
// (smtp://user:pass@host:587 or smtps://…:465) and the sender address.
// It comes from --smtp-url/--smtp-from when given, else from the settings.
type MailSettings struct {
	SMTPURL string
	From    string
}

// MailSettingsFrom reads the Email fieldset from raw settings.
func MailSettingsFrom(m map[string]string) MailSettings {
	return MailSettings{SMTPURL: m[SettingSMTPURL], From: m[SettingSMTPFrom]}
}

// Settings turns m back into raw settings for storage.
func (m MailSettings) Settings() map[string]string {
	return map[string]string{SettingSMTPURL: m.SMTPURL, SettingSMTPFrom: m.From}
}

// On reports whether a mail server is named: without one the blog sends
// no email.
func (m MailSettings) On() bool { return m.SMTPURL != "" }

// Or is m where it says something, else stored: the flags win over the
// settings, field by field.
func (m MailSettings) Or(stored MailSettings) MailSettings {
	if m.SMTPURL == "" {
		m.SMTPURL = stored.SMTPURL
	}
	if m.From == "" {
		m.From = stored.From
	}
	return m
}

// HasPassword reports whether the URL holds a password.
func (m MailSettings) HasPassword() bool {
	u, err := url.Parse(m.SMTPURL)
	if err != nil || u.User == nil {
		return false
	}
	_, ok := u.User.Password()
	return ok
}

// Password is the password in the URL, if any.
func (m MailSettings) Password() string {
	u, err := url.Parse(m.SMTPURL)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}

// URLWithoutPassword is the URL as a form may show it: without the password.
func (m MailSettings) URLWithoutPassword() string {
	u, err := url.Parse(m.SMTPURL)
	if err != nil {
		return ""
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}

// HasUser reports whether the URL names a user to log in as.
func (m MailSettings) HasUser() bool {
	u, err := url.Parse(m.SMTPURL)
	return err == nil && u.User != nil && u.User.Username() != ""
}

// WithPassword puts password into the URL, when it names a user to go
// with it (else m is returned as it is).
func (m MailSettings) WithPassword(password string) MailSettings {
	u, err := url.Parse(m.SMTPURL)
	if err != nil || password == "" || u.User == nil || u.User.Username() == "" {
		return m
	}
	u.User = url.UserPassword(u.User.Username(), password)
	m.SMTPURL = u.String()
	return m
}

// ValidSMTPURL reports whether raw names a mail server as the mail worker
// accepts it: smtp:// or smtps:// with a host.
func ValidSMTPURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "smtp" || u.Scheme == "smtps") && u.Hostname() != "" &&
		!strings.ContainsAny(raw, " \r\n")
}
