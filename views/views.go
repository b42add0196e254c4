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
	"sync"
	"sync/atomic"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/markup"
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
	"admin_media", "admin_app_passwords", "admin_notify", "webmention_status", "search",
	"post_password", "admin_users", "admin_user", "admin_profile", "admin_revisions", "password_reset",
	"admin_followers",
}

// Views holds the parsed page templates.
type Views struct {
	pages map[string]*page
	// site is how dates are shown (zone and format): a blog-wide setting
	// that the handlers pass on with SetSite when they read the settings,
	// since template functions are bound once, at parse time.
	site atomic.Pointer[models.Site]
}

// SetSite sets the zone and date format the date functions use.
func (v *Views) SetSite(s models.Site) {
	if old := v.site.Load(); old != nil && old.Timezone == s.Timezone && old.DateFormat == s.DateFormat {
		return
	}
	v.site.Store(&s)
}

func (v *Views) displaySite() models.Site {
	if s := v.site.Load(); s != nil {
		return *s
	}
	return models.DefaultSite()
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
	v := &Views{pages: make(map[string]*page, len(Pages))}
	base, err := template.New("layout.html").Funcs(v.funcs(opts)).ParseFS(fsys, "layout.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("views: %w", err)
	}
	for _, name := range Pages {
		p := &page{base: base, fsys: fsys, name: name}
		// Every page is parsed now, so a broken one stops the start; the
		// set is then dropped and made again on the page's first use: a
		// page set copies every partial, and a blog that serves readers
		// never renders most admin pages (about 3 MB of heap kept idle).
		if _, err := p.parse(); err != nil {
			return nil, err
		}
		v.pages[name] = p
	}
	return v, nil
}

// page is one page's template set, parsed on first use.
type page struct {
	base *template.Template // layout and partials; never executed, so it clones
	fsys fs.FS
	name string
	once sync.Once
	set  *template.Template
	err  error
}

func (p *page) parse() (*template.Template, error) {
	set, err := p.base.Clone()
	if err != nil {
		return nil, err
	}
	if _, err := set.ParseFS(p.fsys, "pages/"+p.name+".html"); err != nil {
		return nil, fmt.Errorf("views: page %s: %w", p.name, err)
	}
	return set, nil
}

func (p *page) template() (*template.Template, error) {
	p.once.Do(func() { p.set, p.err = p.parse() })
	return p.set, p.err
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
	p, ok := v.pages[page]
	if !ok {
		return fmt.Errorf("views: unknown page %q", page)
	}
	t, err := p.template()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("views: render %s: %w", page, err)
	}
	_, err = buf.WriteTo(w)
	return err
}

func (v *Views) funcs(opts Options) template.FuncMap {
	return template.FuncMap{
		"asset": opts.AssetURL,
		// date and datetime show times in the blog's zone (stored in UTC).
		"date": func(t time.Time) string { return v.displaySite().FormatDate(t) },
		"datetime": func(t time.Time) string {
			return t.In(v.displaySite().Location()).Format("2006-01-02 15:04 MST")
		},
		"iso":       func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"monthName": func(m int) string { return time.Month(m).String() },
		"add":       func(a, b int) int { return a + b },
		"bytes":     models.FormatBytes,
		"list":      func(items ...string) []string { return items },
		// trusted marks HTML that the server made safe (sanitised Markdown).
		"trusted": func(s string) template.HTML { return template.HTML(s) }, //nolint:gosec // G203: the one door for HTML the server sanitised itself (markup.Renderer)
		// body is a post's sanitised HTML as the site shows it: images from
		// other sites become links unless the site shows them.
		"body": func(remoteImages bool, html any) template.HTML {
			s := fmt.Sprint(html) // a stored string or a teaser's template.HTML
			if !remoteImages {
				s = markup.LocalImagesOnly(s)
			}
			return template.HTML(s) //nolint:gosec // G203: sanitised by markup.Renderer when saved
		},
	}
}
