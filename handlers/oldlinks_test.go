package handlers

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crosstalk/crosstalk/models/markup"
	"github.com/crosstalk/crosstalk/models/wpimport"
	"github.com/crosstalk/crosstalk/models/wxr"
)

// importFixture imports the WordPress 6 export the importer's tests use,
// with its one image.
func (e *testEnv) importFixture() {
	e.t.Helper()
	f, err := os.Open("../models/wxr/testdata/wordpress6.xml")
	if err != nil {
		e.t.Fatal(err)
	}
	defer f.Close()
	doc, err := wxr.Parse(f)
	if err != nil {
		e.t.Fatal(err)
	}
	dir := e.t.TempDir()
	var img bytes.Buffer
	if err := jpeg.Encode(&img, image.NewRGBA(image.Rect(0, 0, 8, 8)), nil); err != nil {
		e.t.Fatal(err)
	}
	_ = os.MkdirAll(filepath.Join(dir, "2020", "03"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "2020", "03", "photo.jpg"), img.Bytes(), 0o644); err != nil {
		e.t.Fatal(err)
	}
	if _, err := wpimport.Import(context.Background(), e.store, doc, wpimport.Options{Markdown: markup.New(), Uploads: dir, Now: e.clock.Now}); err != nil {
		e.t.Fatal(err)
	}
}

func TestImportedBlogOldLinks(t *testing.T) {
	e := newEnv(t)
	admin, u := e.admin() // the export's "admin" becomes this account
	e.importFixture()
	anon := e.client()
	tests := []struct {
		name, path string
		status     int
		location   string
	}{
		{"old permalink", "/2020/03/15/caf%C3%A9-k%C3%BCche/", http.StatusMovedPermanently, "/2020/03/cafe-kuche"},
		{"old permalink without slash", "/2020/03/15/café-küche", http.StatusMovedPermanently, "/2020/03/cafe-kuche"},
		{"child page's old path", "/about/team", http.StatusMovedPermanently, "/team"},
		{"with its slash (gin drops it first)", "/about/team/", http.StatusMovedPermanently, "/about/team"},
		{"same path", "/about", http.StatusOK, ""},
		{"?p=N", "/?p=5", http.StatusMovedPermanently, "/2020/03/cafe-kuche"},
		{"?page_id=N", "/?page_id=12", http.StatusMovedPermanently, "/team"},
		{"?p= of a private post", "/?p=7", http.StatusNotFound, ""},
		{"?p= of a draft", "/?p=8", http.StatusNotFound, ""},
		{"?p= unknown", "/?p=999", http.StatusNotFound, ""},
		{"?p= not a number", "/?p=x", http.StatusNotFound, ""},
		{"/index.php?p=N", "/index.php?p=5", http.StatusMovedPermanently, "/2020/03/cafe-kuche"},
		{"?p= on an old permalink's path", "/2020/03/15/anything/?p=12", http.StatusMovedPermanently, "/team"},
		{"_wp_old_slug", "/2020/03/kaffee", http.StatusMovedPermanently, "/2020/03/cafe-kuche"},
		{"old upload", "/wp-content/uploads/2020/03/photo.jpg", http.StatusMovedPermanently, "/media/1/photo.jpg"},
		{"private post", "/2020/03/a-secret", http.StatusNotFound, ""},
		{"private post's old link", "/2020/03/20/a-secret/", http.StatusNotFound, ""},
		{"new permalink", "/2020/03/cafe-kuche", http.StatusOK, ""},
		{"unknown", "/2020/03/15/nothing/", http.StatusNotFound, ""},
		{"day archive", "/2020/03/15", http.StatusMovedPermanently, "/2020/03"},
		{"paged home", "/page/2", http.StatusMovedPermanently, "/?page=2"},
		{"paged tag", "/tag/go/page/3", http.StatusMovedPermanently, "/tag/go?page=3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.get(anon, tt.path)
			if res.status != tt.status || res.header.Get("Location") != tt.location {
				t.Errorf("%s: %d %q, want %d %q", tt.path, res.status, res.header.Get("Location"), tt.status, tt.location)
			}
		})
	}
	post := e.get(anon, "/2020/03/cafe-kuche")
	mustContain(t, post.body, "Carla", "Thanks, Carla!", `src="/media/1/photo.jpg"`, "A cup of coffee")
	mustNotContain(t, post.body, "old.example/wp-content", "alert(1)")

	if p, err := e.store.PostBySlug(context.Background(), "post", "locked"); err != nil || p.AuthorID != u.ID {
		t.Errorf("the export's admin is not matched to the blog's: %v", err)
	}
	for path, want := range map[string]string{"/2020/03/a-secret": "Only for us.", "/?p=7": ""} {
		res := e.get(admin, path)
		if want == "" {
			if res.status != http.StatusMovedPermanently || res.header.Get("Location") != "/2020/03/a-secret" {
				t.Errorf("logged in %s: %d %q", path, res.status, res.header.Get("Location"))
			}
			continue
		}
		if res.status != http.StatusOK || !strings.Contains(res.body, want) {
			t.Errorf("logged in %s: %d", path, res.status)
		}
	}
	for _, path := range []string{"/", "/feed", "/feed/atom", "/2020/03"} {
		mustNotContain(t, e.get(anon, path).body, "A secret", "Only for us.")
	}
}

func TestPasswordProtectedPost(t *testing.T) {
	e := newEnv(t)
	e.importFixture()
	reader := e.client()
	locked := e.get(reader, "/2020/04/locked")
	if locked.status != http.StatusOK {
		t.Fatalf("locked: %d", locked.status)
	}
	mustContain(t, locked.body, "Locked", "password protected", `action="/postpass/`)
	mustNotContain(t, locked.body, "The hidden text", "A hidden excerpt")
	for _, path := range []string{"/", "/feed", "/feed/atom", "/2020/04"} {
		res := e.get(reader, path)
		mustNotContain(t, res.body, "The hidden text", "A hidden excerpt", "letmein")
	}
	_, rest, _ := strings.Cut(locked.body, `action="/postpass/`) // not the header's search form
	id, _, _ := strings.Cut(rest, `"`)
	action := "/postpass/" + id
	if res := e.do(reader, "POST", action, url.Values{"post_password": {"wrong"}}); res.status != http.StatusForbidden ||
		strings.Contains(res.body, "The hidden text") {
		t.Fatalf("wrong password: %d", res.status)
	}
	if res := e.do(reader, "POST", strings.Replace(action, "postpass", "comments", 1), url.Values{"name": {"Sneaky"}, "content": {"hello"}}); res.status != http.StatusForbidden {
		t.Errorf("comment on a locked post: %d", res.status)
	}
	res := e.do(reader, "POST", action, url.Values{"post_password": {"letmein"}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/2020/04/locked" {
		t.Fatalf("right password: %d %q", res.status, res.header.Get("Location"))
	}
	mustContain(t, e.get(reader, "/2020/04/locked").body, "The hidden text.")
	// Another reader still sees the form (the page cache did not keep the open page).
	mustNotContain(t, e.get(e.client(), "/2020/04/locked").body, "The hidden text")
}
