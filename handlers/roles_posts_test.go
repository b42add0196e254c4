package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

// TestOwnPosts: who may open, save and publish whose post, in the editor.
func TestOwnPosts(t *testing.T) {
	e := newEnv(t)
	admin, adminUser := e.admin()
	adminsPost := e.draftOf(adminUser)
	tests := []struct {
		role models.Role
		// othersPost says whether the role may open another user's post.
		othersPost bool
		// published is the status "Publish" on a new post gives.
		published models.PostStatus
	}{
		{models.RoleContributor, false, models.StatusPending},
		{models.RoleAuthor, false, models.StatusPublished},
		{models.RoleEditor, true, models.StatusPublished},
		{models.RoleAdministrator, true, models.StatusPublished},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			c, u := e.login(e.userWithRole(tt.role, "own-"+string(tt.role)))
			res := e.get(c, fmt.Sprintf("/admin/posts/%d/edit", adminsPost.ID))
			if got := res.status != http.StatusForbidden; got != tt.othersPost {
				t.Errorf("opening another's post: %d", res.status)
			}
			res = e.post(c, "/admin/posts/new", fmt.Sprintf("/admin/posts/%d", adminsPost.ID),
				url.Values{"title": {"Taken over"}, "body": {"x"}, "status": {"draft"}, "kind": {"post"}})
			if got := res.status != http.StatusForbidden; got != tt.othersPost {
				t.Errorf("saving another's post: %d", res.status)
			}
			title := "Mine by " + string(tt.role)
			res = e.post(c, "/admin/posts/new", "/admin/posts", url.Values{"title": {title}, "body": {"x"}, "status": {"published"}, "kind": {"post"}})
			if res.status != http.StatusSeeOther {
				t.Fatalf("saving a new post: %d %.300s", res.status, res.body)
			}
			mine := e.postTitled(title)
			if mine.Status != tt.published || mine.AuthorID != u.ID {
				t.Errorf("new post: status %s author %d, want %s by %d", mine.Status, mine.AuthorID, tt.published, u.ID)
			}
			// A contributor's post submitted for review is theirs no more to
			// change once published by an editor; before, it is.
			if res := e.get(c, fmt.Sprintf("/admin/posts/%d/edit", mine.ID)); res.status != http.StatusOK {
				t.Errorf("opening one's own post: %d", res.status)
			}
			if tt.published == models.StatusPending {
				if res := e.get(e.client(), mine.Path()); res.status != http.StatusNotFound {
					t.Errorf("a post pending review is public: %d", res.status)
				}
				mustContain(t, e.get(admin, "/admin").body, `href="/admin/posts?status=pending"`)
				mustNotContain(t, e.get(c, fmt.Sprintf("/admin/posts/%d/edit", mine.ID)).body, "data-media-url")
			}
			res = e.post(c, "/admin/posts/new", "/admin/posts", url.Values{"title": {"A page by " + string(tt.role)}, "body": {"x"}, "status": {"draft"}, "kind": {"page"}})
			if pages := res.status == http.StatusSeeOther; pages != tt.othersPost {
				t.Errorf("writing a page: %d", res.status)
			}
		})
	}
}

// postTitled finds a post by title through the store.
func (e *testEnv) postTitled(title string) *models.Post {
	e.t.Helper()
	posts, err := e.store.RecentPosts(context.Background(), models.KindPost, 200)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := range posts {
		if posts[i].Title == title {
			return &posts[i]
		}
	}
	e.t.Fatalf("no post titled %q", title)
	return nil
}

// TestRolesOverXMLRPC: the same rules over XML-RPC, with WordPress's faults.
func TestRolesOverXMLRPC(t *testing.T) {
	e := newEnv(t)
	_, admin := e.admin()
	adminsPost := e.draftOf(admin)
	contributor := e.userWithRole(models.RoleContributor, "cory")
	author := e.userWithRole(models.RoleAuthor, "ada")
	content := map[string]any{"title": "Over the wire", "description": "x"}

	_, err := e.rpc("metaWeblog.newPost", "1", contributor.Name, testPassword, content, true)
	wantFault(t, err, 401, "Sorry, you are not allowed to publish posts on this site.")
	id := e.mustRPC("metaWeblog.newPost", "1", contributor.Name, testPassword,
		map[string]any{"title": "For review", "description": "x", "post_status": "pending"}, false)
	if st := asStruct(t, e.mustRPC("metaWeblog.getPost", id, contributor.Name, testPassword)); st["post_status"] != "pending" {
		t.Errorf("contributor's post_status = %v", st["post_status"])
	}
	_, err = e.rpc("metaWeblog.editPost", fmt.Sprint(adminsPost.ID), author.Name, testPassword, content, true)
	wantFault(t, err, 401, "Sorry, you are not allowed to edit this post.")
	_, err = e.rpc("metaWeblog.getPost", fmt.Sprint(adminsPost.ID), contributor.Name, testPassword)
	wantFault(t, err, 401, "Sorry, you are not allowed to edit this post.")
	_, err = e.rpc("wp.deletePost", "1", author.Name, testPassword, fmt.Sprint(adminsPost.ID))
	wantFault(t, err, 401, "Sorry, you are not allowed to delete this post.")
	_, err = e.rpc("wp.getComments", "1", author.Name, testPassword, map[string]any{})
	wantFault(t, err, 401, "Sorry, you are not allowed to edit comments.")
	_, err = e.rpc("metaWeblog.newMediaObject", "1", contributor.Name, testPassword,
		map[string]any{"name": "a.png", "type": "image/png", "bits": testPNG(t)})
	wantFault(t, err, 401, "Sorry, you are not allowed to upload files.")

	mine := e.mustRPC("metaWeblog.newPost", "1", author.Name, testPassword, content, true)
	if st := asStruct(t, e.mustRPC("metaWeblog.getPost", mine, author.Name, testPassword)); st["post_status"] != "publish" {
		t.Errorf("author's post_status = %v", st["post_status"])
	}
	if v := e.mustRPC("wp.deletePost", "1", author.Name, testPassword, mine); v != true {
		t.Errorf("wp.deletePost = %v", v)
	}
	if st := asStruct(t, e.mustRPC("metaWeblog.getPost", mine, author.Name, testPassword)); st["post_status"] != "trash" {
		t.Errorf("after wp.deletePost: post_status = %v", st["post_status"])
	}
}
