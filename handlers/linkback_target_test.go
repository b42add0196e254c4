package handlers

import (
	"context"
	"errors"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

// TestLinkbackTargetUnderABasePath: a blog served under /blog maps only
// targets below that path.
func TestLinkbackTargetUnderABasePath(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "Deep", "x", nil)
	s := &Server{Deps: Deps{Posts: e.store, Settings: e.store, BaseURL: "http://blog.test/blog", Now: e.clock.Now}}
	s.site = newCached(loadSite(e.store), 0, e.clock.Now)
	tests := []struct {
		target string
		want   error
	}{
		{"http://blog.test/blog" + path, nil},
		{"HTTP://BLOG.TEST/blog" + path + "#c", nil},
		{"http://blog.test/blogger" + path, errTargetRefused},
		{"http://blog.test/blog" + path[1:], errTargetRefused}, // "/blog2026/11/deep"
		{"http://blog.test" + path, errTargetRefused},
		{"http://blog.test/blog/2026/11/other", errTargetUnknown},
		{"http://blog.test/blog/", errTargetRefused},
	}
	for _, tt := range tests {
		post, _, err := s.linkbackTarget(context.Background(), tt.target)
		if !errors.Is(err, tt.want) || err == nil && (post == nil || post.Slug != models.Slugify("Deep")) {
			t.Errorf("%s: %v, want %v", tt.target, err, tt.want)
		}
	}
}
