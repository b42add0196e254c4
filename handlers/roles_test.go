package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"github.com/crosstalk/crosstalk/models"
)

// leastRole is the weakest role WordPress lets use each admin route. It is
// written out here, apart from the code's table (adminCaps), so the two
// check each other; a route the engine serves that is missing here fails
// TestEveryAdminRouteByRole until someone decides who may use it.
var leastRole = map[string]models.Role{
	"GET /admin":                                     models.RoleContributor,
	"GET /admin/posts":                               models.RoleContributor,
	"GET /admin/posts/new":                           models.RoleContributor,
	"POST /admin/posts":                              models.RoleContributor,
	"POST /admin/posts/autosave":                     models.RoleContributor,
	"POST /admin/posts/:id/autosave":                 models.RoleContributor,
	"GET /admin/posts/:id/edit":                      models.RoleContributor,
	"POST /admin/posts/:id":                          models.RoleContributor,
	"GET /admin/posts/:id/delete":                    models.RoleContributor,
	"POST /admin/posts/:id/delete":                   models.RoleContributor,
	"POST /admin/posts/:id/restore":                  models.RoleContributor,
	"GET /admin/posts/:id/purge":                     models.RoleContributor,
	"POST /admin/posts/:id/purge":                    models.RoleContributor,
	"POST /admin/posts/:id/preview":                  models.RoleContributor,
	"GET /admin/posts/:id/preview":                   models.RoleContributor,
	"GET /admin/posts/:id/revisions":                 models.RoleContributor,
	"GET /admin/posts/:id/revisions/:rev":            models.RoleContributor,
	"POST /admin/posts/:id/revisions/:rev":           models.RoleContributor,
	"GET /admin/posts/:id/notifications":             models.RoleContributor,
	"POST /admin/notifications/:id/retry":            models.RoleAuthor,
	"POST /admin/preview":                            models.RoleContributor,
	"GET /admin/queue":                               models.RoleEditor,
	"POST /admin/queue":                              models.RoleEditor,
	"GET /admin/settings":                            models.RoleAdministrator,
	"POST /admin/settings":                           models.RoleAdministrator,
	"POST /admin/settings/email":                     models.RoleAdministrator,
	"POST /admin/settings/email/test":                models.RoleAdministrator,
	"GET /admin/followers":                           models.RoleAdministrator,
	"POST /admin/followers/:id/:action":              models.RoleAdministrator,
	"GET /admin/media":                               models.RoleAuthor,
	"POST /admin/media":                              models.RoleAuthor,
	"POST /admin/media/:id/delete":                   models.RoleEditor,
	"GET /admin/app-passwords":                       models.RoleContributor,
	"POST /admin/app-passwords":                      models.RoleContributor,
	"POST /admin/app-passwords/:id/revoke":           models.RoleContributor,
	"GET /admin/profile":                             models.RoleContributor,
	"POST /admin/profile":                            models.RoleContributor,
	"POST /admin/profile/password":                   models.RoleContributor,
	"GET /admin/users":                               models.RoleAdministrator,
	"POST /admin/users":                              models.RoleAdministrator,
	"GET /admin/users/:id":                           models.RoleAdministrator,
	"POST /admin/users/:id":                          models.RoleAdministrator,
	"POST /admin/users/:id/delete":                   models.RoleAdministrator,
	"POST /admin/users/:id/reset-link":               models.RoleAdministrator,
	"POST /admin/users/:id/app-passwords/:ap/revoke": models.RoleAdministrator,
}

// rank orders the roles, weakest first.
var rank = map[models.Role]int{models.RoleContributor: 0, models.RoleAuthor: 1, models.RoleEditor: 2, models.RoleAdministrator: 3}

