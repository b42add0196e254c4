package models

import (
	"context"
	"strings"
	"testing"
)

func TestSearchRanksPublishedOnlyAndFollowsEdits(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	now := clock.Now()
	mk := func(title, body string, status PostStatus) *Post {
		p := newPost(u.ID, title, status, &now)
		p.Body = body
		if err := s.CreatePost(ctx, p, nil); err != nil {
			t.Fatal(err)
		}
		return p
	}
	inTitle := mk("Sourdough starter", "Flour and water.", StatusPublished)
	inBody := mk("Weekend", "I baked sourdough bread with <b>butter</b> & jam.", StatusPublished)
	mk("Draft sourdough", "secret sourdough", StatusDraft)
	locked := mk("Locked", "sourdough behind a password", StatusPublished)
	locked.Password = "pw"
	if err := s.UpdatePost(ctx, locked, nil); err != nil {
		t.Fatal(err)
	}
	page := mk("About sourdough", "A page.", StatusPublished)
	page.Kind = KindPage
	if err := s.UpdatePost(ctx, page, nil); err != nil {
		t.Fatal(err)
	}

	search := func(q string, offset, limit int) SearchResults {
		t.Helper()
		res, err := s.Search(ctx, ParseSearch(q), offset, limit)
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		return res
	}
	res := search("SOURDOUGH", 0, 10)
	if res.Total != 3 || len(res.Hits) != 3 {
		t.Fatalf("sourdough: %d hits of %d, want 3 (two posts and the page; no draft, no password-protected post)", len(res.Hits), res.Total)
	}
	if res.Hits[2].Post.ID != inBody.ID {
		t.Errorf("the post with the word only in its text ranks %v, want last", res.Hits)
	}
	for _, h := range res.Hits {
		if h.Post.ID == inBody.ID && !strings.Contains(h.Snippet, MarkStart+"sourdough"+MarkEnd) {
			t.Errorf("snippet %q does not mark the word", h.Snippet)
		}
	}
	if got := search("sourdough", 2, 10); got.Total != 3 || len(got.Hits) != 1 {
		t.Errorf("page 2 of size 2: %d hits of %d, want 1 of 3", len(got.Hits), got.Total)
	}
	if got := search("sour*", 0, 10); got.Total != 3 {
		t.Errorf("prefix sour*: %d, want 3", got.Total)
	}
	if got := search("sourdough butter", 0, 10); got.Total != 1 {
		t.Errorf("two words: %d, want 1 (every word is required)", got.Total)
	}

	inTitle.Status = StatusDraft
	if err := s.UpdatePost(ctx, inTitle, nil); err != nil {
		t.Fatal(err)
	}
	inBody.Body = "Now about rye."
	if err := s.UpdatePost(ctx, inBody, nil); err != nil {
		t.Fatal(err)
	}
	if got := search("sourdough", 0, 10); got.Total != 1 || got.Hits[0].Post.ID != page.ID {
		t.Errorf("after unpublishing and an edit: %+v, want the page alone", got.Hits)
	}
	if got := search("rye", 0, 10); got.Total != 1 {
		t.Errorf("the edited text is found: %d, want 1", got.Total)
	}
	if err := s.DeletePost(ctx, page.ID); err != nil {
		t.Fatal(err)
	}
	if got := search("sourdough", 0, 10); got.Total != 0 {
		t.Errorf("after deleting: %d, want 0", got.Total)
	}
}

// TestSearchInputIsNeverSyntax feeds the query languages' operators in:
// none is an error, none changes what is searched.
func TestSearchInputIsNeverSyntax(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	now := clock.Now()
	p := newPost(u.ID, "Near the sea", StatusPublished, &now)
	p.Body = "The sea or the lake, and not the river."
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q    string
		want int
	}{
		{``, 0}, {`"`, 0}, {`*`, 0}, {`"""`, 0}, {`NEAR(`, 1}, {`NEAR(sea lake, 2)`, 0}, {`sea NEAR lake`, 1},
		{`sea OR nothing`, 0}, {`sea -river`, 1}, {`title:sea`, 0}, {`"sea`, 1}, {`sea"`, 1}, {`sea*"`, 1},
		{`(sea`, 1}, {`sea)`, 1}, {`sea & lake | river`, 1}, {`!sea`, 1}, {`'sea'`, 1}, {`sea:*`, 1}, {`\sea\`, 1},
		{`^sea`, 1}, {`sea AND lake`, 1}, {`NOT`, 1}, {`<->`, 0}, {`sea <-> lake`, 1}, {"sea\x00lake", 1},
		{strings.Repeat("sea ", 50), 1}, {strings.Repeat("x", 500), 0}, {"\x02sea\x03", 1},
	} {
		res, err := s.Search(ctx, ParseSearch(tc.q), 0, 10)
		if err != nil {
			t.Errorf("%q: %v", tc.q, err)
			continue
		}
		if res.Total != tc.want {
			t.Errorf("%q (terms %v): %d hits, want %d", tc.q, ParseSearch(tc.q), res.Total, tc.want)
		}
	}
}
