package handlers

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

func TestRSDDiscovery(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	home := e.get(c, "/")
	mustContain(t, home.body, `<link rel="EditURI" type="application/rsd+xml" title="RSD" href="http://blog.test/rsd.xml">`)
	res := e.get(c, "/rsd.xml")
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/rsd+xml; charset=utf-8" {
		t.Fatalf("rsd: %d %s", res.status, res.header.Get("Content-Type"))
	}
	var doc struct {
		XMLName xml.Name `xml:"http://archipelago.phrasewise.com/rsd rsd"`
		Version string   `xml:"version,attr"`
		Engine  string   `xml:"service>engineName"`
		Home    string   `xml:"service>homePageLink"`
		APIs    []struct {
			Name      string `xml:"name,attr"`
			BlogID    string `xml:"blogID,attr"`
			Preferred string `xml:"preferred,attr"`
			APILink   string `xml:"apiLink,attr"`
		} `xml:"service>apis>api"`
	}
	if err := xml.Unmarshal([]byte(res.body), &doc); err != nil {
		t.Fatalf("rsd is not RSD: %v\n%s", err, res.body)
	}
	if doc.Version != "1.0" || doc.Home != "http://blog.test/" || len(doc.APIs) != 4 {
		t.Fatalf("rsd = %+v", doc)
	}
	var names []string
	for _, api := range doc.APIs {
		names = append(names, api.Name)
		if api.APILink != "http://blog.test/xmlrpc" || api.BlogID != "1" {
			t.Errorf("api %+v", api)
		}
		if (api.Preferred == "true") != (api.Name == "MetaWeblog") {
			t.Errorf("only MetaWeblog is preferred: %+v", api)
		}
	}
	if !slices.Equal(names, []string{"MetaWeblog", "MovableType", "Blogger", "WordPress"}) {
		t.Errorf("apis = %v", names)
	}
}

