package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
)

// peer is a source site on another port of 127.0.0.1 whose pages a test
// changes as it goes: a page is its HTML, or "410", "404" or "500".
type peer struct {
	pages sync.Map // path → page
	srv   *httptest.Server
}

func newPeer(t *testing.T) *peer {
	p := &peer{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, ok := p.pages.Load(r.URL.Path)
		switch {
		case !ok || page == "404":
			http.NotFound(w, r)
		case page == "410":
			http.Error(w, "gone", http.StatusGone)
		case page == "500":
			http.Error(w, "down", http.StatusInternalServerError)
		default:
			fmt.Fprint(w, page.(string))
		}
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// set serves page at path and returns the page's URL.
func (p *peer) set(path, page string) string {
	p.pages.Store(path, page)
	return p.srv.URL + path
}

// verify runs one pass of the real background verifier.
func (e *testEnv) verify() {
	v := &jobs.Verifier{Store: e.store, Client: safeclient.New(safeclient.Options{AllowPrivateNetworks: true}),
		BaseURL: testBaseURL, Log: slog.New(slog.DiscardHandler), Now: e.clock.Now, Changed: e.pages.InvalidatePost}
	v.RunOnce(context.Background())
}

type mentionStatus struct {
	Status, Source, Target, Summary string
}

// status reads a Webmention's status page (the Location it was answered
// with) as JSON, and checks the HTML page says the same.
func (e *testEnv) status(location string) mentionStatus {
	e.t.Helper()
	path := strings.TrimPrefix(location, testBaseURL)
	res := e.do(e.client(), "GET", path, nil, "Accept", "application/json")
	var st mentionStatus
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
		e.t.Fatalf("status %s: %d %s %q", path, res.status, res.header.Get("Content-Type"), res.body)
	}
	if err := json.Unmarshal([]byte(res.body), &st); err != nil {
		e.t.Fatal(err)
	}
	page := e.do(e.client(), "GET", path, nil, "Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	if page.status != http.StatusOK || !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") {
		e.t.Fatalf("status page %s: %d %s", path, page.status, page.header.Get("Content-Type"))
	}
	mustContain(e.t, page.body, "Webmention: "+st.Status, html.EscapeString(st.Summary), `<meta name="robots" content="noindex">`)
	return st
}

// newMentionEnv is a blog with one published post (its path returned) and a
// source site on another port.
func newMentionEnv(t *testing.T, title string) (*testEnv, string, *peer) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 1000})
	c, _ := e.admin()
	return e, e.publish(c, title, "x", nil), newPeer(t)
}

func linking(target, words string) string {
	return `<title>` + words + `</title><p>` + words + ` <a href="` + target + `">this post</a>.</p>`
}

