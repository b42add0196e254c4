package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

// TestEmailSettings: an administrator turns email on from Settings → Email
// without a restart; the password is stored but never shown, kept when
// the field is left empty and forgotten on request; "Send test email"
// queues a message to the administrator; other roles cannot reach it.
func TestEmailSettings(t *testing.T) {
	e := newEnv(t)
	e.extra = func(d *Deps) { d.Mail = e.store }
	e.srv.Config.Handler = e.engine(e.store, e.log)
	c, admin := e.admin()
	ctx := context.Background()
	stored := func() models.MailSettings {
		raw, err := e.store.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return models.MailSettingsFrom(raw)
	}
	page := e.get(c, "/admin/settings").body
	mustContain(t, page, "<legend>Email</legend>", "Email is off", `formaction="/admin/settings/email/test"`)
	mustNotContain(t, page, "--smtp-url</code> (or")
	mustNotContain(t, e.get(e.client(), "/login/lost").body, `action="/login/lost"`)
	if res := e.post(c, "/admin/settings", "/admin/settings/email/test", nil); res.status != http.StatusSeeOther || len(e.claimMail()) != 0 {
		t.Fatalf("test email with email off: %d", res.status)
	}

	const secret = "pa55-w0rd-never-shown"
	form := url.Values{"smtp_url": {"smtp://mailer@mail.example.com:587"}, "smtp_password": {secret}, "smtp_from": {"blog@example.com"}}
	if res := e.post(c, "/admin/settings", "/admin/settings/email", form); res.status != http.StatusSeeOther {
		t.Fatalf("save: %d %.300s", res.status, res.body)
	}
	if got := stored(); got.Password() != secret || got.From != "blog@example.com" || !strings.HasPrefix(got.SMTPURL, "smtp://mailer:") {
		t.Errorf("stored %+v", got)
	}
	page = e.get(c, "/admin/settings").body
	mustContain(t, page, "Email settings saved.", "Email is on", `value="smtp://mailer@mail.example.com:587"`, "A password is set", "Forget the stored password")
	mustNotContain(t, page, secret)
	mustContain(t, e.get(e.client(), "/login/lost").body, `action="/login/lost"`) // no restart needed

	if res := e.post(c, "/admin/settings", "/admin/settings", url.Values{"title": {"Renamed"}, "posts_per_page": {"10"}}); res.status != http.StatusSeeOther {
		t.Fatalf("save the other settings: %d", res.status)
	}
	if got := stored(); got.Password() != secret {
		t.Errorf("saving the other settings changed the email settings: %+v", got)
	}
	form.Set("smtp_password", "") // left empty: kept
	form.Set("smtp_url", "smtp://mailer@mail.example.com:2525")
	e.post(c, "/admin/settings", "/admin/settings/email", form)
	if got := stored(); got.Password() != secret || !strings.HasSuffix(got.SMTPURL, ":2525") {
		t.Errorf("an empty password field did not keep the password: %+v", got)
	}

	if res := e.post(c, "/admin/settings", "/admin/settings/email/test", nil); res.status != http.StatusSeeOther {
		t.Fatalf("test email: %d", res.status)
	}
	mails := e.claimMail()
	if len(mails) != 1 || mails[0].To != admin.Email || !strings.Contains(mails[0].Subject, "Test email") {
		t.Fatalf("test email queued: %+v", mails)
	}
	mustContain(t, e.get(c, "/admin/settings").body, "A test email to "+admin.Email+" is on its way")

	for _, bad := range []url.Values{
		{"smtp_url": {"http://mail.example.com"}},
		{"smtp_url": {"smtp://mail.example.com"}, "smtp_password": {"no user"}},
		{"smtp_url": {"smtp://u@mail.example.com"}, "smtp_from": {"not an address"}},
	} {
		res := e.post(c, "/admin/settings", "/admin/settings/email", bad)
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "Email settings were not saved") {
			t.Errorf("%v: %d", bad, res.status)
		}
		mustNotContain(t, res.body, secret)
	}

	e.post(c, "/admin/settings", "/admin/settings/email", url.Values{"smtp_url": {"smtp://mailer@mail.example.com:2525"}, "forget_password": {"1"}})
	if got := stored(); got.HasPassword() || got.SMTPURL != "smtp://mailer@mail.example.com:2525" {
		t.Errorf("forget the password: %+v", got)
	}
	e.post(c, "/admin/settings", "/admin/settings/email", url.Values{"smtp_url": {""}})
	mustContain(t, e.get(c, "/admin/settings").body, "Email is off")

	ec, _ := e.login(e.userWithRole(models.RoleEditor, "ed"))
	for _, path := range []string{"/admin/settings/email", "/admin/settings/email/test"} {
		if res := e.post(ec, "/admin", path, url.Values{"smtp_url": {"smtp://evil.example"}}); res.status != http.StatusForbidden {
			t.Errorf("an editor posted %s: %d", path, res.status)
		}
	}
	if stored().On() {
		t.Errorf("an editor changed the mail server")
	}
}

// TestEmailSettingsUnderFlags: with --smtp-url given the form says the
// flag wins, and email is on whatever the settings say.
func TestEmailSettingsUnderFlags(t *testing.T) {
	e := newEnv(t)
	e.extra = func(d *Deps) {
		d.Mail, d.MailFlags = e.store, models.MailSettings{SMTPURL: "smtps://ops:fl4g-s3cret@relay.example:465", From: "ops@example.com"}
	}
	e.srv.Config.Handler = e.engine(e.store, e.log)
	c, _ := e.admin()
	page := e.get(c, "/admin/settings").body
	mustContain(t, page, "Email is on", "--smtp-url</code> (or <code>CROSSTALK_SMTP_URL</code>)", "--smtp-from</code>")
	mustNotContain(t, page, "fl4g-s3cret", "relay.example")
}