func TestXMLRPCEndpoint(t *testing.T) {
	e := newEnv(t)
	res := e.get(e.client(), "/xmlrpc")
	if res.status != http.StatusMethodNotAllowed || !strings.Contains(res.body, "accepts POST requests only") {
		t.Errorf("GET /xmlrpc: %d %q", res.status, res.body)
	}
	tests := []struct {
		name string
		body string
		code int
		msg  string
	}{
		{"malformed XML", `<methodCall><methodName>system.listMethods</methodName><params>`, xmlrpc.CodeParseError, "parse error"},
		{"not XML-RPC", `<html><body>hi</body></html>`, xmlrpc.CodeParseError, "parse error"},
		{"entity expansion", `<!DOCTYPE m [<!ENTITY e "x">]><methodCall><methodName>&e;</methodName></methodCall>`, xmlrpc.CodeParseError, "DOCTYPE"},
		{"unknown method", `<methodCall><methodName>wp.nothing</methodName></methodCall>`, xmlrpc.CodeMethodNotFound, "wp.nothing"},
		{"missing params", `<methodCall><methodName>metaWeblog.getPost</methodName></methodCall>`, xmlrpc.CodeInvalidParams, "missing param"},
		{"wrong type", `<methodCall><methodName>metaWeblog.getPost</methodName><params><param><value><string>1</string></value></param><param><value><array><data/></array></value></param></params></methodCall>`, xmlrpc.CodeInvalidParams, "expected string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.rpcRaw(tt.body)
			wantFault(t, err, tt.code, tt.msg)
		})
	}
	t.Run("body cap", func(t *testing.T) {
		small := newEnvConfig(t, models.Options{}, PingLimits{}, 3000) // the cap is 4000 bytes of base64 and 8 MiB for a post
		_, u := small.admin()
		huge := `<methodCall><methodName>metaWeblog.newMediaObject</methodName><params><param><value>1</value></param>` +
			`<param><value>` + u.Name + `</value></param><param><value>` + testPassword + `</value></param><param><value><string>` +
			strings.Repeat("a", 4000+8<<20) + `</string></value></param></params></methodCall>`
		_, err := small.rpcRaw(huge)
		wantFault(t, err, xmlrpc.CodeParseError, "too large")
		// A caller who has not logged in is cut off after a small read.
		anonymous := `<methodCall><methodName>system.listMethods</methodName><params><param><value><string>` +
			strings.Repeat("a", xmlrpc.DefaultAnonymousBody) + `</string></value></param></params></methodCall>`
		_, err = small.rpcRaw(anonymous)
		wantFault(t, err, xmlrpc.CodeParseError, "too large")
	})
	t.Run("cross-site callers are not refused", func(t *testing.T) {
		_, err := e.rpcRaw(`<methodCall><methodName>system.listMethods</methodName></methodCall>`,
			"Origin", "https://elsewhere.example", "Sec-Fetch-Site", "cross-site")
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestEveryMethodOfTheIssue checks the method table through mt.supportedMethods.
func TestEveryMethodOfTheIssue(t *testing.T) {
	e := newEnv(t)
	methods := asArray(t, e.mustRPC("mt.supportedMethods"))
	for _, want := range []string{"blogger.getUsersBlogs", "blogger.deletePost", "metaWeblog.newPost", "metaWeblog.editPost",
		"metaWeblog.getPost", "metaWeblog.getRecentPosts", "metaWeblog.getCategories", "metaWeblog.newMediaObject",
		"mt.getCategoryList", "mt.getPostCategories", "mt.setPostCategories", "mt.supportedMethods", "mt.supportedTextFilters",
		"mt.getTrackbackPings", "mt.publishPost", "wp.getComments", "wp.getComment", "wp.editComment", "wp.deleteComment",
		"wp.getCommentCount"} {
		if !slices.Contains(methods, any(want)) {
			t.Errorf("%s is not served", want)
		}
	}
	if filters := asArray(t, e.mustRPC("mt.supportedTextFilters")); len(filters) != 0 {
		t.Errorf("text filters = %v", filters)
	}
}

// TestMetaWeblogRoundTrip publishes as MarsEdit, reads back, edits as Open
// Live Writer, lists and deletes.
func TestMetaWeblogRoundTrip(t *testing.T) {
	e := newEnv(t)
	_, u := e.admin()
	blogs := asArray(t, e.mustRPC("blogger.getUsersBlogs", "0123456789ABCDEF", u.Name, testPassword))
	blog := asStruct(t, blogs[0])
	if blog["blogid"] != "1" || blog["url"] != "http://blog.test/" || blog["xmlrpc"] != "http://blog.test/xmlrpc" || blog["isAdmin"] != true {
		t.Errorf("blog = %v", blog)
	}

	v, err := e.rpcRaw(fmt.Sprintf(marsEditNewPost, u.Name, testPassword))
	if err != nil {
		t.Fatal(err)
	}
	id, ok := v.(string)
	if !ok || id == "" {
		t.Fatalf("newPost answered %T %v, want the post id as a string", v, v)
	}
	v, err = e.rpcRaw(fmt.Sprintf(marsEditGetPost, id, u.Name, testPassword))
	if err != nil {
		t.Fatal(err)
	}
	got := asStruct(t, v)
	date := time.Date(2026, 11, 29, 10, 20, 30, 0, time.UTC)
	want := map[string]any{
		"postid": id, "title": "Hello <World>", "mt_text_more": "<p>The rest.</p>", "mt_excerpt": "A short summary",
		"description": "<p>Body & <em>more</em></p><script>alert(1)</script>",
		"wp_slug":     "hello-world", "post_status": "publish", "mt_allow_comments": 1, "mt_allow_pings": 0,
		"link": "http://blog.test/2026/11/hello-world", "permaLink": "http://blog.test/2026/11/hello-world",
		"mt_keywords": "go, xml-rpc", "dateCreated": date, "date_created_gmt": date, "post_type": "post",
		"userid": strconv.FormatInt(u.ID, 10),
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("getPost %s = %#v, want %#v", k, got[k], w)
		}
	}
	// As in WordPress: categories are categories, mt_keywords tags.
	if cats := fmt.Sprint(got["categories"]); cats != "[Blogging Go]" {
		t.Errorf("categories = %s", cats)
	}
	if pings := fmt.Sprint(got["mt_tb_ping_urls"]); pings != "[http://example.org/trackback/7 https://other.example/tb/9]" {
		t.Errorf("mt_tb_ping_urls = %s", pings)
	}
	stored, err := e.store.PostBySlug(context.Background(), models.KindPost, "hello-world")
	if err != nil || stored.PingURLs != "http://example.org/trackback/7\nhttps://other.example/tb/9" {
		t.Fatalf("stored ping URLs: %q %v", stored.PingURLs, err)
	}
	page := e.get(e.client(), "/2026/11/hello-world")
	mustContain(t, page.body, "<p>Body &amp; <em>more</em></p>", "<p>The rest.</p>", "Hello &lt;World&gt;", `href="/tag/xml-rpc"`,
		`href="/category/blogging"`)
	mustNotContain(t, page.body, "alert(1)", "<!--more-->")

	if _, err := e.rpcRaw(fmt.Sprintf(openLiveWriterEditPost, id, u.Name, testPassword)); err != nil {
		t.Fatal(err)
	}
	got = asStruct(t, e.mustRPC("metaWeblog.getPost", id, u.Name, testPassword))
	if got["title"] != "Edited in Writer" || got["description"] != "<p>New body with <strong>bold</strong> & an ampersand</p>" ||
		got["mt_text_more"] != "" || fmt.Sprint(got["categories"]) != "[Writer]" || got["mt_allow_comments"] != 0 ||
		fmt.Sprint(got["mt_tb_ping_urls"]) != "[]" || got["dateCreated"] != date || got["mt_excerpt"] != "A short summary" {
		t.Errorf("after Writer's edit: %v", got)
	}

	recent := asArray(t, e.mustRPC("metaWeblog.getRecentPosts", "1", u.Name, testPassword, 5))
	if len(recent) != 1 || asStruct(t, recent[0])["postid"] != id {
		t.Errorf("recent = %v", recent)
	}
	titles := asArray(t, e.mustRPC("mt.getRecentPostTitles", "1", u.Name, testPassword, 5))
	if len(titles) != 1 || asStruct(t, titles[0])["title"] != "Edited in Writer" || asStruct(t, titles[0])["description"] != nil {
		t.Errorf("titles = %v", titles)
	}

	if v := e.mustRPC("blogger.deletePost", "", id, u.Name, testPassword, true); v != true {
		t.Errorf("deletePost = %v", v)
	}
	// As in WordPress, the first delete moves it to the trash, the second deletes it for good.
	if st := asStruct(t, e.mustRPC("metaWeblog.getPost", id, u.Name, testPassword)); st["post_status"] != "trash" {
		t.Errorf("after deletePost, post_status = %v", st["post_status"])
	}
	if v := e.mustRPC("blogger.deletePost", "", id, u.Name, testPassword, true); v != true {
		t.Errorf("deletePost from the trash = %v", v)
	}
	_, err = e.rpc("metaWeblog.getPost", id, u.Name, testPassword)
	wantFault(t, err, 404, "Invalid post ID.")
	_, err = e.rpc("blogger.deletePost", "", id, u.Name, testPassword, true)
	wantFault(t, err, 404, "Invalid post ID.")
	_, err = e.rpc("metaWeblog.editPost", "abc", u.Name, testPassword, map[string]any{"title": "x"}, true)
	wantFault(t, err, 404, "Invalid post ID.")
}

// TestNewPostStatuses covers statuses, dates, post types and refusals, in
// the shape the WordPress iOS app sends.
func TestNewPostStatuses(t *testing.T) {
	e := newEnv(t)
	_, u := e.admin()
	future, past := "20261201T09:00:00Z", "2026-11-01T08:00:00Z"
	tests := []struct {
		title, status, date, typ string
		wantStatus               models.PostStatus
		wantKind                 models.PostKind
		faultCode                int
		faultMsg                 string
	}{
		{"Published at once", "publish", past, "post", models.StatusPublished, models.KindPost, 0, ""},
		{"Publish in the future", "publish", future, "post", models.StatusScheduled, models.KindPost, 0, ""},
		{"Explicitly future", "future", future, "post", models.StatusScheduled, models.KindPost, 0, ""},
		{"A draft", "draft", past, "post", models.StatusDraft, models.KindPost, 0, ""},
		{"Pending review", "pending", past, "post", models.StatusPending, models.KindPost, 0, ""},
		{"Private", "private", past, "post", models.StatusPrivate, models.KindPost, 0, ""},
		{"No status, publish flag false", "", past, "", models.StatusDraft, models.KindPost, 0, ""},
		{"About", "publish", past, "page", models.StatusPublished, models.KindPage, 0, ""},
		{"Bad status", "inherit", past, "post", "", "", 401, "Invalid post status."},
		{"Bad type", "publish", past, "attachment", "", "", 401, "Invalid post type."},
		{"", "publish", past, "post", "", "", 400, "title: A title is required."},
	}
	for _, tt := range tests {
		t.Run(tt.title+tt.status, func(t *testing.T) {
			v, err := e.rpcRaw(fmt.Sprintf(wordPressIOSNewPost, u.Name, testPassword, tt.title, tt.status, tt.date, tt.typ))
			if tt.faultCode != 0 {
				wantFault(t, err, tt.faultCode, tt.faultMsg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var id int64
			fmt.Sscan(v.(string), &id)
			p, err := e.store.PostByID(context.Background(), id)
			if err != nil || p.Status != tt.wantStatus || p.Kind != tt.wantKind || !p.AllowComments || p.AllowPings {
				t.Fatalf("stored %+v, %v", p, err)
			}
		})
	}
	t.Run("taken slug gets a number", func(t *testing.T) {
		for _, want := range []string{"same-title", "same-title-2", "same-title-3"} {
			id := e.mustRPC("metaWeblog.newPost", "1", u.Name, testPassword, map[string]any{"title": "Same title", "description": "x"}, true)
			got := asStruct(t, e.mustRPC("metaWeblog.getPost", id, u.Name, testPassword))
			if got["wp_slug"] != want {
				t.Errorf("slug = %v, want %s", got["wp_slug"], want)
			}
		}
	})
	t.Run("future without a date", func(t *testing.T) {
		_, err := e.rpc("metaWeblog.newPost", "1", u.Name, testPassword, map[string]any{"title": "When?", "post_status": "future"}, true)
		wantFault(t, err, 400, "dateCreated")
	})
	t.Run("bad TrackBack URL", func(t *testing.T) {
		_, err := e.rpc("metaWeblog.newPost", "1", u.Name, testPassword,
			map[string]any{"title": "Pings", "mt_tb_ping_urls": []any{"javascript:alert(1)"}}, true)
		wantFault(t, err, 400, "not an http or https URL")
	})
	t.Run("TrackBack URLs as one string", func(t *testing.T) {
		id := e.mustRPC("metaWeblog.newPost", "1", u.Name, testPassword,
			map[string]any{"title": "Ping string", "mt_tb_ping_urls": "http://a.example/tb/1 http://b.example/tb/2\n"}, false)
		got := asStruct(t, e.mustRPC("metaWeblog.getPost", id, u.Name, testPassword))
		if fmt.Sprint(got["mt_tb_ping_urls"]) != "[http://a.example/tb/1 http://b.example/tb/2]" || got["post_status"] != "draft" {
			t.Errorf("got %v %v", got["mt_tb_ping_urls"], got["post_status"])
		}
	})
}

// TestRemoteWritesRefreshTheMonthArchive: the post service's change hook
// drops the home page's cached month list after an XML-RPC publish and
// delete, so readers see them at once, while a failed call leaves it cached.
func TestRemoteWritesRefreshTheMonthArchive(t *testing.T) {
	e := newEnv(t)
	c, u := e.admin()
	e.publish(c, "November", "x", nil)
	reader := e.client()
	mustContain(t, e.get(reader, "/").body, "November 2026</a> (1)")
	id := e.mustRPC("metaWeblog.newPost", "1", u.Name, testPassword, map[string]any{"title": "Remote", "description": "y"}, true).(string)
	mustContain(t, e.get(reader, "/").body, "November 2026</a> (2)")
	if _, err := e.rpc("blogger.deletePost", "", "999999", u.Name, testPassword, false); err == nil {
		t.Fatal("deleting a missing post succeeded")
	}
	e.mustRPC("blogger.deletePost", "", id, u.Name, testPassword, false)
	mustContain(t, e.get(reader, "/").body, "November 2026</a> (1)")
}