// TestWebmentionStatusPage: every accepted Webmention is answered 201 with
// the Location of an unguessable status page, which follows the mention
// through queued, verified, approved and refused, as HTML and as JSON.
func TestWebmentionStatusPage(t *testing.T) {
	e, path, src := newMentionEnv(t, "Status")
	target := testBaseURL + path
	source := src.set("/reply", linking(target, "A reply"))
	res := e.webmention(source+"?a=1&b=<2>", target)
	if res.status != http.StatusBadRequest {
		t.Fatalf("a source with <> is not a URL: %d", res.status)
	}
	res = e.webmention(source, target)
	location := res.header.Get("Location")
	if res.status != http.StatusCreated || !strings.HasPrefix(location, testBaseURL+"/webmention/status/") {
		t.Fatalf("webmention: %d, Location %q", res.status, location)
	}
	token := strings.TrimPrefix(location, testBaseURL+"/webmention/status/")
	if len(token) < 20 {
		t.Fatalf("token %q is guessable", token)
	}
	want := func(state, summary string) {
		t.Helper()
		st := e.status(location)
		if st.Status != state || st.Source != source || st.Target != target || !strings.Contains(st.Summary, summary) {
			t.Errorf("status %+v, want %s (%q)", st, state, summary)
		}
	}
	want("queued", "not been checked yet")
	e.verify()
	want("verified", "awaits the blog owner's approval")
	mention := linkbacksOf(t, e, models.FeedbackWebmention)[0]
	if err := e.queue().SetFeedbackStatus(context.Background(), models.ModApproved, mention.ID); err != nil {
		t.Fatal(err)
	}
	want("approved", "shown under the post")
	src.set("/reply", `<p>changed my mind</p>`)
	if res := e.webmention(source, target); res.status != http.StatusCreated || res.header.Get("Location") != location {
		t.Fatalf("re-send: %d %q", res.status, res.header.Get("Location"))
	}
	want("approved", "being fetched again")
	e.verify()
	want("refused", "the source does not link to the target")

	// A source that is gone, and one never reachable.
	gone := src.set("/gone", "410")
	down := src.set("/down", "500")
	locations := map[string]string{}
	for _, s := range []string{gone, down} {
		res := e.webmention(s, target+"#comments")
		if res.status != http.StatusCreated {
			t.Fatal(res.status)
		}
		locations[s] = res.header.Get("Location")
	}
	e.verify()
	if st := e.status(locations[gone]); st.Status != "refused" || !strings.Contains(st.Summary, "the source is gone") || st.Target != target {
		t.Errorf("gone: %+v", st)
	}
	if st := e.status(locations[down]); st.Status != "queued" || !strings.Contains(st.Summary, "tried again") {
		t.Errorf("down, first try: %+v", st)
	}
	for range jobs.VerifyBackoff().Attempts {
		e.clock.Advance(2 * time.Hour)
		e.verify()
	}
	if st := e.status(locations[down]); st.Status != "refused" || !strings.Contains(st.Summary, "the source could not be fetched") {
		t.Errorf("down, out of retries: %+v", st)
	}

	// HTML is escaped; an unknown or empty token is 404 in both forms.
	odd := src.set("/q", linking(target, "odd"))
	res = e.webmention(odd+"?x=1&y='z'", target)
	if res.status != http.StatusCreated {
		t.Fatal(res.status)
	}
	page := e.get(e.client(), strings.TrimPrefix(res.header.Get("Location"), testBaseURL))
	mustContain(t, page.body, "x=1&amp;y=&#39;z&#39;")
	mustNotContain(t, page.body, "y='z'")
	for _, f := range linkbacksOf(t, e, models.FeedbackWebmention) {
		if strings.HasPrefix(f.SourceURL, odd) {
			if err := e.queue().SetFeedbackStatus(context.Background(), models.ModSpam, f.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if st := e.status(res.header.Get("Location")); st.Status != "refused" || !strings.Contains(st.Summary, "did not accept") {
		t.Errorf("marked as spam: %+v", st)
	}
	for _, path := range []string{"/webmention/status/" + token + "x", "/webmention/status/1"} {
		if res := e.get(e.client(), path); res.status != http.StatusNotFound {
			t.Errorf("%s: %d", path, res.status)
		}
		if res := e.do(e.client(), "GET", path, nil, "Accept", "application/json"); res.status != http.StatusNotFound ||
			!strings.Contains(res.header.Get("Content-Type"), "json") {
			t.Errorf("%s as JSON: %d %s", path, res.status, res.header.Get("Content-Type"))
		}
	}
}

// TestWebmentionVariantTargets: whatever form of the post's address a
// sender names, the stored target is its permalink; forms that name no
// post are refused with 400. A source linking to the permalink with a query
// string or a fragment is verified against it.
func TestWebmentionVariantTargets(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 1000})
	c, _ := e.admin()
	old := e.publish(c, "Old Name", "x", nil)
	res := e.post(c, "/admin/posts/1/edit", "/admin/posts/1", map[string][]string{"title": {"New Name"}, "slug": {"new-name"},
		"body": {"x"}, "status": {"published"}, "kind": {"post"}, "allow_pings": {"1"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("rename: %d", res.status)
	}
	permalink := testBaseURL + "/2026/11/new-name"
	if res := e.post(c, "/admin/posts/new", "/admin/posts", map[string][]string{"title": {"About"}, "body": {"x"}, "status": {"published"},
		"allow_pings": {"1"}, "kind": {"page"}}); res.status != http.StatusSeeOther {
		t.Fatalf("page: %d", res.status)
	}
	src := newPeer(t)
	accepted := []string{
		permalink,
		permalink + "#comment-3",
		permalink + "?utm_source=x&utm_medium=y",
		permalink + "/",
		"HTTP://BLOG.TEST/2026/11/new-name",
		"https://blog.test/2026/11/new-name",
		"http://blog.test:80/2026/11/new-name",
		"http://blog.test//2026/11/new-name",
		"http://blog.test/2025/01/new-name", // the date in the path is not the post's
		testBaseURL + old,                   // the old slug
	}
	for i, target := range accepted {
		source := src.set(fmt.Sprintf("/a%d", i), linking(target, "variant"))
		res := e.webmention(source, target)
		if res.status != http.StatusCreated {
			t.Errorf("%s: %d %q", target, res.status, res.body)
		}
	}
	for _, f := range linkbacksOf(t, e, models.FeedbackWebmention) {
		if f.TargetURL != permalink {
			t.Errorf("%s stored with target %q", f.SourceURL, f.TargetURL)
		}
	}
	refused := []string{
		permalink + "/more",
		permalink + "%2Fmore",
		testBaseURL + "/about",
		testBaseURL + "/2026/11",
		testBaseURL + "/?p=1",
		"http://blog.test:8080/2026/11/new-name",
		"https://blog.test:80/2026/11/new-name",
		"http://blog.test.evil.example/2026/11/new-name",
		"http://user@blog.test/2026/11/new-name",
		"ftp://blog.test/2026/11/new-name",
	}
	for _, target := range refused {
		if res := e.webmention("https://elsewhere.example/x", target); res.status != http.StatusBadRequest {
			t.Errorf("%s: %d %q", target, res.status, res.body)
		}
	}

	// A source linking to the permalink with a query or fragment verifies.
	withQuery := src.set("/q", linking(permalink+"?utm=1#top", "with a query"))
	if res := e.webmention(withQuery, permalink+"?utm=1"); res.status != http.StatusCreated {
		t.Fatal(res.status)
	}
	e.verify()
	for _, f := range linkbacksOf(t, e, models.FeedbackWebmention) {
		if f.SourceURL == withQuery && f.Verification != models.VerificationVerified {
			t.Errorf("a source linking to the permalink with a query: %q", f.Verification)
		}
	}
}

// TestWebmentionVariantTargetAttack is the attack from issue 11: a stranger
// re-sends an approved mention's source with a variant target the source
// does not link to. The target stays the permalink, the mention keeps
// showing while its source is checked again, and after the check.
func TestWebmentionVariantTargetAttack(t *testing.T) {
	e, path, src := newMentionEnv(t, "Attacked")
	permalink := testBaseURL + path
	source := src.set("/reply", linking(permalink, "A genuine reply"))
	first := e.webmention(source, permalink)
	e.verify()
	mention := linkbacksOf(t, e, models.FeedbackWebmention)[0]
	if err := e.queue().SetFeedbackStatus(context.Background(), models.ModApproved, mention.ID); err != nil {
		t.Fatal(err)
	}
	mustContain(t, e.get(e.client(), path).body, source)

	for _, variant := range []string{permalink + "?utm=x", permalink + "/#x", "https://blog.test" + path + "?a=b"} {
		res := e.webmention(source, variant)
		if res.status != http.StatusCreated || res.header.Get("Location") != first.header.Get("Location") {
			t.Fatalf("re-send with %s: %d %q", variant, res.status, res.header.Get("Location"))
		}
		mustContain(t, e.get(e.client(), path).body, source) // while the re-check is pending
		e.verify()
		mustContain(t, e.get(e.client(), path).body, source)
		got := linkbacksOf(t, e, models.FeedbackWebmention)
		if len(got) != 1 || got[0].TargetURL != permalink || got[0].Verification != models.VerificationVerified ||
			got[0].Status != models.ModApproved || got[0].Title != "A genuine reply" {
			t.Fatalf("after the re-send with %s: %+v", variant, got)
		}
	}
	if st := e.status(first.header.Get("Location")); st.Status != "approved" || st.Target != permalink {
		t.Errorf("status %+v", st)
	}
}

// TestWebmentionResend: a re-sent, approved mention changes only after its
// source is fetched again: an unchanged source changes nothing, an edited
// one updates the text, a 404, 5xx or unreachable source keeps it (and is
// tried again), and only a 410 or a page without the link hides it.
func TestWebmentionResend(t *testing.T) {
	e, path, src := newMentionEnv(t, "Resent")
	permalink := testBaseURL + path
	tests := []struct {
		name, page string // the source after the re-send
		title      string // the stored title after the re-check
		shown      bool
		state      string
	}{
		{"unchanged", linking(permalink, "First words"), "First words", true, "approved"},
		{"edited", linking(permalink, "Second words"), "Second words", true, "approved"},
		{"404", "404", "First words", true, "approved"},
		{"500", "500", "First words", true, "approved"},
		{"410", "410", "First words", false, "refused"},
		{"no link", `<title>No</title><p>gone quiet</p>`, "First words", false, "refused"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fmt.Sprintf("/r%d", i)
			source := src.set(p, linking(permalink, "First words"))
			res := e.webmention(source, permalink)
			e.verify()
			var id int64
			for _, f := range linkbacksOf(t, e, models.FeedbackWebmention) {
				if f.SourceURL == source {
					id = f.ID
				}
			}
			if err := e.queue().SetFeedbackStatus(context.Background(), models.ModApproved, id); err != nil {
				t.Fatal(err)
			}
			mustContain(t, e.get(e.client(), path).body, source)
			src.set(p, tt.page)
			if again := e.webmention(source, permalink); again.status != http.StatusCreated {
				t.Fatal(again.status)
			}
			mustContain(t, e.get(e.client(), path).body, source, "First words")
			e.verify()
			got, err := e.store.FeedbackByID(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			body := e.get(e.client(), path).body
			if got.Title != tt.title || strings.Contains(body, source) != tt.shown || got.Status != models.ModApproved {
				t.Errorf("after the re-check: title %q, shown %v, %+v", got.Title, strings.Contains(body, source), got.Feedback)
			}
			if st := e.status(res.header.Get("Location")); st.Status != tt.state {
				t.Errorf("status %+v, want %s", st, tt.state)
			}
		})
	}
}
