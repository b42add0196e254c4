package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// blog is a client of the running server, seeded with the bench's posts.
type blog struct {
	base      string
	http      *http.Client // no redirects followed, no cookies: a stranger
	admin     *http.Client // the logged-in writer's browser
	appPass   string       // XML-RPC app password (cheap to check, unlike bcrypt)
	mainID    int64        // the ~32 KB post: post 1, as .ci/wrk-ping.lua pings it
	postPath  string       // its permalink path
	permalink string
	editIDs   []int64 // small posts the XML-RPC edit clients own, one each
	modIDs    []int64 // seeded comments the moderation clients act on
	db        *benchDB
}

// response is a fully read answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func newHTTPClient(jar http.CookieJar) *http.Client {
	return &http.Client{
		Jar:     jar,
		Timeout: 60 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns: 128, MaxIdleConnsPerHost: 128, IdleConnTimeout: time.Minute,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func do(c *http.Client, req *http.Request) (*response, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

func (b *blog) get(ctx context.Context, path string) (*response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	if err != nil {
		return nil, err
	}
	return do(b.http, req)
}

func (b *blog) postForm(ctx context.Context, c *http.Client, path string, form url.Values) (*response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(c, req)
}

// call makes an XML-RPC call as the bench user; a fault is an error, and
// the HTTP status is returned so callers can count 5xx.
func (b *blog) call(ctx context.Context, method string, params ...any) (any, int, error) {
	var body bytes.Buffer
	if err := xmlrpc.EncodeCall(&body, method, params...); err != nil {
		return nil, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+"/xmlrpc", &body)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "text/xml")
	resp, err := do(b.http, req)
	if err != nil {
		return nil, 0, err
	}
	if resp.status != http.StatusOK {
		return nil, resp.status, fmt.Errorf("%s: HTTP %d", method, resp.status)
	}
	v, err := xmlrpc.DecodeResponse(bytes.NewReader(resp.body))
	return v, resp.status, err
}

var (
	csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	appToken  = regexp.MustCompile(`id="ap-token"[^>]*value="([^"]+)"`)
)

// adminForm GETs path for its CSRF token, then POSTs form with it.
func (b *blog) adminForm(ctx context.Context, path string, form url.Values) (*response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	if err != nil {
		return nil, err
	}
	page, err := do(b.admin, req)
	if err != nil {
		return nil, err
	}
	m := csrfField.FindSubmatch(page.body)
	if m == nil {
		return nil, fmt.Errorf("GET %s (HTTP %d): no CSRF token on the page", path, page.status)
	}
	form.Set("csrf_token", html.UnescapeString(string(m[1])))
	return b.postForm(ctx, b.admin, path, form)
}

// seed logs in, relaxes the comment limits (the bench's readers all come
// from 127.0.0.1), makes an app password, writes the posts over XML-RPC and
// adds comments, TrackBacks and Webmentions, approving most of them.
func seed(ctx context.Context, base, dbPath string) (*blog, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	b := &blog{base: base, http: newHTTPClient(nil), admin: newHTTPClient(jar)}
	if err := b.expectRedirect(ctx, "/login", url.Values{"login": {"bench"}, "password": {password}}); err != nil {
		return nil, err
	}
	settings := url.Values{"title": {"Bench blog"}, "tagline": {"Measured"}, "moderate": {"on"},
		"pings_enabled": {"on"}, "posts_per_page": {"10"}, "pings_close_days": {"0"},
		"comment_interval": {"0"}, "comment_burst": {"100"}, "comments_per_post": {"10000"}}
	if err := b.expectRedirect(ctx, "/admin/settings", settings); err != nil {
		return nil, err
	}
	r, err := b.adminForm(ctx, "/admin/app-passwords", url.Values{"name": {"bench"}})
	if err != nil {
		return nil, fmt.Errorf("app password: %w", err)
	}
	if r.status == http.StatusSeeOther { // the token is shown once, on the page redirected to
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/admin/app-passwords", nil)
		if err != nil {
			return nil, err
		}
		if r, err = do(b.admin, req); err != nil {
			return nil, fmt.Errorf("app password: %w", err)
		}
	}
	m := appToken.FindSubmatch(r.body)
	if m == nil {
		return nil, fmt.Errorf("app password: HTTP %d, no token on the page", r.status)
	}
	b.appPass = html.UnescapeString(string(m[1]))

	if b.mainID, err = b.newPost(ctx, "A long post to read", longBody()); err != nil {
		return nil, err
	}
	if b.mainID != 1 {
		return nil, fmt.Errorf("the long post is post %d; .ci/wrk-ping.lua pings post 1", b.mainID)
	}
	loc, err := b.get(ctx, "/trackback/1")
	if err != nil {
		return nil, err
	}
	b.permalink = loc.header.Get("Location")
	u, err := url.Parse(b.permalink)
	if err != nil || u.Path == "" {
		return nil, fmt.Errorf("no permalink for post 1 (GET /trackback/1: HTTP %d)", loc.status)
	}
	b.postPath = u.Path
	for i := range 8 {
		id, err := b.newPost(ctx, fmt.Sprintf("Edited post %d", i), "A short post that XML-RPC clients edit.")
		if err != nil {
			return nil, err
		}
		b.editIDs = append(b.editIDs, id)
	}
	if b.db, err = openBenchDB(dbPath); err != nil {
		return nil, err
	}
	return b, b.seedFeedback(ctx)
}

// seedFeedback gives the long post 16 comments (12 approved), 10 TrackBacks
// and 5 Webmentions (approved); 20 comments on the edited posts are for the
// moderation clients.
func (b *blog) seedFeedback(ctx context.Context) error {
	for i := range 16 {
		if _, err := b.comment(ctx, b.mainID, fmt.Sprintf("Reader %d", i), fmt.Sprintf("Comment %d: %s", i, lorem)); err != nil {
			return err
		}
	}
	for i := range 20 {
		if _, err := b.comment(ctx, b.editIDs[i%len(b.editIDs)], "Moderated reader", fmt.Sprintf("To moderate %d", i)); err != nil {
			return err
		}
	}
	for i := range 10 {
		ok, err := b.trackback(ctx, b.mainID, fmt.Sprintf("https://seed-t%d.example/post", i))
		if err != nil {
			return fmt.Errorf("seed TrackBack %d: %w", i, err)
		}
		if !ok {
			return fmt.Errorf("seed TrackBack %d refused", i)
		}
	}
	for i := range 5 {
		code, err := b.webmention(ctx, fmt.Sprintf("https://seed-w%d.example/reply", i))
		if err != nil {
			return fmt.Errorf("seed Webmention %d: %w", i, err)
		}
		if code != http.StatusCreated {
			return fmt.Errorf("seed Webmention %d: HTTP %d", i, code)
		}
	}
	ids, err := b.db.feedbackIDs(ctx)
	if err != nil {
		return err
	}
	for _, it := range ids {
		if it.postID == b.mainID && (it.kind != "comment" || it.n < 12) {
			if _, _, err := b.call(ctx, "wp.editComment", 1, "bench", b.appPass, int(it.id), map[string]any{"status": "approve"}); err != nil {
				return fmt.Errorf("approve %d: %w", it.id, err)
			}
		} else if it.kind == "comment" && it.postID != b.mainID {
			b.modIDs = append(b.modIDs, it.id)
		}
	}
	return nil
}

func (b *blog) newPost(ctx context.Context, title, body string) (int64, error) {
	v, _, err := b.call(ctx, "metaWeblog.newPost", "1", "bench", b.appPass,
		map[string]any{"title": title, "description": body, "mt_allow_comments": 1, "mt_allow_pings": 1}, true)
	if err != nil {
		return 0, fmt.Errorf("metaWeblog.newPost: %w", err)
	}
	s, _ := v.(string)
	return strconv.ParseInt(s, 10, 64)
}

// comment posts a reader's comment; true when it was taken (303 to the
// comment on the post, #comment-ID).
func (b *blog) comment(ctx context.Context, postID int64, name, content string) (int, error) {
	r, err := b.postForm(ctx, b.http, "/comments/"+strconv.FormatInt(postID, 10),
		url.Values{"name": {name}, "email": {"reader@example.com"}, "content": {content}})
	if err != nil {
		return 0, err
	}
	if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "#comment-") {
		return r.status, fmt.Errorf("comment refused: HTTP %d", r.status)
	}
	return r.status, nil
}

