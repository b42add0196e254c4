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

var tokenRE = regexp.MustCompile(`id="ap-token" class="token" type="text" readonly value="([a-z2-7 ]+)"`)

func TestXMLRPCLogin(t *testing.T) {
	e := newEnv(t)
	c, u := e.admin()
	list := func(password string) error {
		_, err := e.rpcRaw(fmt.Sprintf(marsEditGetPost, "1", u.Name, password))
		if err != nil && strings.Contains(err.Error(), "Invalid post ID") {
			return nil // logged in: there is just no post 1
		}
		return err
	}
	if err := list(testPassword); err != nil {
		t.Fatalf("account password: %v", err)
	}
	wantFault(t, list("wrong password"), 403, "Incorrect username or password.")
	_, err := e.rpc("blogger.getUsersBlogs", "", "nobody", testPassword)
	wantFault(t, err, 403, "Incorrect username or password.")

	// An application password, made in the admin and shown once.
	res := e.post(c, "/admin/app-passwords", "/admin/app-passwords", url.Values{"name": {"MarsEdit on my laptop"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create: %d %.300s", res.status, res.body)
	}
	page := e.get(c, "/admin/app-passwords")
	m := tokenRE.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("new token not shown:\n%.2000s", page.body)
	}
	token := m[1]
	mustContain(t, page.body, "MarsEdit on my laptop", "never", "http://blog.test/xmlrpc")
	if again := e.get(c, "/admin/app-passwords"); tokenRE.MatchString(again.body) || strings.Contains(again.body, token) {
		t.Error("the token must be shown only once")
	}
	for _, typed := range []string{token, strings.ToUpper(strings.ReplaceAll(token, " ", ""))} {
		if err := list(typed); err != nil {
			t.Fatalf("app password %q: %v", typed, err)
		}
	}
	mustNotContain(t, e.get(c, "/admin/app-passwords").body, ">never<")

	// The web login does not take it.
	web := e.client()
	res = e.post(web, "/login", "/login", url.Values{"login": {u.Name}, "password": {token}})
	if res.status != http.StatusUnauthorized {
		t.Errorf("web login with an app password: %d", res.status)
	}

	// Another user's application password does not open this account.
	other := &models.User{Name: "other", Email: "o@example.com", PasswordHash: "x"}
	if err := e.store.CreateUser(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	op, otherToken, _ := models.NewAppPassword(other.ID, "theirs")
	if err := e.store.CreateAppPassword(context.Background(), op); err != nil {
		t.Fatal(err)
	}
	wantFault(t, list(otherToken), 403, "Incorrect username or password.")

	// Revoked, it no longer works.
	items, _ := e.store.AppPasswords(context.Background(), u.ID)
	res = e.post(c, "/admin/app-passwords", fmt.Sprintf("/admin/app-passwords/%d/revoke", items[0].ID), nil)
	if res.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.status)
	}
	wantFault(t, list(token), 403, "Incorrect username or password.")
	res = e.post(c, "/admin/app-passwords", fmt.Sprintf("/admin/app-passwords/%d/revoke", op.ID), nil)
	if res.status != http.StatusNotFound {
		t.Errorf("revoking another user's password: %d", res.status)
	}
	res = e.post(c, "/admin/app-passwords", "/admin/app-passwords", url.Values{"name": {"  "}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "Name the application") {
		t.Errorf("unnamed: %d", res.status)
	}
	if res := e.get(e.client(), "/admin/app-passwords"); res.status != http.StatusSeeOther {
		t.Errorf("app passwords page without login: %d", res.status)
	}
}

// TestXMLRPCLoginRateLimit: failures share the web login's allowance per
// account and address; successful calls (the web login's too) give their
// token back.
func TestXMLRPCLoginRateLimit(t *testing.T) {
	e := newEnv(t)
	_, u := e.admin()
	for i := 0; i < 30; i++ {
		e.mustRPC("mt.getCategoryList", "1", u.Name, testPassword)
	}
	for i := 0; i < 5; i++ {
		_, err := e.rpc("mt.getCategoryList", "1", u.Name, "guess")
		wantFault(t, err, 403, "Incorrect")
	}
	_, err := e.rpc("mt.getCategoryList", "1", strings.ToUpper(u.Name), testPassword)
	wantFault(t, err, 429, "Too many failed logins")
	res := e.post(e.client(), "/login", "/login", url.Values{"login": {u.Name}, "password": {testPassword}})
	if res.status != http.StatusTooManyRequests {
		t.Errorf("the web login shares the limit: %d", res.status)
	}
	e.clock.Advance(time.Minute)
	e.mustRPC("mt.getCategoryList", "1", u.Name, testPassword)
}
