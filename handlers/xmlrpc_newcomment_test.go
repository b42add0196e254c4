package handlers

import (
	"context"
	"errors"
	"testing"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// TestXMLRPCNewComment: wp.newComment takes comment_parent as WordPress
// does (a reply by the logged-in user, approved for an administrator), and
// wp.getComment and wp.getComments give each comment's parent.
func TestXMLRPCNewComment(t *testing.T) {
	te := newThreadEnv(t, map[string]string{models.SettingThreadDepth: "2"})
	u := te.user
	te.publish(te.owner, "Closed", "No talk", map[string][]string{"allow_comments": {""}})
	closed := te.testEnv.postID("closed")
	tests := []struct {
		name       string
		postID     any
		st         map[string]any
		fault      int
		wantParent int64
	}{
		{"reply", te.postID, map[string]any{"comment_parent": id(te.ann), "content": "Admin replies.", "author": "ignored"}, 0, te.ann},
		{"reply as int, capped at the depth", int(te.postID), map[string]any{"comment_parent": int(te.carl), "content": "Deep."}, 0, te.ann},
		{"new thread", id(te.postID), map[string]any{"content": "Top."}, 0, 0},
		{"held parent", te.postID, map[string]any{"comment_parent": id(te.held), "content": "x"}, 403, 0},
		{"another post's parent", te.postID, map[string]any{"comment_parent": id(te.elsewhere), "content": "x"}, 403, 0},
		{"empty", te.postID, map[string]any{"content": " "}, 403, 0},
		{"closed post", closed, map[string]any{"content": "x"}, 403, 0},
		{"no such post", 99999, map[string]any{"content": "x"}, 404, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := te.rpc("wp.newComment", 1, u.Name, testPassword, tt.postID, tt.st)
			var f *xmlrpc.Fault
			if tt.fault != 0 {
				if !errors.As(err, &f) || f.Code != tt.fault {
					t.Fatalf("got %v %v, want fault %d", v, err, tt.fault)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			newID, ok := v.(int)
			if !ok {
				t.Fatalf("wp.newComment = %#v, want an int", v)
			}
			got := asStruct(t, te.mustRPC("wp.getComment", 1, u.Name, testPassword, newID))
			want := "0"
			if tt.wantParent != 0 {
				want = id(tt.wantParent)
			}
			if got["parent"] != want || got["status"] != "approve" || got["author"] != u.Byline() || got["author_email"] != u.Email {
				t.Errorf("wp.getComment = %v, want parent %s by %s", got, want, u.Byline())
			}
		})
	}
	list := asArray(t, te.mustRPC("wp.getComments", 1, u.Name, testPassword, map[string]any{"post_id": te.postID, "number": 50}))
	parents := map[string]any{}
	for _, c := range list {
		s := asStruct(t, c)
		parents[s["comment_id"].(string)] = s["parent"]
	}
	if parents[id(te.bob)] != id(te.ann) || parents[id(te.carl)] != id(te.bob) || parents[id(te.ann)] != "0" {
		t.Errorf("wp.getComments parents: %v", parents)
	}
	// The approved reply is on the page at once, nested.
	mustContain(t, te.get(te.client(), te.path).body, "Admin replies.")
	if n, _ := te.store.QueueCounts(context.Background(), "", te.postID); n[models.ModApproved] != 6 {
		t.Errorf("approved: %v", n)
	}
}