// trackback pings postID from source; true when answered <error>0</error>.
func (b *blog) trackback(ctx context.Context, postID int64, source string) (bool, error) {
	r, err := b.postForm(ctx, b.http, "/trackback/"+strconv.FormatInt(postID, 10),
		url.Values{"url": {source}, "title": {"A reply"}, "excerpt": {"Some words about your post"}, "blog_name": {"Other"}})
	if err != nil {
		return false, err
	}
	if r.status >= 500 {
		return false, fmt.Errorf("TrackBack: HTTP %d", r.status)
	}
	return r.status == http.StatusOK && bytes.Contains(r.body, []byte("<error>0</error>")), nil
}

// webmention sends a mention of the long post; 201 means accepted.
func (b *blog) webmention(ctx context.Context, source string) (int, error) {
	r, err := b.postForm(ctx, b.http, "/webmention", url.Values{"source": {source}, "target": {b.permalink}})
	if err != nil {
		return 0, err
	}
	return r.status, nil
}

// expectRedirect posts an admin form and expects the 303 of a success.
func (b *blog) expectRedirect(ctx context.Context, path string, form url.Values) error {
	r, err := b.adminForm(ctx, path, form)
	if err != nil {
		return fmt.Errorf("POST %s: %w", path, err)
	}
	if r.status != http.StatusSeeOther {
		return fmt.Errorf("POST %s: HTTP %d, want 303", path, r.status)
	}
	return nil
}

// longBody is about 16 KB of Markdown (paragraphs, lists, code blocks): with
// the comments, linkbacks and layout the post page is about 32 KB.
func longBody() string {
	var sb strings.Builder
	for i := 0; sb.Len() < 16<<10; i++ {
		fmt.Fprintf(&sb, "## Section %d\n\n%s\n\n- one point\n- another point, with *emphasis*\n\n", i, lorem)
		if i%4 == 0 {
			sb.WriteString("```\nfunc main() { fmt.Println(\"hello\") }\n```\n\n")
		}
	}
	return sb.String()
}

const lorem = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor " +
	"incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation " +
	"ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit " +
	"in voluptate velit esse cillum dolore eu fugiat nulla pariatur."
