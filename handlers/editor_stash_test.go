package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

// failedSave posts an editor form that must fail validation and follows
// the answer: a 303 to a GET address naming the kept form, which shows the
// form as typed with its messages, and again on a reload.
func (e *testEnv) failedSave(c *http.Client, formPage, action string, form url.Values) response {
	e.t.Helper()
	res := e.post(c, formPage, action, form)
	loc := res.header.Get("Location")
	if res.status != http.StatusSeeOther || !strings.Contains(loc, "unsaved=") {
		e.t.Fatalf("failed save: %d to %q, want 303 to an address with ?unsaved=", res.status, loc)
	}
	page := e.get(c, loc)
	if page.status != http.StatusOK || !strings.Contains(page.body, "please fix the fields") {
		e.t.Fatalf("page after a failed save: %d\n%.500s", page.status, page.body)
	}
	if again := e.get(c, loc); again.body != page.body {
		e.t.Error("reloading the page after a failed save shows something else")
	}
	return page
}

// TestFailedSaveIsKeptPerUser: the kept form is the writer's own; another
// user (or no token) gets the ordinary editor, and the post is unchanged.
func TestFailedSaveIsKeptPerUser(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "Kept", "The live text.", nil)
	id := e.postID("kept")
	edit := fmt.Sprintf("/admin/posts/%d/edit", id)
	res := e.failedSave(c, edit, fmt.Sprintf("/admin/posts/%d", id), url.Values{"title": {""}, "body": {"An edit the writer typed"}, "kind": {"post"}, "status": {"published"}})
	mustContain(t, res.body, "An edit the writer typed", "A title is required.")
	if live := e.get(e.client(), path); !strings.Contains(live.body, "The live text.") {
		t.Error("a failed save changed the live post")
	}
	loc := e.post(c, edit, fmt.Sprintf("/admin/posts/%d", id), url.Values{"title": {""}, "body": {"x"}, "kind": {"post"}}).header.Get("Location")
	other, _ := e.login(e.userWithRole(models.RoleAdministrator, "second"))
	if page := e.get(other, loc); page.status != http.StatusOK || strings.Contains(page.body, "please fix the fields") {
		t.Errorf("another user sees the kept form: %d", page.status)
	}
}
