package main

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/views"
)

// writeTheme makes a theme folder from path → content.
func writeTheme(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func themedApp(t *testing.T, themeDir string) (*app, error) {
	t.Helper()
	cfg := config{DB: filepath.Join(t.TempDir(), "blog.db"), BaseURL: "http://blog.test", ThemeDir: themeDir}
	a, err := newApp(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err == nil {
		t.Cleanup(func() { a.store.Close() })
	}
	return a, err
}

func fetch(t *testing.T, base, path string) string {
	t.Helper()
	res, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	return string(b)
}

// TestThemeDirOverrides: a theme folder's templates and assets replace the
// embedded files of the same name, without a rebuild; the rest stay.
func TestThemeDirOverrides(t *testing.T) {
	layout, err := fs.ReadFile(views.Embedded(), "layout.html")
	if err != nil {
		t.Fatal(err)
	}
	themed := strings.Replace(string(layout), "<body", `<body data-theme="harbour"`, 1)
	dir := writeTheme(t, map[string]string{
		"templates/layout.html":                themed,
		"templates/partials/post_summary.html": `{{define "post_summary"}}<article class="harbour-summary">{{.Title}}</article>{{end}}`,
		"assets/style.css":                     "body { color: rebeccapurple; } /* harbour */",
		"assets/harbour.svg":                   `<svg xmlns="http://www.w3.org/2000/svg"/>`,
	})
	a, err := themedApp(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.handler)
	defer srv.Close()

	home := fetch(t, srv.URL, "/")
	if !strings.Contains(home, `data-theme="harbour"`) {
		t.Errorf("the theme's layout is not used:\n%.600s", home)
	}
	css := regexp.MustCompile(`href="(/assets/[0-9a-f]+/style\.css)"`).FindStringSubmatch(home)
	if css == nil {
		t.Fatalf("no hashed style.css link in:\n%.600s", home)
	}
	if got := fetch(t, srv.URL, css[1]); !strings.Contains(got, "harbour") {
		t.Errorf("style.css is not the theme's: %.100s", got)
	}
	if got := fetch(t, srv.URL, "/assets/harbour.svg"); !strings.Contains(got, "<svg") {
		t.Errorf("a file the theme adds is not served: %q", got)
	}
	// Files the theme does not replace are still the embedded ones.
	if got := fetch(t, srv.URL, "/assets/app.js"); !strings.Contains(got, "progressive enhancements") {
		t.Errorf("app.js should be the embedded one: %.100s", got)
	}
	if login := fetch(t, srv.URL, "/login"); !strings.Contains(login, `id="password"`) || !strings.Contains(login, `data-theme="harbour"`) {
		t.Error("the embedded login page should render inside the theme's layout")
	}
}

// TestBrokenThemeFailsStartup: a theme mistake stops the server at start-up
// with the file's name, instead of serving broken pages.
func TestBrokenThemeFailsStartup(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"unclosed action", map[string]string{"templates/pages/post.html": `{{define "content"}}{{.Post.Title}`}, "post.html"},
		{"undeclared page", map[string]string{"templates/pages/contact.html": `{{define "content"}}hi{{end}}`}, "not declared"},
		{"unknown function", map[string]string{"templates/layout.html": `{{define "layout"}}{{shout .Title}}{{end}}`}, `"shout" not defined`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := themedApp(t, writeTheme(t, tt.files))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("start-up error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	if _, err := themedApp(t, filepath.Join(t.TempDir(), "missing")); err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Errorf("a missing theme folder: %v", err)
	}
	// Through the command too; the timeout ends a server that wrongly started.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errOut strings.Builder
	code := run(ctx, []string{"serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--addr", "127.0.0.1:0"},
		env(map[string]string{"CROSSTALK_THEME_DIR": writeTheme(t, tests[0].files)}), strings.NewReader(""), io.Discard, &errOut)
	errText := errOut.String()
	if code != 1 || !strings.Contains(errText, "post.html") {
		t.Errorf("serve with a broken theme: exit %d, stderr %q", code, errText)
	}
}