// TestEveryAdminRouteByRole walks every admin route the engine serves with
// a user of every role: the ones below a route's least role get 403, the
// others do not (the path's post is theirs, so only the route decides).
func TestEveryAdminRouteByRole(t *testing.T) {
	e := newEnv(t)
	e.admin() // the blog's first administrator, the one who owns nothing here
	var routes []gin.RouteInfo
	for _, r := range e.srv.Config.Handler.(interface{ Routes() gin.RoutesInfo }).Routes() {
		if r.Path == "/admin" || strings.HasPrefix(r.Path, "/admin/") {
			routes = append(routes, r)
		}
	}
	sort.Slice(routes, func(i, j int) bool { return routes[i].Method+routes[i].Path < routes[j].Method+routes[j].Path })
	seen := map[string]bool{}
	for _, r := range routes {
		key := r.Method + " " + r.Path
		seen[key] = true
		if _, ok := leastRole[key]; !ok {
			t.Errorf("admin route %s is not classified: add it to leastRole (and adminCaps)", key)
		}
		if _, ok := adminCaps[key]; !ok {
			t.Errorf("admin route %s is not in adminCaps: only administrators reach it", key)
		}
	}
	for key := range leastRole {
		if !seen[key] {
			t.Errorf("leastRole lists %s, which the engine does not serve", key)
		}
	}
	spare := e.userWithRole(models.RoleAuthor, "spare")
	for _, role := range models.Roles() {
		c, u := e.login(e.userWithRole(role, "as-"+string(role)))
		post := e.draftOf(u)
		revs, err := e.store.Revisions(context.Background(), post.ID)
		if err != nil || len(revs) == 0 {
			t.Fatalf("revisions of the draft: %v %v", revs, err)
		}
		token := csrfFrom(t, e.get(c, "/admin/profile").body)
		for _, r := range routes {
			key := r.Method + " " + r.Path
			path := strings.NewReplacer(":id/revisions/:rev", fmt.Sprintf("%d/revisions/%d", post.ID, revs[0].ID)).Replace(r.Path)
			switch {
			case strings.HasPrefix(r.Path, "/admin/posts/:id"):
				path = strings.Replace(path, ":id", fmt.Sprint(post.ID), 1)
			case strings.HasPrefix(r.Path, "/admin/users/:id"):
				path = strings.NewReplacer(":id", fmt.Sprint(spare.ID), ":ap", "999999").Replace(path)
			default:
				path = strings.Replace(path, ":id", "999999", 1)
			}
			var form url.Values
			if r.Method == http.MethodPost {
				form = url.Values{"csrf_token": {token}}
			}
			res := e.do(c, r.Method, path, form)
			want, ok := leastRole[key]
			if !ok {
				continue
			}
			forbidden := res.status == http.StatusForbidden
			if rank[role] < rank[want] && (!forbidden || !strings.Contains(res.body, "not allowed")) {
				t.Errorf("%s %s as %s: %d, want 403", r.Method, path, role, res.status)
			}
			if rank[role] >= rank[want] && forbidden {
				t.Errorf("%s %s as %s: 403, want it allowed:\n%.300s", r.Method, path, role, res.body)
			}
		}
	}
}

// userWithRole adds an account with the test password.
func (e *testEnv) userWithRole(role models.Role, name string) *models.User {
	e.t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		e.t.Fatal(err)
	}
	u := &models.User{Name: name, Email: name + "@example.com", PasswordHash: string(hash), Role: role}
	if err := e.store.CreateUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// login logs u in with a new client.
func (e *testEnv) login(u *models.User) (*http.Client, *models.User) {
	e.t.Helper()
	c := e.client()
	res := e.post(c, "/login", "/login", url.Values{"login": {u.Name}, "password": {testPassword}, "next": {"/admin"}})
	if res.status != http.StatusSeeOther {
		e.t.Fatalf("login %s: %d", u.Name, res.status)
	}
	return c, u
}

// draftOf stores a draft post written by u (with its first revision).
func (e *testEnv) draftOf(u *models.User) *models.Post {
	e.t.Helper()
	p := &models.Post{Kind: models.KindPost, AuthorID: u.ID, Title: "Draft by " + u.Name, Slug: "draft-by-" + u.Name,
		Body: "one\ntwo", Status: models.StatusDraft}
	if err := e.store.CreatePost(context.Background(), p, nil); err != nil {
		e.t.Fatal(err)
	}
	return p
}
