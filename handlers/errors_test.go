package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/storetest"
)

// logFile is where a sibling server logs: slog's handler serialises its
// writes, and the test reads the file once the answer is in.
type logFile struct {
	t    testing.TB
	path string
}

func (f logFile) lines() []string {
	b, err := os.ReadFile(f.path)
	if err != nil {
		f.t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// sibling serves the same blog code (same session keys, so e's cookies are
// valid there) on another store: empty, or with its database closed so that
// every query fails. Its handlers and its store log into the returned file
// through a plain text handler: the request ids come from the server itself.
func (e *testEnv) sibling(closeDB bool) (*testEnv, logFile) {
	e.t.Helper()
	logs := logFile{t: e.t, path: filepath.Join(e.t.TempDir(), "server.log")}
	w, err := os.Create(logs.path)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = w.Close() })
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
	store, err := models.Open(context.Background(), storetest.Target(e.t),
		models.Options{Now: e.clock.Now, BaseURL: testBaseURL, Logger: slog.New(LogHandler(log.Handler()))})
	if err != nil {
		e.t.Fatal(err)
	}
	// Only what the requests log counts: a slow migration on a busy machine
	// may have logged already, with no request to name.
	if err := w.Truncate(0); err != nil {
		e.t.Fatal(err)
	}
	if _, err := w.Seek(0, 0); err != nil {
		e.t.Fatal(err)
	}
	if closeDB {
		if err := store.Close(); err != nil {
			e.t.Fatal(err)
		}
	} else {
		e.t.Cleanup(func() { _ = store.Close() })
	}
	s := &testEnv{t: e.t, store: store, clock: e.clock, token: e.token}
	s.srv = httptest.NewServer(e.engine(store, log))
	e.t.Cleanup(s.srv.Close)
	return s, logs
}

// A failing database is a 500 page naming the request id, never a 404 or a
// 403, and every line logged for that request carries the same id; a
// missing post on a working database is a 404.
func TestDatabaseFailureIs500WithRequestID(t *testing.T) {
	e := newEnv(t)
	if res := e.get(e.client(), "/2026/11/no-such-post"); res.status != http.StatusNotFound {
		t.Errorf("missing post on a working database: %d, want 404", res.status)
	}
	for _, path := range []string{"/2026/11/no-such-post", "/setup?token=" + e.token} {
		t.Run(path, func(t *testing.T) {
			broken, logs := e.sibling(true)
			res := broken.get(broken.client(), path)
			if res.status != http.StatusInternalServerError {
				t.Fatalf("closed database: %d, want 500\n%.500s", res.status, res.body)
			}
			id := res.header.Get("X-Request-ID")
			if len(id) != 16 {
				t.Fatalf("X-Request-ID = %q", id)
			}
			mustContain(t, res.body, "Something went wrong", "(request "+id+")")
			mustNotContain(t, res.body, "Page not found", "Setup is closed", "database is closed")

			lines := logs.lines()
			var sawStore, sawInternal bool
			for _, line := range lines {
				if !strings.Contains(line, "request_id="+id) {
					t.Errorf("log line without request_id=%s: %s", id, line)
				}
				sawStore = sawStore || strings.Contains(line, "database is closed")
				sawInternal = sawInternal || strings.Contains(line, `msg="internal error"`)
			}
			if !sawStore || !sawInternal {
				t.Errorf("want the failed query and the internal error logged (store %v, internal %v):\n%s",
					sawStore, sawInternal, strings.Join(lines, "\n"))
			}
		})
	}
}

// Only an account that is gone ends a login. When the user lookup fails
// for another reason the request fails with a 500, the cookie is left alone,
// and the same cookie still works once the database answers again.
func TestUserLookupFailureKeepsLogin(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name       string
		closeDB    bool
		wantStatus int
	}{
		{name: "database failure", closeDB: true, wantStatus: http.StatusInternalServerError},
		{name: "no such account", closeDB: false, wantStatus: http.StatusSeeOther},
	}
	c, _ := e.admin()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			other, logs := e.sibling(tt.closeDB)
			res := other.get(c, "/admin")
			if res.status != tt.wantStatus {
				t.Fatalf("/admin: %d, want %d (Location %q)", res.status, tt.wantStatus, res.header.Get("Location"))
			}
			if tt.closeDB {
				if sc := res.header.Values("Set-Cookie"); len(sc) != 0 {
					t.Errorf("the failed request touched the cookie: %q", sc)
				}
				id := res.header.Get("X-Request-ID")
				mustContain(t, res.body, "(request "+id+")")
				mustContain(t, strings.Join(logs.lines(), "\n"), "request_id="+id, "user by id")
				mustNotContain(t, res.body, "Please log in")
			} else if loc := res.header.Get("Location"); !strings.HasPrefix(loc, "/login") {
				t.Errorf("unknown account: Location %q, want the login page", loc)
			}
			if again := e.get(c, "/admin"); again.status != http.StatusOK {
				t.Errorf("after the failure the login is gone: /admin %d", again.status)
			}
		})
	}
}
