package handlers

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/activitypub"
)

const (
	apAlternate = `<link rel="alternate" type="application/activity+json" href="`
	apCreator   = `<meta name="fediverse:creator" content="`
)

// TestFediverseDiscoveryLinks: with federation on, a post's page points
// at its Article (which the permalink serves to ActivityStreams clients)
// and names its author's handle for Mastodon's attribution, and the home
// page points at the blog's actor; a post kept off the fediverse, and every
// page with federation off, advertise neither.
func TestFediverseDiscoveryLinks(t *testing.T) {
	f := newFediEnv(t)
	admin, _ := f.admin()
	path := f.publish(admin, "Linked up", "Text.", nil)
	page := f.get(f.client(), path).body
	mustContain(t, page, apAlternate+testBaseURL+path+`">`, apCreator+`@admin@blog.test">`)
	if !strings.Contains(f.do(f.client(), "GET", path, nil, "Accept", activitypub.ContentType).body, `"id":"`+testBaseURL+path+`"`) {
		t.Fatal("the advertised object is not served at the permalink")
	}
	home := f.get(f.client(), "/").body
	mustContain(t, home, apAlternate+testBaseURL+`/ap/blog">`)
	mustNotContain(t, home, apCreator)

	kept := f.publish(admin, "Kept home", "Local.", url.Values{"no_federate": {"1"}})
	mustNotContain(t, f.get(f.client(), kept).body, apAlternate, apCreator)

	if err := f.store.SetSettings(context.Background(), map[string]string{models.SettingFederation: "false"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(10 * time.Second) // past the settings cache
	f.pages.InvalidateAll()
	mustNotContain(t, f.get(f.client(), path).body, apAlternate, apCreator)
	mustNotContain(t, f.get(f.client(), "/").body, apAlternate)
}

// TestActorIconAndURL: the blog's actor shows the site icon at an absolute
// address and links the home page; a writer's links their author archive
// (which WebFinger gives as the profile page) and has no icon. Both let
// the blog's pages credit them.
func TestActorIconAndURL(t *testing.T) {
	f := newFediEnv(t)
	f.admin()
	actor := func(path string) activitypub.Actor {
		t.Helper()
		var a activitypub.Actor
		if res := f.get(f.client(), path); json.Unmarshal([]byte(res.body), &a) != nil {
			t.Fatalf("%s: %d %s", path, res.status, res.body)
		}
		return a
	}
	if a := actor("/ap/blog"); a.Icon != nil || a.URL != testBaseURL+"/" {
		t.Fatalf("blog actor without a site icon: icon %+v, url %q", a.Icon, a.URL)
	}
	if err := f.store.SetSettings(context.Background(), map[string]string{models.SettingIcon: "/media/2026/11/icon.png"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(10 * time.Second)
	blog := actor("/ap/blog")
	if blog.Icon == nil || blog.Icon.URL != testBaseURL+"/media/2026/11/icon.png" || blog.Icon.MediaType != "image/png" || blog.Icon.Type != "Image" {
		t.Fatalf("blog actor's icon: %+v", blog.Icon)
	}
	if len(blog.AttributionDomains) != 1 || blog.AttributionDomains[0] != "blog.test" {
		t.Fatalf("attributionDomains %v", blog.AttributionDomains)
	}
	writer := actor("/ap/users/admin")
	if writer.URL != testBaseURL+"/author/admin" || writer.Icon != nil || len(writer.AttributionDomains) != 1 {
		t.Fatalf("writer actor: url %q, icon %+v, attributionDomains %v", writer.URL, writer.Icon, writer.AttributionDomains)
	}
	mustContain(t, f.get(f.client(), "/.well-known/webfinger?resource=acct:admin@blog.test").body,
		`"rel":"http://webfinger.net/rel/profile-page"`, `"href":"http://blog.test/author/admin"`)
}
