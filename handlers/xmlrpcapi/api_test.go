package xmlrpcapi

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/crosstalk/crosstalk/handlers/loginguard"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/posts"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// Function-field fakes of the narrow interfaces: the HTTP behaviour of the
// mounted endpoint is tested through the real gin engine in handlers
// (xmlrpc_*_test.go); these check what the package itself decides.

type fakeWriter struct {
	create func(p *models.Post, e posts.Edit) error
	del    func(id int64) (*models.Post, error)
}

func (f *fakeWriter) Create(_ context.Context, p *models.Post, e posts.Edit) error {
	return f.create(p, e)
}
func (f *fakeWriter) Update(context.Context, *models.Post, posts.Edit) error {
	return errors.New("unexpected")
}
func (f *fakeWriter) Publish(context.Context, int64) (*models.Post, error) {
	return nil, errors.New("unexpected")
}
func (f *fakeWriter) Delete(_ context.Context, id int64) (*models.Post, error) { return f.del(id) }
func (f *fakeWriter) Trash(_ context.Context, id int64, _ *models.User) (*models.Post, error) {
	return f.del(id)
}
func (f *fakeWriter) DeleteForGood(_ context.Context, id int64, _ *models.User) (*models.Post, error) {
	return f.del(id)
}
func (f *fakeWriter) Now() time.Time { return time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC) }

type fakeUsers struct{ u *models.User }

func (f fakeUsers) UserByLogin(_ context.Context, login string) (*models.User, error) {
	if f.u != nil && strings.EqualFold(login, f.u.Name) {
		return f.u, nil
	}
	return nil, models.ErrNotFound
}

// anyPost finds a published post for every id; the writer decides what exists.
type anyPost struct{ PostReader }

func (anyPost) PostByID(_ context.Context, id int64) (*models.Post, error) {
	return &models.Post{ID: id, Status: models.StatusPublished}, nil
}

type noAppPasswords struct{}

func (noAppPasswords) UseAppPassword(context.Context, int64, string) (*models.AppPassword, error) {
	return nil, models.ErrNotFound
}

func newTestAPI(t *testing.T, w *fakeWriter, opts ...Option) *API {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte("secret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	u := &models.User{ID: 7, Name: "ann", PasswordHash: string(hash)}
	return New(Deps{Writer: w, Posts: anyPost{}, Users: fakeUsers{u}, AppPasswords: noAppPasswords{},
		Logins:  loginguard.New(loginguard.DefaultLimits(), func() time.Time { return time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC) }),
		BaseURL: "http://blog.test", Site: func(context.Context) (models.Site, error) { return models.Site{Title: "T"}, nil }}, opts...)
}

// call sends one call from ip and decodes the answer.
func call(t *testing.T, a *API, ip, method string, params ...any) (any, error) {
	t.Helper()
	var body bytes.Buffer
	if err := xmlrpc.EncodeCall(&body, method, params...); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "/xmlrpc", &body)
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, r.WithContext(WithClientIP(r.Context(), ip)))
	if rec.Code != http.StatusOK {
		t.Fatalf("HTTP %d", rec.Code)
	}
	return xmlrpc.DecodeResponse(rec.Body)
}

func faultCode(err error) int {
	var f *xmlrpc.Fault
	if errors.As(err, &f) {
		return f.Code
	}
	return -1
}

// TestLoginUsesTheGuard: right passwords cost nothing however often they
// come; wrong ones are charged to the address and account until the call is
// refused before any check, while another address still gets in.
func TestLoginUsesTheGuard(t *testing.T) {
	a := newTestAPI(t, &fakeWriter{})
	for i := range 20 {
		if _, err := call(t, a, "192.0.2.1", "blogger.getUsersBlogs", "", " ann ", "secret"); err != nil {
			t.Fatalf("call %d with the right password: %v", i, err)
		}
	}
	for i := range 5 {
		if _, err := call(t, a, "192.0.2.1", "blogger.getUsersBlogs", "", "ann", "wrong"); faultCode(err) != FaultBadLogin {
			t.Fatalf("wrong password %d: %v, want fault %d", i, err, FaultBadLogin)
		}
	}
	_, err := call(t, a, "192.0.2.1", "blogger.getUsersBlogs", "", "ann", "secret")
	if faultCode(err) != FaultRateLimit || !strings.Contains(err.Error(), "Wait 12 seconds") {
		t.Fatalf("after five failures: %v, want fault %d and the wait", err, FaultRateLimit)
	}
	if _, err := call(t, a, "198.51.100.1", "blogger.getUsersBlogs", "", "ann", "secret"); err != nil {
		t.Fatalf("the owner from another address: %v", err)
	}
}

