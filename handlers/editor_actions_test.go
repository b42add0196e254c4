package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

// TestPublishButton: a draft's editor offers Publish beside Save draft;
// Publish publishes whatever the status menu says, and the page after it
// links to the post.
func TestPublishButton(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	page := e.get(c, "/admin/posts/new")
	mustContain(t, page.body, `value="publish" id="publish">Publish</button>`, `>Save draft</button>`)
	res := e.post(c, "/admin/posts/new", "/admin/posts", url.Values{"kind": {"post"}, "title": {"Out now"}, "body": {"x"},
		"status": {"draft"}, "action": {"publish"}})
	loc := res.header.Get("Location")
	if res.status != http.StatusSeeOther || !strings.HasSuffix(loc, "/edit?saved=1") {
		t.Fatalf("publish: %d %q", res.status, loc)
	}
	p, err := e.store.PostByID(context.Background(), e.postID("out-now"))
	if err != nil || p.Status != models.StatusPublished {
		t.Fatalf("after Publish: %v %v", p, err)
	}
	edit := e.get(c, loc)
	mustContain(t, edit.body, fmt.Sprintf(`<a href="%s" id="view-post">View post</a>`, p.Path()), ">Update</button>", "Published.")
	mustNotContain(t, edit.body, `id="publish"`)
}

// TestQueueActionsAndTitleFilter: each tab's buttons are the moves that
// apply, named as actions; the post filter takes a title.
func TestQueueActionsAndTitleFilter(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	e.publish(c, "Harbour walk", "x", nil)
	e.publish(c, "Harbour night", "x", nil)
	e.publish(c, "Mountains", "x", nil)
	for _, postID := range []int64{1, 2, 3} {
		if _, err := e.store.AddFeedback(context.Background(), &models.Feedback{PostID: postID, Kind: models.FeedbackComment,
			Status: models.ModPending, AuthorName: "n", Content: fmt.Sprintf("comment on %d", postID)}); err != nil {
			t.Fatal(err)
		}
	}
	tabs := []struct {
		status    string
		want      []string
		forbidden []string
	}{
		{"pending", []string{">Approve</button>", ">Mark as spam</button>", ">Trash</button>"}, []string{">Approved<", "Back to pending", ">Restore<"}},
		{"approved", []string{">Unapprove</button>", ">Mark as spam</button>"}, []string{">Approve</button>"}},
		{"spam", []string{">Not spam</button>", ">Approve</button>"}, []string{">Mark as spam</button>"}},
		{"trash", []string{">Restore</button>"}, []string{">Trash</button>"}},
	}
	for _, tt := range tabs {
		page := e.get(c, "/admin/queue?status="+tt.status)
		mustContain(t, page.body, tt.want...)
		mustNotContain(t, page.body, tt.forbidden...)
	}
	one := e.get(c, "/admin/queue?post_title=mountains")
	mustContain(t, one.body, "comment on 3", `value="Mountains"`)
	mustNotContain(t, one.body, "comment on 1")
	several := e.get(c, "/admin/queue?post_title=harbour")
	mustContain(t, several.body, "Several posts match", `&amp;post=1">Harbour walk</a>`, `&amp;post=2">Harbour night</a>`)
	none := e.get(c, "/admin/queue?post_title=nothing+like+it")
	mustContain(t, none.body, "No post title contains", "comment on 1", "comment on 3")
	res := e.post(c, "/admin/queue", "/admin/queue", url.Values{"action": {"approved"}, "id": {"1"}, "return": {"pending"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("moderate: %d", res.status)
	}
	mustContain(t, e.get(c, res.header.Get("Location")).body, "1 item approved.")
}
