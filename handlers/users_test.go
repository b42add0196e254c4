package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

// TestUsersScreen: an administrator adds a user with a role, changes it,
// and deletes the user, giving their posts to another; the last
// administrator cannot be demoted.
func TestUsersScreen(t *testing.T) {
	e := newEnv(t)
	c, admin := e.admin()
	res := e.post(c, "/admin/users", "/admin/users", url.Values{"name": {"ann"}, "email": {"ann@example.com"},
		"display_name": {"Ann Author"}, "password": {testPassword}, "role": {"author"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("add user: %d %.300s", res.status, res.body)
	}
	ann, err := e.store.UserByLogin(context.Background(), "ann")
	if err != nil || ann.Role != models.RoleAuthor || ann.Byline() != "Ann Author" {
		t.Fatalf("added %+v %v", ann, err)
	}
	mustContain(t, e.get(c, "/admin/users").body, "Ann Author", "author")
	annClient, _ := e.login(ann)
	e.publish(annClient, "By Ann", "x", nil)

	page := fmt.Sprintf("/admin/users/%d", ann.ID)
	if res := e.post(c, page, page, url.Values{"email": {"ann@example.com"}, "display_name": {"Ann"}, "role": {"editor"}}); res.status != http.StatusSeeOther {
		t.Fatalf("change role: %d", res.status)
	}
	if u, _ := e.store.UserByID(context.Background(), ann.ID); u.Role != models.RoleEditor {
		t.Errorf("role = %s", u.Role)
	}
	ap, _, err := models.NewAppPassword(ann.ID, "Ann's phone")
	if err != nil || e.store.CreateAppPassword(context.Background(), ap) != nil {
		t.Fatal(err)
	}
	mustContain(t, e.get(c, page).body, "Ann&#39;s phone")
	revoke := fmt.Sprintf("%s/app-passwords/%d/revoke", page, ap.ID)
	if res := e.post(c, page, revoke, nil); res.status != http.StatusSeeOther {
		t.Errorf("revoke another's app password: %d", res.status)
	}
	if aps, _ := e.store.AppPasswords(context.Background(), ann.ID); len(aps) != 0 {
		t.Errorf("app passwords left: %v", aps)
	}
	self := fmt.Sprintf("/admin/users/%d", admin.ID)
	res = e.post(c, self, self, url.Values{"email": {"admin@example.com"}, "role": {"author"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "needs an administrator") {
		t.Errorf("demoting the last administrator: %d", res.status)
	}
	res = e.post(c, page, page+"/delete", url.Values{"reassign": {fmt.Sprint(admin.ID)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("delete: %d %.300s", res.status, res.body)
	}
	if got := e.postTitled("By Ann"); got.AuthorID != admin.ID {
		t.Errorf("the post went to %d, want %d", got.AuthorID, admin.ID)
	}
	if res := e.get(annClient, "/admin"); res.status != http.StatusSeeOther {
		t.Errorf("a deleted user's session: %d", res.status)
	}
}

// TestProfileAndPassword: each user edits their own profile; a new
// password needs the current one and ends their other sessions.
func TestProfileAndPassword(t *testing.T) {
	e := newEnv(t)
	u := e.userWithRole(models.RoleContributor, "cory")
	c, _ := e.login(u)
	other, _ := e.login(u)
	res := e.post(c, "/admin/profile", "/admin/profile", url.Values{"display_name": {"Cory D."}, "email": {"cory@example.org"}, "bio": {"Hi."}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("profile: %d", res.status)
	}
	got, _ := e.store.UserByID(context.Background(), u.ID)
	if got.DisplayName != "Cory D." || got.Email != "cory@example.org" || got.Role != models.RoleContributor {
		t.Errorf("profile saved as %+v", got)
	}
	res = e.post(c, "/admin/profile", "/admin/profile/password", url.Values{"current_password": {"wrong password"},
		"new_password": {"a brand new password"}, "confirm_password": {"a brand new password"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "not your current password") {
		t.Errorf("wrong current password: %d", res.status)
	}
	res = e.post(c, "/admin/profile", "/admin/profile/password", url.Values{"current_password": {testPassword},
		"new_password": {"a brand new password"}, "confirm_password": {"a brand new password"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("change password: %d %.300s", res.status, res.body)
	}
	if res := e.get(c, "/admin/profile"); res.status != http.StatusOK {
		t.Errorf("this session after the change: %d", res.status)
	}
	if res := e.get(other, "/admin/profile"); res.status != http.StatusSeeOther {
		t.Errorf("another session after the change: %d", res.status)
	}
}

var resetLinkRE = regexp.MustCompile(`/login/reset\?token=([0-9a-f]+)`)

// TestPasswordReset: "Lost your password?" answers the same whether the
// account exists or not, mails a link that works once, within the hour.
func TestPasswordReset(t *testing.T) {
	e := newEnv(t)
	e.extra = func(d *Deps) { d.Mail, d.MailFlags = e.store, models.MailSettings{SMTPURL: "smtp://127.0.0.1:25"} } // --smtp-url
	e.srv.Config.Handler = e.engine(e.store, e.log)
	u := e.userWithRole(models.RoleAuthor, "ann")
	c := e.client()
	mustContain(t, e.get(c, "/login").body, `href="/login/lost"`)
	known := e.post(c, "/login/lost", "/login/lost", url.Values{"login": {"ann@example.com"}})
	unknown := e.post(c, "/login/lost", "/login/lost", url.Values{"login": {"nobody@example.com"}})
	if known.status != http.StatusOK || known.status != unknown.status || pageMain(known.body) != pageMain(unknown.body) {
		t.Errorf("the answers differ: %d %d", known.status, unknown.status)
	}
	mails, err := e.store.ClaimMail(context.Background(), 10, time.Minute)
	if err != nil || len(mails) != 1 || mails[0].To != "ann@example.com" {
		t.Fatalf("mails = %+v, %v", mails, err)
	}
	m := resetLinkRE.FindStringSubmatch(mails[0].Body)
	if m == nil {
		t.Fatalf("no link in %q", mails[0].Body)
	}
	link := "/login/reset?token=" + m[1]
	mustContain(t, e.get(c, link).body, `name="token" value="`+m[1]+`"`)
	form := url.Values{"token": {m[1]}, "password": {"my new long password"}, "confirm_password": {"my new long password"}}
	if res := e.post(c, link, "/login/reset", form); res.status != http.StatusSeeOther {
		t.Fatalf("reset: %d %.300s", res.status, res.body)
	}
	if got, _ := e.store.UserByID(context.Background(), u.ID); !models.CheckPassword(got, "my new long password") {
		t.Errorf("the password did not change")
	}
	if res := e.post(e.client(), "/login", "/login/reset", form); res.status != http.StatusNotFound {
		t.Errorf("a used link: %d", res.status)
	}
	// An unused link expires after an hour.
	late, err := e.store.IssuePasswordReset(context.Background(), u.ID, testBaseURL)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(61 * time.Minute)
	if res := e.get(e.client(), strings.TrimPrefix(late, testBaseURL)); res.status != http.StatusNotFound {
		t.Errorf("an expired link: %d", res.status)
	}
	for i := range 6 { // per address: five an hour
		res := e.post(c, "/login/lost", "/login/lost", url.Values{"login": {"nobody"}})
		if i == 5 && res.status != http.StatusTooManyRequests {
			t.Errorf("request %d: %d", i+1, res.status)
		}
	}
}

// pageMain is the page's main content, where a per-request token is not.
func pageMain(body string) string {
	start, end := strings.Index(body, "<main"), strings.Index(body, "</main>")
	if start < 0 || end < start {
		return body
	}
	return body[start:end]
}
