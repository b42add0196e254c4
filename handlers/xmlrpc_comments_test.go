package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

func TestRemoteModeration(t *testing.T) {
	e := newEnv(t)
	_, u := e.admin()
	pw := testPassword
	id := e.mustRPC("metaWeblog.newPost", "1", u.Name, pw, map[string]any{"title": "Discussed", "description": "Talk to me."}, true).(string)
	var postID int64
	fmt.Sscan(id, &postID)

	res := e.do(e.client(), "POST", "/comments/"+id, url.Values{"name": {"Ann"}, "email": {"ann@example.com"},
		"url": {"https://ann.example/"}, "content": {"First <b>comment</b>"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("comment: %d", res.status)
	}
	e.clock.Advance(time.Second)
	tb := &models.Feedback{PostID: postID, Kind: models.FeedbackTrackBack, Status: models.ModPending, AuthorName: "Other blog",
		SourceURL: "https://other.example/post", Title: "A reply", Content: "They wrote about it", IP: "192.0.2.7"}
	if _, err := e.store.AddFeedback(context.Background(), tb); err != nil {
		t.Fatal(err)
	}

	held := asArray(t, mustRaw(t, e, fmt.Sprintf(wpGetCommentsCall, u.Name, pw, id, "hold", "10")))
	if len(held) != 2 {
		t.Fatalf("held = %v", held)
	}
	ping, comment := asStruct(t, held[0]), asStruct(t, held[1])
	if ping["type"] != "trackback" || ping["author"] != "Other blog" || ping["author_url"] != "https://other.example/post" ||
		ping["link"] != fmt.Sprintf("http://blog.test/2026/11/discussed#ping-%d", tb.ID) {
		t.Errorf("trackback = %v", ping)
	}
	want := map[string]any{"type": "", "status": "hold", "author": "Ann", "author_url": "https://ann.example/",
		"author_email": "ann@example.com", "content": "First <b>comment</b>", "post_id": id, "post_title": "Discussed",
		"parent": "0", "date_created_gmt": time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	for k, w := range want {
		if comment[k] != w {
			t.Errorf("comment %s = %#v, want %#v", k, comment[k], w)
		}
	}
	cid := comment["comment_id"].(string)
	if comment["link"] != "http://blog.test/2026/11/discussed#comment-"+cid {
		t.Errorf("link = %v", comment["link"])
	}

	if v := mustRaw(t, e, fmt.Sprintf(wpEditCommentCall, u.Name, pw, cid, "approve")); v != true {
		t.Errorf("editComment = %v", v)
	}
	if got := asStruct(t, e.mustRPC("wp.getComment", 1, u.Name, pw, cid)); got["status"] != "approve" {
		t.Errorf("after approval: %v", got)
	}
	mustContain(t, e.get(e.client(), "/2026/11/discussed").body, `id="comment-`+cid+`"`, "First &lt;b&gt;comment&lt;/b&gt;")

	count := asStruct(t, e.mustRPC("wp.getCommentCount", 1, u.Name, pw, id))
	if fmt.Sprint(count) != "map[approved:1 awaiting_moderation:1 spam:0 total_comments:2]" {
		t.Errorf("count = %v", count)
	}
	if all := asStruct(t, e.mustRPC("wp.getCommentCount", 1, u.Name, pw, "")); all["total_comments"] != 2 {
		t.Errorf("blog count = %v", all)
	}
	if list := asArray(t, e.mustRPC("wp.getComments", 1, u.Name, pw)); len(list) != 2 {
		t.Errorf("no filter: held and approved, got %d", len(list))
	}
	if list := asArray(t, e.mustRPC("wp.getComments", 1, u.Name, pw, map[string]any{"number": 1, "offset": 1})); len(list) != 1 ||
		asStruct(t, list[0])["comment_id"] != cid {
		t.Errorf("number 1 offset 1 = %v", list)
	}
	if list := asArray(t, e.mustRPC("wp.getComments", 1, u.Name, pw, map[string]any{"type": "trackback"})); len(list) != 1 {
		t.Errorf("type trackback = %v", list)
	}

	tbID := strconv.FormatInt(tb.ID, 10)
	e.mustRPC("wp.editComment", 1, u.Name, pw, tbID, map[string]any{"status": "spam"})
	if spam := asArray(t, mustRaw(t, e, fmt.Sprintf(wpGetCommentsCall, u.Name, pw, "", "spam", "5"))); len(spam) != 1 {
		t.Errorf("spam = %v", spam)
	}
	e.mustRPC("wp.editComment", 1, u.Name, pw, cid, map[string]any{"content": "Edited by the owner", "author": "Ann B."})
	if got := asStruct(t, e.mustRPC("wp.getComment", 1, u.Name, pw, cid)); got["content"] != "Edited by the owner" || got["author"] != "Ann B." || got["status"] != "approve" {
		t.Errorf("edited = %v", got)
	}

	refusals := []struct {
		name   string
		method string
		params []any
		code   int
		msg    string
	}{
		{"bad status", "wp.editComment", []any{1, u.Name, pw, cid, map[string]any{"status": "approved!"}}, 401, "Invalid comment status."},
		{"empty comment", "wp.editComment", []any{1, u.Name, pw, cid, map[string]any{"content": " "}}, 400, "content: The comment is empty."},
		{"bad filter", "wp.getComments", []any{1, u.Name, pw, map[string]any{"status": "pending"}}, 401, "Invalid comment status."},
		{"unknown comment", "wp.getComment", []any{1, u.Name, pw, "999"}, 404, "Invalid comment ID."},
		{"unknown comment edit", "wp.editComment", []any{1, u.Name, pw, 999, map[string]any{"status": "spam"}}, 404, "Invalid comment ID."},
		{"wrong password", "wp.getComments", []any{1, u.Name, "nope", map[string]any{}}, 403, "Incorrect username or password."},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.rpc(tt.method, tt.params...)
			wantFault(t, err, tt.code, tt.msg)
		})
	}

	e.mustRPC("wp.deleteComment", 1, u.Name, pw, cid)
	if got := asStruct(t, e.mustRPC("wp.getComment", 1, u.Name, pw, cid)); got["status"] != "trash" {
		t.Errorf("deleted once: want trash, got %v", got["status"])
	}
	e.mustRPC("wp.deleteComment", 1, u.Name, pw, cid)
	_, err := e.rpc("wp.getComment", 1, u.Name, pw, cid)
	wantFault(t, err, 404, "Invalid comment ID.")
}

func mustRaw(t testing.TB, e *testEnv, body string) any {
	t.Helper()
	v, err := e.rpcRaw(body)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMovableTypeMethods(t *testing.T) {
	e := newEnv(t)
	_, u := e.admin()
	pw := testPassword
	id := e.mustRPC("metaWeblog.newPost", "1", u.Name, pw, map[string]any{"title": "Tagged", "description": "x",
		"categories": []string{"Go", "Rust"}, "mt_keywords": "go, Web"}, false).(string)

	list := asArray(t, e.mustRPC("mt.getCategoryList", "1", u.Name, pw))
	ids := map[string]string{}
	for _, c := range list {
		m := asStruct(t, c)
		ids[m["categoryName"].(string)] = m["categoryId"].(string)
	}
	// MetaWeblog's categories are categories (made when new), mt_keywords tags.
	if len(ids) != 2 || ids["Go"] == "" || ids["Rust"] == "" {
		t.Fatalf("category list = %v", list)
	}
	if err := e.store.SaveCategory(context.Background(), &models.Category{Name: "Web"}); err != nil {
		t.Fatal(err)
	}
	cats := asArray(t, e.mustRPC("metaWeblog.getCategories", "1", u.Name, pw))
	for _, c := range cats {
		m := asStruct(t, c)
		ids[m["categoryName"].(string)] = m["categoryId"].(string)
	}
	if first := asStruct(t, cats[0]); first["categoryName"] != "Go" || first["htmlUrl"] != "http://blog.test/category/go" ||
		first["rssUrl"] != "http://blog.test/category/go/feed" || first["categoryId"] != ids["Go"] || first["parentId"] != "0" {
		t.Errorf("getCategories[0] = %v", first)
	}
	if got := asStruct(t, e.mustRPC("metaWeblog.getPost", id, u.Name, pw)); got["mt_keywords"] != "Web, go" {
		t.Errorf("mt_keywords = %v, want the tags", got["mt_keywords"])
	}
	postCats := asArray(t, e.mustRPC("mt.getPostCategories", id, u.Name, pw))
	if len(postCats) != 2 || asStruct(t, postCats[0])["isPrimary"] != true || asStruct(t, postCats[1])["isPrimary"] != false {
		t.Errorf("post categories = %v", postCats)
	}
	var rustID int
	fmt.Sscan(ids["Rust"], &rustID)
	e.mustRPC("mt.setPostCategories", id, u.Name, pw, []any{map[string]any{"categoryId": rustID, "isPrimary": true},
		map[string]any{"categoryId": ids["Web"]}})
	if got := asStruct(t, e.mustRPC("metaWeblog.getPost", id, u.Name, pw)); fmt.Sprint(got["categories"]) != "[Rust Web]" {
		t.Errorf("after setPostCategories: %v", got["categories"])
	}
	_, err := e.rpc("mt.setPostCategories", id, u.Name, pw, []any{map[string]any{"categoryId": "9999"}})
	wantFault(t, err, 404, "Invalid category ID.")
	_, err = e.rpc("mt.getPostCategories", "9999", u.Name, pw)
	wantFault(t, err, 404, "Invalid post ID.")

	// A draft's pings are not public; mt.publishPost makes it live.
	_, err = e.rpc("mt.getTrackbackPings", id)
	wantFault(t, err, 404, "Invalid post ID.")
	if v := e.mustRPC("mt.publishPost", id, u.Name, pw); v != true {
		t.Errorf("publishPost = %v", v)
	}
	got := asStruct(t, e.mustRPC("metaWeblog.getPost", id, u.Name, pw))
	if got["post_status"] != "publish" || got["dateCreated"] != e.clock.Now() {
		t.Errorf("published: %v %v", got["post_status"], got["dateCreated"])
	}
	if res := e.get(e.client(), "/2026/11/tagged"); res.status != http.StatusOK {
		t.Errorf("published page: %d", res.status)
	}
	var postID int64
	fmt.Sscan(id, &postID)
	for _, f := range []*models.Feedback{
		{PostID: postID, Kind: models.FeedbackTrackBack, Status: models.ModApproved, Title: "Reply", SourceURL: "https://a.example/1", IP: "192.0.2.1"},
		{PostID: postID, Kind: models.FeedbackPingback, Status: models.ModPending, Title: "Held", SourceURL: "https://b.example/2"},
		{PostID: postID, Kind: models.FeedbackComment, Status: models.ModApproved, AuthorName: "C", Content: "c"},
	} {
		if _, err := e.store.AddFeedback(context.Background(), f); err != nil {
			t.Fatal(err)
		}
	}
	pings := asArray(t, e.mustRPC("mt.getTrackbackPings", id))
	if len(pings) != 1 || fmt.Sprint(pings[0]) != "map[pingIP: pingTitle:Reply pingURL:https://a.example/1]" {
		t.Errorf("pings = %v", pings)
	}
}
