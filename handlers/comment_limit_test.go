package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

func storedComments(t *testing.T, e *testEnv) int {
	t.Helper()
	n, err := e.store.QueueCounts(context.Background(), models.FeedbackComment, 0)
	if err != nil {
		t.Fatal(err)
	}
	return n[models.ModPending] + n[models.ModApproved]
}

func TestCommentFloodFromOneAddress(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	e.publish(c, "Flooded", "text", nil)
	reader := e.client()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		statuses = map[int]int{}
		refused  response
	)
	for i := range 120 {
		wg.Go(func() {
			res := e.do(reader, "POST", "/comments/1", url.Values{"name": {"Ann <b>"}, "email": {"ann@example.com"},
				"url": {"https://ann.example/x"}, "content": {fmt.Sprintf("Comment number %d & <more>", i)}})
			mu.Lock()
			statuses[res.status]++
			if res.status == http.StatusTooManyRequests {
				refused = res
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	stored := storedComments(t, e)
	if stored != models.DefaultCommentLimits().Burst || statuses[http.StatusSeeOther] != stored ||
		statuses[http.StatusTooManyRequests] != 120-stored {
		t.Fatalf("a burst of 120 stored %d comments; answers %v", stored, statuses)
	}
	// The 429 page gives the reader back everything they typed.
	mustContain(t, refused.body, `value="Ann &lt;b&gt;"`, `value="ann@example.com"`, `value="https://ann.example/x"`,
		"&amp; &lt;more&gt;</textarea>", "Comments are arriving too quickly. Wait 15 seconds")
	if ra := refused.header.Get("Retry-After"); ra != "15" {
		t.Errorf("Retry-After %q", ra)
	}
	// WordPress's rule: one more every 15 seconds.
	e.clock.Advance(15 * time.Second)
	form := url.Values{"name": {"Ann"}, "content": {"later"}}
	if res := e.do(reader, "POST", "/comments/1", form); res.status != http.StatusSeeOther {
		t.Errorf("after 15 s: %d", res.status)
	}
	if res := e.do(reader, "POST", "/comments/1", form); res.status != http.StatusTooManyRequests {
		t.Errorf("a second one at once: %d", res.status)
	}
}

// saveCommentLimits posts the settings form with the blog's title and
// these comment limits, as the admin c.
func (e *testEnv) saveCommentLimits(c *http.Client, interval, burst, perPost string) response {
	return e.post(c, "/admin/settings", "/admin/settings", url.Values{"title": {"Blog"}, "posts_per_page": {"10"},
		"comment_interval": {interval}, "comment_burst": {burst}, "comments_per_post": {perPost}})
}

func TestCommentLimitsFollowSettings(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	e.publish(c, "One", "text", nil)
	e.publish(c, "Two", "text", nil)
	bad := e.saveCommentLimits(c, "-1", "ten", "0")
	if bad.status != http.StatusBadRequest {
		t.Fatalf("bad limits: %d", bad.status)
	}
	mustContain(t, bad.body, "from 0 (no limit) to 86400", "Give a whole number.", "from 1 to 10000", `value="-1"`)
	if site, _ := e.store.Settings(context.Background()); site[models.SettingCommentInterval] != "" {
		t.Fatalf("refused limits were stored: %v", site)
	}
	// No per-address limit, two comments per minute per post.
	ok := e.saveCommentLimits(c, "0", "1", "2")
	if ok.status != http.StatusSeeOther {
		t.Fatalf("save limits: %d %.300s", ok.status, ok.body)
	}
	form := e.get(c, "/admin/settings").body
	mustContain(t, form, `name="comment_interval" type="number" min="0" max="86400" value="0"`, `value="2"`)
	e.clock.Advance(time.Minute) // the settings cache
	reader := e.client()
	var got []int
	for _, post := range []string{"1", "1", "1", "2", "2", "2"} {
		got = append(got, e.do(reader, "POST", "/comments/"+post, url.Values{"name": {"A"}, "content": {"x"}}).status)
	}
	want := []int{303, 303, 429, 303, 303, 429}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("answers %v, want %v", got, want)
	}
	if n := storedComments(t, e); n != 4 {
		t.Errorf("stored %d, want 4", n)
	}
}

func TestCommentLimitsValidate(t *testing.T) {
	tests := []struct {
		l    models.CommentLimits
		want string
	}{
		{models.DefaultCommentLimits(), ""},
		{models.CommentLimits{IntervalSeconds: 0, Burst: 1, PerPostPerMinute: 1}, ""},
		{models.CommentLimits{IntervalSeconds: 86401, Burst: 1, PerPostPerMinute: 1}, "comment_interval"},
		{models.CommentLimits{IntervalSeconds: 1, Burst: 101, PerPostPerMinute: 1}, "comment_burst"},
		{models.CommentLimits{IntervalSeconds: 1, Burst: 1, PerPostPerMinute: 10001}, "comments_per_post"},
	}
	for _, tt := range tests {
		err := tt.l.Validate()
		if (err == nil) != (tt.want == "") || err != nil && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.l, err, tt.want)
		}
	}
	// Stored values out of range fall back to the defaults.
	site := models.SiteFromSettings(map[string]string{models.SettingCommentBurst: "0", models.SettingCommentInterval: "30"})
	if site.Comments.Burst != 3 || site.Comments.IntervalSeconds != 30 {
		t.Errorf("read back %+v", site.Comments)
	}
}
