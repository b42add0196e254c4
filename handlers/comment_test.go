package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/crosstalk/crosstalk/models"
)

// A comment carrying bidirectional overrides, a vertical tab (U+000B) and
// bytes that are not UTF-8 is stored as valid, clean text and shown escaped.
func TestCommentTextStoredClean(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "Clean", "Talk", nil)
	form := url.Values{
		"name":    {"\u202EA\x00nn\xff \x0b"},
		"url":     {"https://ann.example/\u200F"},
		"content": {"Hi <b>\u202Eevil\u202C</b>\x0b\xfe\xff\r\nthere\u2066!\u2069\uFEFF"},
	}
	if res := e.do(e.client(), "POST", "/comments/1", form); res.status != http.StatusSeeOther {
		t.Fatalf("status %d: %.300s", res.status, res.body)
	}
	ctx := context.Background()
	items, err := e.store.Queue(ctx, models.QueueFilter{Status: models.ModPending, Limit: 10})
	if err != nil || len(items) != 1 {
		t.Fatalf("queue: %v, %d items", err, len(items))
	}
	got := items[0]
	if got.AuthorName != "Ann\uFFFD" || got.SourceURL != "https://ann.example/" ||
		got.Content != "Hi <b>evil</b>\uFFFD\nthere!" {
		t.Errorf("stored name %q, url %q, content %q", got.AuthorName, got.SourceURL, got.Content)
	}
	for _, s := range []string{got.AuthorName, got.SourceURL, got.Content} {
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\u202E\u202C\u2066\u2069\u200F\uFEFF\x0b\r") {
			t.Errorf("stored text not clean: %q", s)
		}
	}
	if err := e.queue().SetFeedbackStatus(ctx, models.ModApproved, got.ID); err != nil {
		t.Fatal(err)
	}
	page := e.get(e.client(), path)
	mustContain(t, page.body, "Hi &lt;b&gt;evil&lt;/b&gt;\uFFFD", "Ann\uFFFD")
	mustNotContain(t, page.body, "<b>evil", "\u202E", "\x0b", "\u2066")
	if !utf8.ValidString(page.body) {
		t.Error("the post page is not valid UTF-8")
	}
}
