package handlers

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

// TestTrashFreesTheSlug: as in WordPress, a trashed post gives up its slug
// (it becomes slug__trashed), so a new post can take it; restoring it gets
// the slug back when still free, else a numbered one, and says so.
func TestTrashFreesTheSlug(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	ctx := context.Background()
	path := e.publish(c, "Reused", "The first one.", nil)
	first := e.postTitled("Reused")
	trash := func(id int64) {
		admin := fmt.Sprintf("/admin/posts/%d", id)
		if res := e.post(c, admin+"/delete", admin+"/delete", nil); res.status != http.StatusSeeOther {
			t.Fatalf("trash %d: %d", id, res.status)
		}
	}
	restore := func(id int64) string {
		admin := fmt.Sprintf("/admin/posts/%d", id)
		if res := e.post(c, "/admin/posts?status=trash", admin+"/restore", nil); res.status != http.StatusSeeOther {
			t.Fatalf("restore %d: %d", id, res.status)
		}
		return e.get(c, "/admin/posts?status=trash").body // shows the flash
	}
	slugOf := func(id int64) string {
		p, err := e.store.PostByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return p.Slug
	}

	trash(first.ID)
	if got := slugOf(first.ID); got != "reused__trashed" {
		t.Errorf("trashed slug = %q", got)
	}
	admin := fmt.Sprintf("/admin/posts/%d", first.ID)
	if res := e.post(c, admin+"/delete", admin+"/delete", nil); res.status != http.StatusConflict {
		t.Errorf("trashed twice: %d", res.status)
	}
	if got := slugOf(first.ID); got != "reused__trashed" {
		t.Errorf("trashed twice, slug = %q", got)
	}
	msg := restore(first.ID)
	if got := slugOf(first.ID); got != "reused" {
		t.Errorf("restored with the slug free: %q", got)
	}
	if e.get(e.client(), path).status != http.StatusOK {
		t.Errorf("the restored post is not at %s", path)
	}
	mustNotContain(t, msg, "Another post took")

	trash(first.ID)
	if again := e.publish(c, "Reused", "The second one.", nil); again != path {
		t.Fatalf("the new post did not take the freed slug: %s", again)
	}
	second, err := e.store.PostBySlug(ctx, models.KindPost, "reused")
	if err != nil || second.ID == first.ID {
		t.Fatalf("new post: %+v %v", second, err)
	}
	trash(second.ID) // both in the trash under the same old slug
	if got := slugOf(second.ID); got != "reused__trashed-2" {
		t.Errorf("second trashed slug = %q", got)
	}
	restore(second.ID)
	msg = restore(first.ID)
	if got := slugOf(first.ID); got != "reused-2" {
		t.Errorf("restored with the slug taken: %q", got)
	}
	mustContain(t, msg, "Another post took its slug “reused” while it was in the trash, so its slug is now “reused-2”.")
	if got := slugOf(second.ID); got != "reused" {
		t.Errorf("the post restored first lost its slug: %q", got)
	}
}
