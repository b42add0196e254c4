package intake

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

// stubPosts knows a few posts by slug, one page and one old slug.
type stubPosts map[string]*models.Post

func (p stubPosts) PostHeadByID(context.Context, int64) (*models.Post, error) {
	return nil, models.ErrNotFound
}

func (p stubPosts) PostBySlug(_ context.Context, kind models.PostKind, slug string) (*models.Post, error) {
	if post, ok := p[slug]; ok && post.Kind == kind {
		return post, nil
	}
	return nil, models.ErrNotFound
}

func (p stubPosts) RedirectedPost(_ context.Context, old string) (*models.Post, error) {
	if old == "old-name" {
		return p["new-name"], nil
	}
	return nil, models.ErrNotFound
}

func fuzzServices() []*Service {
	when := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	posts := stubPosts{}
	for i, slug := range []string{"new-name", "café", "a b", "100%"} {
		posts[slug] = &models.Post{ID: int64(i + 1), Kind: models.KindPost, Slug: slug, Status: models.StatusPublished, PublishedAt: &when}
	}
	posts["about"] = &models.Post{ID: 9, Kind: models.KindPage, Slug: "about", Status: models.StatusPublished, PublishedAt: &when}
	return []*Service{{Posts: posts, BaseURL: "https://blog.example"}, {Posts: posts, BaseURL: "http://127.0.0.1:8090/blog"}}
}

// FuzzNormaliseTarget: the target normaliser never panics; it answers one of
// its sentinel errors, or the permalink of the post it found: under the base
// URL, without fragment or query, and normalising it again gives itself.
func FuzzNormaliseTarget(f *testing.F) {
	for _, seed := range []string{
		"https://blog.example/2026/11/new-name", "https://BLOG.example./2026/11/new-name/?utm=x#c",
		"http://blog.example:80/2025/01/old-name", "https://blog.example:443//2026//11//caf%C3%A9",
		"https://blog.example/2026/11/a%20b", "https://blog.example/2026/11/100%25", "https://blog.example/about",
		"http://127.0.0.1:8090/blog/2026/11/new-name", "http://127.0.0.1:8091/blog/2026/11/new-name",
		"http://127.0.0.1:8090/blogger/2026/11/new-name", "https://u@blog.example/2026/11/new-name",
		"https://blog.example/2026/11/new-name%2Fx", "javascript:alert(1)", "", "https://blog.example/%zz",
	} {
		f.Add(seed)
	}
	services := fuzzServices()
	f.Fuzz(func(t *testing.T, raw string) {
		for _, s := range services {
			out, post, err := s.normaliseTarget(context.Background(), raw)
			if err != nil {
				if !errors.Is(err, ErrTargetInvalid) && !errors.Is(err, ErrTargetRefused) && !errors.Is(err, ErrTargetUnknown) {
					t.Fatalf("%q: unexpected error %v", raw, err)
				}
				continue
			}
			u, perr := url.Parse(out)
			if perr != nil || post == nil || out != s.BaseURL+post.Path() || !strings.HasPrefix(out, s.BaseURL+"/") ||
				strings.Contains(out, "#") || u.RawQuery != "" || u.Fragment != "" {
				t.Fatalf("%q under %s gave %q (post %v, parse %v)", raw, s.BaseURL, out, post, perr)
			}
			again, _, err := s.normaliseTarget(context.Background(), out)
			if err != nil || again != out {
				t.Fatalf("%q gave %q, which gives %q, %v", raw, out, again, err)
			}
		}
	})
}

// TestNormaliseTarget: the forms of one post's address map to its permalink;
// what names no post here is refused.
func TestNormaliseTarget(t *testing.T) {
	services := fuzzServices()
	accepted := map[*Service]map[string]string{
		services[0]: {
			"https://BLOG.example./2026/11/new-name/?utm=x#c": "https://blog.example/2026/11/new-name",
			"http://blog.example:80/2025/01/old-name":         "https://blog.example/2026/11/new-name",
			"https://blog.example:443//2026//11//caf%C3%A9":   "https://blog.example/2026/11/caf%C3%A9",
			"https://blog.example/2026/11/café":               "https://blog.example/2026/11/caf%C3%A9",
			"https://blog.example/2026/11/100%25":             "https://blog.example/2026/11/100%25",
		},
		services[1]: {"HTTP://127.0.0.1:8090/blog/2026/11/new-name/#x": "http://127.0.0.1:8090/blog/2026/11/new-name"},
	}
	refused := map[*Service]map[string]error{
		services[0]: {
			"https://blog.example/about":                 ErrTargetRefused,
			"https://blog.example/2026/11/nope":          ErrTargetUnknown,
			"https://blog.example:8443/2026/11/new-name": ErrTargetRefused,
			"not a url": ErrTargetInvalid,
		},
		services[1]: {
			"http://127.0.0.1:8091/blog/2026/11/new-name":    ErrTargetRefused,
			"http://127.0.0.1/blog/2026/11/new-name":         ErrTargetRefused,
			"http://127.0.0.1:8090/blogger/2026/11/new-name": ErrTargetRefused,
		},
	}
	for svc, cases := range accepted {
		for raw, want := range cases {
			if got, _, err := svc.normaliseTarget(context.Background(), raw); got != want || err != nil {
				t.Errorf("%s: %q, %v; want %q", raw, got, err, want)
			}
		}
	}
	for svc, cases := range refused {
		for raw, want := range cases {
			if got, _, err := svc.normaliseTarget(context.Background(), raw); !errors.Is(err, want) {
				t.Errorf("%s: %q, %v; want %v", raw, got, err, want)
			}
		}
	}
}
