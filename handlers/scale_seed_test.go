package handlers

import (
	"fmt"
	"testing"

	"github.com/crosstalk/crosstalk/models/storetest"
)

// scaleSeed describes a large blog made with a few INSERT … SELECT
// statements over a recursive counter (portable to SQLite and PostgreSQL),
// seconds where one insert per row would take minutes.
type scaleSeed struct {
	Posts int // published posts p-1 (newest, hourly back from the clock) … p-N
	Tags  int // tags t-0 … t-(Tags-1); post i carries tag i % Tags
	// HotComments approved comments go to post p-1.
	HotComments int
	// Feedback more items spread over every post: comments, TrackBacks,
	// Pingbacks and Webmentions, 10% pending, 70% approved, 15% spam, 5% trash.
	Feedback int
	AuthorID int64
}

// seedScale writes s into the database at target, where the store made the schema.
func seedScale(tb testing.TB, target string, s scaleSeed) {
	tb.Helper()
	pg := storetest.IsPostgres(target)
	// at(i) is i hours before the test clock's time, in the form each driver stores.
	at := func(i string) string {
		if pg {
			return "(TIMESTAMPTZ '2026-11-30 12:00:00+00' - (" + i + ") * INTERVAL '1 hour')"
		}
		return "strftime('%Y-%m-%d %H:%M:%S+00:00', '2026-11-30 12:00:00', '-' || (" + i + ") || ' hours')"
	}
	seq := func(n int) string {
		return fmt.Sprintf("WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %d) ", n)
	}
	var stmts []string
	add := func(n int, stmt string) {
		if n > 0 { // the counter yields 1 even when asked for none
			stmts = append(stmts, stmt)
		}
	}
	add(s.Tags,
		"INSERT INTO tags (name, slug) "+seq(s.Tags)+"SELECT 'Tag ' || (i - 1), 't-' || (i - 1) FROM seq")
	add(s.Posts, fmt.Sprintf("INSERT INTO posts (kind, author_id, title, slug, body, body_html, excerpt, status, allow_comments, allow_pings, published_at, created_at, updated_at) "+
		seq(s.Posts)+"SELECT 'post', %d, 'Post number ' || i, 'p-' || i, 'Hello', '<p>Hello, this is post '|| i || '.</p>', '', 'published', TRUE, TRUE, %s, %s, %s FROM seq",
		s.AuthorID, at("i"), at("i"), at("i")))
	add(s.Tags, fmt.Sprintf("INSERT INTO post_tags (post_id, tag_id) SELECT p.id, t.id FROM posts p JOIN tags t ON t.slug = 't-' || (CAST(substr(p.slug, 3) AS INTEGER) %% %d) WHERE p.slug LIKE 'p-%%'", s.Tags))
	add(s.HotComments, "INSERT INTO feedback (post_id, kind, status, author_name, content, verification, created_at, updated_at) "+seq(s.HotComments)+
		"SELECT (SELECT id FROM posts WHERE slug = 'p-1'), 'comment', 'approved', 'Reader ' || i, 'Comment number ' || i || '.', '', "+at("0")+", "+at("0")+" FROM seq")
	add(s.Feedback, "INSERT INTO feedback (post_id, kind, status, author_name, source_url, title, content, verification, created_at, updated_at) "+seq(s.Feedback)+
		"SELECT (SELECT MIN(id) FROM posts) + (i % "+fmt.Sprint(s.Posts)+"), "+
		"CASE i % 4 WHEN 0 THEN 'comment' WHEN 1 THEN 'trackback' WHEN 2 THEN 'pingback' ELSE 'webmention' END, "+
		"CASE WHEN i % 20 < 2 THEN 'pending' WHEN i % 20 < 16 THEN 'approved' WHEN i % 20 < 19 THEN 'spam' ELSE 'trash' END, "+
		"'Someone ' || i, 'https://s' || i || '.example/post', 'A reply', 'Some words about your post.', 'verified', "+at("i % 1000")+", "+at("i % 1000")+" FROM seq")
	storetest.Exec(tb, target, stmts...)
}
