package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

// TestTrashThroughTheAdmin: a trashed post leaves its page, the home page
// and the feed at once (cached copies included), shows in the Trash view,
// comes back on Restore and goes for good on "Delete permanently".
func TestTrashThroughTheAdmin(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "Binned", "Text of the binned post.", nil)
	anon := e.client()
	for _, p := range []string{path, "/", "/feed"} { // fill the page cache
		if res := e.get(anon, p); res.status != http.StatusOK || !strings.Contains(res.body, "Binned") {
			t.Fatalf("before: %s %d", p, res.status)
		}
	}
	id := e.postTitled("Binned").ID
	admin := fmt.Sprintf("/admin/posts/%d", id)
	if res := e.post(c, admin+"/delete", admin+"/delete", nil); res.status != http.StatusSeeOther {
		t.Fatalf("trash: %d", res.status)
	}
	if res := e.get(anon, path); res.status != http.StatusNotFound {
		t.Errorf("trashed post page: %d", res.status)
	}
	for _, p := range []string{"/", "/feed"} {
		if res := e.get(anon, p); strings.Contains(res.body, "Binned") {
			t.Errorf("%s still lists the trashed post", p)
		}
	}
	e.get(c, "/admin/posts") // shows the flash, which names it
	if res := e.get(c, "/admin/posts"); strings.Contains(res.body, "Binned") {
		t.Errorf("All lists the trashed post")
	}
	trash := e.get(c, "/admin/posts?kind=post&status=trash")
	mustContain(t, trash.body, "Binned", `action="`+admin+`/restore"`, admin+"/purge")
	if res := e.post(c, "/admin/posts?status=trash", admin+"/restore", nil); res.status != http.StatusSeeOther {
		t.Fatalf("restore: %d", res.status)
	}
	if res := e.get(anon, path); res.status != http.StatusOK {
		t.Errorf("restored post page: %d", res.status)
	}
	e.post(c, admin+"/delete", admin+"/delete", nil)
	mustContain(t, e.get(c, admin+"/purge").body, "Delete “Binned” permanently?")
	if res := e.post(c, admin+"/purge", admin+"/purge", nil); res.status != http.StatusSeeOther {
		t.Fatalf("purge: %d", res.status)
	}
	if _, err := e.store.PostByID(context.Background(), id); err == nil {
		t.Errorf("the post is still stored after Delete permanently")
	}
}

// TestRevisionsThroughTheAdmin: saves keep revisions, the diff is escaped
// Markdown lines, and restoring one brings its text back.
func TestRevisionsThroughTheAdmin(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	form := url.Values{"title": {"Revised"}, "body": {"line one\n<script>x</script>\nline three"}, "status": {"draft"}, "kind": {"post"}}
	if res := e.post(c, "/admin/posts/new", "/admin/posts", form); res.status != http.StatusSeeOther {
		t.Fatalf("save: %d", res.status)
	}
	p := e.postTitled("Revised")
	edit := fmt.Sprintf("/admin/posts/%d", p.ID)
	form.Set("body", "line one\nline two\nline three")
	if res := e.post(c, edit+"/edit", edit, form); res.status != http.StatusSeeOther {
		t.Fatalf("second save: %d", res.status)
	}
	revs, err := e.store.Revisions(context.Background(), p.ID)
	if err != nil || len(revs) != 2 {
		t.Fatalf("revisions: %d %v", len(revs), err)
	}
	first := fmt.Sprintf("%s/revisions/%d", edit, revs[1].ID)
	mustContain(t, e.get(c, edit+"/revisions").body, first)
	diff := e.get(c, first)
	mustContain(t, diff.body, "<del>- &lt;script&gt;x&lt;/script&gt;</del>", "<ins>+ line two</ins>", "  line one")
	mustNotContain(t, diff.body, "<script>x</script>")
	if res := e.post(c, first, first, nil); res.status != http.StatusSeeOther {
		t.Fatalf("restore revision: %d", res.status)
	}
	if got := e.postTitled("Revised"); !strings.Contains(got.Body, "<script>x</script>") {
		t.Errorf("restored body = %q", got.Body)
	}
	if revs, _ := e.store.Revisions(context.Background(), p.ID); len(revs) != 3 {
		t.Errorf("restoring keeps a revision too: %d", len(revs))
	}
	// A draft's preview works before publishing, for its writers only.
	mustContain(t, e.get(c, edit+"/preview").body, "Preview: readers do not see this post", "line one")
	if res := e.get(e.client(), edit+"/preview"); res.status != http.StatusSeeOther {
		t.Errorf("preview for a stranger: %d", res.status)
	}
	// A shared link shows the draft to anyone, until it is published.
	res := e.post(c, "/admin/posts?status=draft", edit+"/preview", nil)
	if res.status != http.StatusSeeOther {
		t.Fatalf("share preview: %d", res.status)
	}
	m := regexp.MustCompile(`/preview/([0-9a-f]{48})`).FindStringSubmatch(e.get(c, edit+"/preview").body)
	if m == nil {
		t.Fatal("no shared link shown")
	}
	stranger := e.client()
	if res := e.get(stranger, m[0]); res.status != http.StatusOK || !strings.Contains(res.body, "line one") {
		t.Errorf("shared preview: %d", res.status)
	}
	if res := e.get(stranger, "/preview/"+strings.Repeat("0", 48)); res.status != http.StatusNotFound {
		t.Errorf("a made-up preview token: %d", res.status)
	}
	form.Set("status", "published")
	e.post(c, edit+"/edit", edit, form)
	if res := e.get(stranger, m[0]); res.status != http.StatusSeeOther || res.header.Get("Location") != e.postTitled("Revised").Path() {
		t.Errorf("a shared preview of a published post: %d %s", res.status, res.header.Get("Location"))
	}
	cora, _ := e.login(e.userWithRole(models.RoleContributor, "cora"))
	if res := e.get(cora, edit+"/preview"); res.status != http.StatusForbidden {
		t.Errorf("preview of another's draft for a contributor: %d", res.status)
	}
}
