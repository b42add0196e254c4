package wpimport

import (
	"context"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/wxr"
)

// ExportStore is what an export reads.
type ExportStore interface {
	Users(ctx context.Context) ([]models.User, error)
	AllPosts(ctx context.Context, afterID int64, n int) ([]models.Post, error)
	AllFeedback(ctx context.Context, postID int64) ([]models.Feedback, error)
	OldSlugs(ctx context.Context, postID int64) ([]string, error)
	MediaAfter(ctx context.Context, afterID int64, n int) ([]models.Media, error)
	Categories(ctx context.Context) ([]models.Category, error)
	Tags(ctx context.Context) ([]models.Tag, error)
}

// ExportOptions describes the blog being exported.
type ExportOptions struct {
	// BaseURL is the blog's address: links, GUIDs and attachment addresses
	// (which WordPress's importer downloads) start with it.
	BaseURL     string
	Title       string
	Description string
	Markdown    Renderer
}

// exportStatuses maps our statuses to WordPress's.
var exportStatuses = map[models.PostStatus]string{
	models.StatusPublished: "publish", models.StatusDraft: "draft", models.StatusPending: "pending",
	models.StatusScheduled: "future", models.StatusPrivate: "private", models.StatusTrash: "trash",
}

const exportPage = 200

// Export writes the whole blog as WXR 1.2: authors, categories, tags,
// posts and pages with their comments and linkbacks (not spam), and every
// media file as an attachment. Attachments are numbered after the posts
// (WordPress keeps both in one table).
func Export(ctx context.Context, store ExportStore, out io.Writer, o ExportOptions) (*Summary, error) {
	base := strings.TrimRight(o.BaseURL, "/")
	sum := &Summary{}
	users, err := store.Users(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := store.Categories(ctx)
	if err != nil {
		return nil, err
	}
	tags, err := store.Tags(ctx)
	if err != nil {
		return nil, err
	}
	ch := wxr.Channel{Title: o.Title, Link: base, Description: o.Description, BaseSiteURL: base, BaseBlogURL: base}
	logins := map[int64]string{}
	for _, u := range users {
		logins[u.ID] = u.Name
		ch.Authors = append(ch.Authors, wxr.Author{ID: u.ID, Login: u.Name, Email: u.Email, DisplayName: html.EscapeString(u.DisplayName)})
		sum.Users++
	}
	catSlugs := map[int64]string{}
	for _, c := range cats {
		catSlugs[c.ID] = c.Slug
	}
	for _, c := range cats {
		parent := ""
		if c.ParentID != nil {
			parent = catSlugs[*c.ParentID]
		}
		ch.Categories = append(ch.Categories, wxr.Category{TermID: c.ID, Nicename: c.Slug, Parent: parent,
			Name: html.EscapeString(c.Name), Description: c.Description})
		sum.Categories++
	}
	for _, t := range tags {
		ch.Tags = append(ch.Tags, wxr.Tag{TermID: t.ID, Slug: t.Slug, Name: html.EscapeString(t.Name)})
		sum.Tags++
	}
	maxID, err := maxPostID(ctx, store)
	if err != nil {
		return nil, err
	}
	e := &exporter{ctx: ctx, store: store, o: o, base: base, logins: logins, offset: maxID, sum: sum}
	w := wxr.NewWriter(out)
	if err := w.Begin(&ch); err != nil {
		return nil, err
	}
	if err := e.posts(w); err != nil {
		return nil, err
	}
	if err := e.media(w); err != nil {
		return nil, err
	}
	return sum, w.End()
}

func maxPostID(ctx context.Context, store ExportStore) (int64, error) {
	var maxID int64
	for {
		posts, err := store.AllPosts(ctx, maxID, exportPage)
		if err != nil || len(posts) == 0 {
			return maxID, err
		}
		maxID = posts[len(posts)-1].ID
	}
}

type exporter struct {
	ctx    context.Context
	store  ExportStore
	o      ExportOptions
	base   string
	logins map[int64]string
	offset int64
	sum    *Summary
}

func (e *exporter) posts(w *wxr.Writer) error {
	var after int64
	for {
		posts, err := e.store.AllPosts(e.ctx, after, exportPage)
		if err != nil || len(posts) == 0 {
			return err
		}
		for i := range posts {
			it, err := e.item(&posts[i])
			if err != nil {
				return err
			}
			if err := w.Item(it); err != nil {
				return err
			}
		}
		after = posts[len(posts)-1].ID
	}
}

func wpDate(t *time.Time) string {
	if t == nil {
		return wxr.ZeroDate
	}
	return t.UTC().Format(wxr.DateLayout)
}

func openClosed(b bool) string {
	if b {
		return "open"
	}
	return "closed"
}

func (e *exporter) item(p *models.Post) (*wxr.Item, error) {
	content, err := e.content(p)
	if err != nil {
		return nil, err
	}
	guid := fmt.Sprintf("%s/?p=%d", e.base, p.ID)
	link := guid
	if p.Status == models.StatusPublished || p.Status == models.StatusPrivate {
		link = e.base + p.Path()
	}
	created := p.CreatedAt
	date := p.PublishedAt
	if date == nil {
		date = &created
	}
	it := &wxr.Item{Title: html.EscapeString(p.Title), Link: link, PubDate: date.UTC().Format(time.RFC1123Z),
		Creator: e.logins[p.AuthorID], GUID: guid, Content: content, Excerpt: p.Excerpt, ID: p.ID,
		Date: wpDate(date), DateGMT: wpDate(p.PublishedAt), Modified: wpDate(&p.UpdatedAt), ModifiedGMT: wpDate(&p.UpdatedAt),
		CommentStatus: openClosed(p.AllowComments), PingStatus: openClosed(p.AllowPings), Name: p.Slug,
		Status: exportStatuses[p.Status], MenuOrder: p.MenuOrder, Type: "post", Password: p.Password}
	if p.PublishedAt == nil {
		it.Date = wpDate(&created)
	}
	if p.Kind == models.KindPage {
		it.Type = "page"
	}
	if p.ParentID != nil {
		it.Parent = *p.ParentID
	}
	if p.FeaturedMediaID != nil {
		it.Meta = append(it.Meta, wxr.Meta{Key: "_thumbnail_id", Value: strconv.FormatInt(e.offset+*p.FeaturedMediaID, 10)})
	}
	if p.Status == models.StatusTrash {
		it.Meta = append(it.Meta, wxr.Meta{Key: "_wp_trash_meta_status", Value: exportStatuses[p.StatusBeforeTrash]},
			wxr.Meta{Key: "_wp_desired_post_slug", Value: models.SlugBeforeTrash(p.Slug)})
		if p.TrashedAt != nil {
			it.Meta = append(it.Meta, wxr.Meta{Key: "_wp_trash_meta_time", Value: strconv.FormatInt(p.TrashedAt.Unix(), 10)})
		}
	}
	old, err := e.store.OldSlugs(e.ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, slug := range old {
		it.Meta = append(it.Meta, wxr.Meta{Key: "_wp_old_slug", Value: slug})
	}
	for _, c := range p.Categories {
		it.Terms = append(it.Terms, wxr.ItemTerm{Domain: "category", Nicename: c.Slug, Name: html.EscapeString(c.Name)})
	}
	for _, t := range p.Tags {
		it.Terms = append(it.Terms, wxr.ItemTerm{Domain: "post_tag", Nicename: t.Slug, Name: html.EscapeString(t.Name)})
	}
	if p.Kind == models.KindPage {
		e.sum.Pages++
	} else {
		e.sum.Posts++
	}
	return it, e.comments(it, p.ID)
}

// content is the post's sanitised HTML with absolute links (WordPress shows
// it as it is) and the read-more split kept.
func (e *exporter) content(p *models.Post) (string, error) {
	parts := strings.SplitN(p.Body, "<!--more-->", 2)
	if len(parts) == 1 || e.o.Markdown == nil {
		return e.absolute(p.BodyHTML), nil
	}
	var out []string
	for _, part := range parts {
		h, err := e.o.Markdown.HTML(e.ctx, part)
		if err != nil {
			return "", err
		}
		out = append(out, e.absolute(h))
	}
	return strings.Join(out, "\n<!--more-->\n"), nil
}

func (e *exporter) absolute(s string) string {
	return urlAttr.ReplaceAllStringFunc(s, func(m string) string {
		parts := urlAttr.FindStringSubmatch(m)
		v := parts[2]
		if len(v) > 2 && v[1] == '/' && (len(v) < 3 || v[2] != '/') {
			return parts[1] + v[:1] + html.EscapeString(e.base) + v[1:]
		}
		return m
	})
}

var exportCommentStatus = map[models.ModerationStatus]string{
	models.ModApproved: "1", models.ModPending: "0", models.ModTrash: "trash", models.ModSpam: "spam",
}

func (e *exporter) comments(it *wxr.Item, postID int64) error {
	fb, err := e.store.AllFeedback(e.ctx, postID)
	if err != nil {
		return err
	}
	for _, f := range fb {
		c := wxr.Comment{ID: f.ID, Author: f.AuthorName, AuthorEmail: f.AuthorEmail, AuthorURL: f.SourceURL,
			AuthorIP: f.IP, Date: wpDate(&f.CreatedAt), DateGMT: wpDate(&f.CreatedAt),
			Content: html.EscapeString(f.Content), Approved: exportCommentStatus[f.Status], Type: "comment"}
		switch f.Kind {
		case models.FeedbackPingback:
			c.Type = "pingback"
		case models.FeedbackTrackBack:
			c.Type = "trackback"
		case models.FeedbackWebmention:
			c.Type = "webmention"
			if f.ResponseType != "" {
				c.Meta = append(c.Meta, wxr.Meta{Key: semanticType, Value: string(f.ResponseType)})
			}
		}
		if c.Type != "comment" {
			e.sum.Linkbacks++
		} else {
			e.sum.Comments++
		}
		if f.ParentID != nil {
			c.Parent = *f.ParentID
		}
		it.Comments = append(it.Comments, c)
	}
	return nil
}

// media writes every media file as an attachment, at its address on the blog.
func (e *exporter) media(w *wxr.Writer) error {
	var after int64
	for {
		ms, err := e.store.MediaAfter(e.ctx, after, 50)
		if err != nil || len(ms) == 0 {
			return err
		}
		for _, m := range ms {
			u := e.base + m.Path()
			it := &wxr.Item{Title: html.EscapeString(m.Name), Link: u, GUID: u, ID: e.offset + m.ID,
				Date: wpDate(&m.CreatedAt), DateGMT: wpDate(&m.CreatedAt), Modified: wpDate(&m.CreatedAt),
				ModifiedGMT: wpDate(&m.CreatedAt), CommentStatus: "closed", PingStatus: "closed",
				Name: strings.TrimSuffix(m.Name, "."+lastExt(m.Name)), Status: "inherit", Type: "attachment",
				AttachmentURL: u, PubDate: m.CreatedAt.UTC().Format(time.RFC1123Z)}
			if err := w.Item(it); err != nil {
				return err
			}
			e.sum.Media++
		}
		after = ms[len(ms)-1].ID
	}
}

func lastExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return ""
}
