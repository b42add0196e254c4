package federation

import (
	"context"
	"testing"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/activitypub"
)

// FuzzInboxDispatch acts on arbitrary inbox bodies as if a known remote
// actor had signed them, on a real store: it must never panic, and every
// reply or reaction it keeps must be that actor's, on the one post.
func FuzzInboxDispatch(f *testing.F) {
	const post = testBase + "/2026/11/hello"
	for _, s := range []string{
		`{"id":"https://m.example/1","type":"Follow","actor":"x","object":"https://blog.example/ap/blog"}`,
		`{"type":"Undo","actor":"x","object":{"type":"Follow","object":"https://blog.example/ap/blog"}}`,
		`{"type":"Create","actor":"x","object":{"id":"https://m.example/n/1","type":"Note","attributedTo":"https://m.example/users/a","inReplyTo":"` + post + `","content":"<p>hi</p>"}}`,
		`{"type":"Create","actor":"x","object":{"id":"https://m.example/n/2","type":"Note","attributedTo":"https://m.example/users/a","inReplyTo":"https://m.example/n/1","content":"re"}}`,
		`{"type":"Update","actor":"x","object":{"id":"https://m.example/n/1","type":"Note","attributedTo":"https://m.example/users/a","content":"<b>new</b>"}}`,
		`{"id":"https://m.example/l/1","type":"Like","actor":"x","object":"` + post + `"}`,
		`{"type":"Undo","actor":"x","object":{"id":"https://m.example/l/1","type":"Like","object":"` + post + `"}}`,
		`{"type":"Delete","actor":"x","object":{"id":"https://m.example/n/1","type":"Tombstone"}}`,
		`{"id":"https://m.example/b/1","type":"Announce","actor":"x","object":[{"id":"` + post + `"}]}`,
	} {
		f.Add([]byte(s))
	}
	fx := newFixture(f)
	ctx := context.Background()
	site, err := fx.svc.Site(ctx)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := activitypub.DecodeIncoming(body)
		if err != nil {
			return
		}
		in.Actor = activitypub.Link(fx.actor.ID) // the signer, as Inbox checks
		if err := fx.svc.dispatch(ctx, site, fx.actor, in); err != nil {
			t.Fatalf("dispatch %q: %v", body, err)
		}
		items, err := fx.store.Queue(ctx, models.QueueFilter{Kind: models.FeedbackFediverse, Status: models.ModPending, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.PostID != fx.post.ID || it.AuthorURL != fx.actor.URL {
				t.Fatalf("stray response %+v from %q", it.Feedback, body)
			}
		}
	})
}