// TestWritesGoThroughThePostService: metaWeblog.newPost hands the post to
// the service with the tags and asks for a numbered slug; blogger.deletePost
// moves to the trash through it.
func TestWritesGoThroughThePostService(t *testing.T) {
	var got *models.Post
	var edit posts.Edit
	var deleted []int64
	w := &fakeWriter{
		create: func(p *models.Post, e posts.Edit) error { p.ID, got, edit = 12, p, e; return nil },
		del: func(id int64) (*models.Post, error) {
			deleted = append(deleted, id)
			if id != 12 {
				return nil, models.ErrNotFound
			}
			return &models.Post{ID: id}, nil
		},
	}
	a := newTestAPI(t, w)
	id, err := call(t, a, "192.0.2.1", "metaWeblog.newPost", "1", "ann", "secret",
		map[string]any{"title": "Hi", "description": "<p>x</p>", "mt_keywords": "a, b", "wp_slug": "Taken"}, true)
	if err != nil || id != "12" {
		t.Fatalf("newPost = %v, %v", id, err)
	}
	if got.Slug != "taken" || got.Status != models.StatusPublished || got.AuthorID != 7 || got.PublishedAt == nil {
		t.Errorf("post = %+v", got)
	}
	if !edit.NumberSlug || fmt.Sprint(edit.Tags) != "[a b]" {
		t.Errorf("edit = %+v", edit)
	}
	if _, err := call(t, a, "192.0.2.1", "blogger.deletePost", "", "12", "ann", "secret", false); err != nil {
		t.Fatal(err)
	}
	if _, err := call(t, a, "192.0.2.1", "blogger.deletePost", "", "13", "ann", "secret", false); faultCode(err) != FaultNotFound {
		t.Errorf("deleting a missing post: %v", err)
	}
	if fmt.Sprint(deleted) != "[12 13]" {
		t.Errorf("deleted %v", deleted)
	}
}

// TestExtraMethods: methods served beside the blog APIs (pingback.ping) are
// registered by the one mounting the endpoint, and see the client's address.
func TestExtraMethods(t *testing.T) {
	var seen string
	a := newTestAPI(t, &fakeWriter{}, WithMethod("pingback.ping", func(ctx context.Context, p xmlrpc.Params) (any, error) {
		seen = ClientIP(ctx)
		return "registered", nil
	}))
	a.Register("demo.late", func(context.Context, xmlrpc.Params) (any, error) { return 1, nil })
	if v, err := call(t, a, "198.51.100.2", "pingback.ping", "a", "b"); err != nil || v != "registered" || seen != "198.51.100.2" {
		t.Errorf("pingback.ping = %v, %v, address %q", v, err, seen)
	}
	list, err := call(t, a, "", "mt.supportedMethods")
	if err != nil || !strings.Contains(fmt.Sprint(list), "pingback.ping") || !strings.Contains(fmt.Sprint(list), "demo.late") ||
		!strings.Contains(fmt.Sprint(list), "metaWeblog.newPost") {
		t.Errorf("supportedMethods = %v, %v", list, err)
	}
}

func TestRSD(t *testing.T) {
	a := newTestAPI(t, &fakeWriter{})
	rec := httptest.NewRecorder()
	a.RSD(rec, httptest.NewRequest(http.MethodGet, "/rsd.xml", nil))
	var doc rsdDoc
	if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/rsd+xml") ||
		len(doc.APIs) != 4 || doc.APIs[0].APILink != "http://blog.test/xmlrpc" || !doc.APIs[0].Preferred {
		t.Errorf("RSD: %d %s %+v", rec.Code, rec.Header().Get("Content-Type"), doc)
	}
}
