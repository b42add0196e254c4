// Package views renders Crosstalk's HTML pages from embedded html/template
// files. Templates are parsed once at start-up, one set per page; a declared
// page without a file, or a file without a declaration, fails start-up.
package views

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

//go:embed templates
var embedded embed.FS

// Embedded returns the built-in templates (the folder holding layout.html).
func Embedded() fs.FS {
	sub, err := fs.Sub(embedded, "templates")
	if err != nil {
		panic(err) // the embedded folder is part of the binary
	}
	return sub
}

// Pages names every page template; each is pages/NAME.html.
var Pages = []string{
	"post", "list", "error", "login", "setup",
	"admin_dashboard", "admin_posts", "admin_edit", "admin_queue", "admin_settings", "admin_confirm",
	"admin_media", "admin_app_passwords", "admin_notify", "webmention_status",
	"admin_followers",
}

// Views holds the parsed page templates.
type Views struct {
	pages map[string]*template.Template
}

// Options configures New.
type Options struct {
	// AssetURL maps an asset file name to its (content-hashed) URL.
	AssetURL func(name string) string
}

// New parses layout.html, every partials/*.html and each page in Pages from fsys.
func New(fsys fs.FS, opts Options) (*Views, error) {
	if opts.AssetURL == nil {
		opts.AssetURL = func(name string) string { return "/assets/" + name }
	}
	if err := checkDeclared(fsys); err != nil {
		return nil, err
	}
	base, err := template.New("layout.html").Funcs(funcs(opts)).ParseFS(fsys, "layout.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("views: %w", err)
	}
	v := &Views{pages: make(map[string]*template.Template, len(Pages))}
	for _, name := range Pages {
		set, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := set.ParseFS(fsys, "pages/"+name+".html"); err != nil {
			return nil, fmt.Errorf("views: page %s: %w", name, err)
		}
		v.pages[name] = set
	}
	return v, nil
}

// checkDeclared fails when a page file exists that Pages does not list.
func checkDeclared(fsys fs.FS) error {
	files, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return err
	}
	declared := map[string]bool{}
	for _, p := range Pages {
		declared[p] = true
	}
	var extra []string
	for _, f := range files {
		if name := strings.TrimSuffix(path.Base(f), ".html"); !declared[name] {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return fmt.Errorf("views: pages not declared in views.Pages: %s", strings.Join(extra, ", "))
	}
	return nil
}

// Render executes page into a buffer and writes it only if rendering
// succeeded, so a template error never leaves half a page.
func (v *Views) Render(w io.Writer, page string, data any) error {
	t, ok := v.pages[page]
	if !ok {
		return fmt.Errorf("views: unknown page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("views: render %s: %w", page, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

func funcs(opts Options) template.FuncMap {
	return template.FuncMap{
		"asset": opts.AssetURL,
		"date":  func(t time.Time) string { return t.UTC().Format("2 January 2006") },
		"datetime": func(t time.Time) string {
			return t.UTC().Format("2006-01-02 15:04 MST")
		},
		"iso":       func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"monthName": func(m int) string { return time.Month(m).String() },
		"add":       func(a, b int) int { return a + b },
		"bytes":     models.FormatBytes,
		"list":      func(items ...string) []string { return items },
		// trusted marks HTML that the server made safe (sanitised Markdown).
		"trusted": func(s string) template.HTML { return template.HTML(s) }, //nolint:gosec // G203: the one door for HTML the server sanitised itself (markup.Renderer)
	}
}
