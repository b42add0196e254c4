package wpimport

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/markup"
	"github.com/crosstalk/crosstalk/models/wxr"
	"github.com/crosstalk/crosstalk/trackback/text"
)

// statuses maps WordPress's post statuses to ours; others are not imported
// (auto-draft, inherit).
var statuses = map[string]models.PostStatus{
	"publish": models.StatusPublished, "draft": models.StatusDraft, "pending": models.StatusPending,
	"future": models.StatusScheduled, "private": models.StatusPrivate, "trash": models.StatusTrash,
}

// reservedPageSlugs are first path segments the blog's router owns.
var reservedPageSlugs = map[string]bool{
	"admin": true, "assets": true, "feed": true, "tag": true, "trackback": true, "login": true,
	"logout": true, "setup": true, "media": true, "xmlrpc": true, "webmention": true,
	"comments": true, "rsd.xml": true, "page": true, "category": true, "author": true, "postpass": true,
}

// importPost stores a post or page without its body, which is written once
// every post's new address is known (finishPost).
func (im *importer) importPost(it *wxr.Item) error {
	if id, ok := im.tx.KnownID("post", it.ID); ok {
		im.posts[it.ID] = &models.Post{ID: id}
		im.sum.Skipped++
		return nil
	}
	status, ok := statuses[it.Status]
	if !ok {
		im.sum.Skipped++
		return nil
	}
	kind := models.KindPost
	if it.Type == "page" {
		kind = models.KindPage
	}
	title := strings.TrimSpace(wxr.Unescape(it.Title))
	if title == "" {
		title = "(no title)"
	}
	when, dated := im.date(it.Date, it.DateGMT)
	modified, ok := im.date(it.Modified, it.ModifiedGMT)
	if !ok {
		modified = when
	}
	p := &models.Post{Kind: kind, AuthorID: im.author(it.Creator), Title: cutRunes(title, models.MaxTitleLen),
		Status: status, AllowComments: it.CommentStatus == "open", AllowPings: it.PingStatus == "open",
		CreatedAt: when, UpdatedAt: modified, MenuOrder: it.MenuOrder, Password: it.Password,
		Excerpt: markup.Cut(markup.Text(it.Excerpt), models.MaxExcerptLen)}
	if status != models.StatusDraft && status != models.StatusPending || dated && it.DateGMT != wxr.ZeroDate {
		p.PublishedAt = &when
	}
	if status == models.StatusTrash {
		im.trashed(it, p)
	}
	if status == models.StatusScheduled && !when.After(im.now) {
		// A missed schedule: WordPress would have published it. Scheduled,
		// the publisher would publish it now and ping every link in it.
		p.Status = models.StatusPublished
		im.sum.warn("%s %d %q was scheduled for %s, which has passed: imported as published", it.Type, it.ID, title, when.Format(time.RFC3339))
	}
	base := slug(models.SlugBeforeTrash(it.Name), title)
	if status == models.StatusTrash { // its slug stays free for others, as in WordPress
		if desired := slug(it.MetaValue("_wp_desired_post_slug"), ""); desired != "" {
			base = desired
		}
		base = models.TrashedSlug(base, 1)
	}
	s, err := im.freeSlug(base, it.ID, kind)
	if err != nil {
		return err
	}
	p.Slug = s
	tagIDs, catIDs, err := im.itemTerms(it)
	if err != nil {
		return err
	}
	if err := im.tx.CreatePost(p, tagIDs, catIDs); err != nil {
		return err
	}
	if err := im.tx.Remember("post", strconv.FormatInt(it.ID, 10), it.GUID, p.ID); err != nil {
		return err
	}
	if kind == models.KindPage {
		im.sum.Pages++
	} else {
		im.sum.Posts++
	}
	im.posts[it.ID] = p
	im.newPosts = append(im.newPosts, &newPost{item: it, post: p})
	return im.redirects(it, p)
}

// trashed keeps what a trashed post was and when it was trashed.
func (im *importer) trashed(it *wxr.Item, p *models.Post) {
	p.StatusBeforeTrash = models.StatusDraft
	if st, ok := statuses[it.MetaValue("_wp_trash_meta_status")]; ok && st != models.StatusTrash {
		p.StatusBeforeTrash = st
	}
	at := im.now
	if sec, err := strconv.ParseInt(it.MetaValue("_wp_trash_meta_time"), 10, 64); err == nil {
		at = time.Unix(sec, 0).UTC()
	}
	p.TrashedAt = &at
}

func (im *importer) author(login string) int64 {
	if id, ok := im.users[login]; ok {
		return id
	}
	return im.defaultUID
}

// freeSlug numbers a slug another post has (-2, -3…), as WordPress does.
func (im *importer) freeSlug(base string, wpID int64, kind models.PostKind) (string, error) {
	if base == "" {
		base = fmt.Sprintf("post-%d", wpID)
	}
	for n := 1; ; n++ {
		s := base
		if n > 1 {
			suffix := fmt.Sprintf("-%d", n)
			s = strings.TrimRight(text.TruncateBytes(base, models.MaxSlugLen-len(suffix)), "-") + suffix
		}
		if kind == models.KindPage && reservedPageSlugs[s] {
			continue
		}
		free, err := im.tx.SlugFree(s)
		if err != nil || free {
			return s, err
		}
	}
}

func (im *importer) itemTerms(it *wxr.Item) (tagIDs, catIDs []int64, err error) {
	for _, t := range it.Terms {
		switch t.Domain {
		case "category":
			id, err := im.category(t.Nicename, map[string]term{t.Nicename: {name: t.Name, slug: t.Nicename}}, 0)
			if err != nil {
				return nil, nil, err
			}
			catIDs = append(catIDs, id)
		case "post_tag":
			id, err := im.tag(t.Name, t.Nicename)
			if err != nil {
				return nil, nil, err
			}
			if id != 0 {
				tagIDs = append(tagIDs, id)
			}
		}
	}
	return tagIDs, catIDs, nil
}

// redirects sends the item's old permalink path and its old slugs to the
// post. Pages keep their own slug at /slug: a child page's old
// /parent/child answers 301 there.
func (im *importer) redirects(it *wxr.Item, p *models.Post) error {
	newPath := p.Path()
	if u, err := url.Parse(it.Link); err == nil && (u.Host == "" || im.hosts[hostKey(u.Host)]) {
		old := models.CleanOldPath(u.Path)
		if q := u.Query(); u.RawQuery != "" && (q.Get("p") != "" || q.Get("page_id") != "") {
			old = "" // ?p=N and ?page_id=N are answered from the id map
		}
		if old != "" && old != "/" {
			im.oldPaths[old] = newPath
			if old != models.CleanOldPath(mustUnescape(newPath)) {
				if err := im.pathRedirect(models.PathRedirect{Path: old, PostID: &p.ID}); err != nil {
					return err
				}
			}
		}
	}
	for _, s := range it.MetaValues("_wp_old_slug") {
		old := slug(s, "")
		if old == "" || old == p.Slug {
			continue
		}
		added, err := im.tx.AddSlugRedirect(old, p.ID)
		if err != nil {
			return err
		}
		if added {
			im.sum.Redirects++
		}
	}
	return nil
}

func (im *importer) pathRedirect(r models.PathRedirect) error {
	added, err := im.tx.AddPathRedirect(r)
	if added {
		im.sum.Redirects++
	}
	return err
}

func mustUnescape(p string) string {
	if s, err := url.PathUnescape(p); err == nil {
		return s
	}
	return p
}

// finishPost writes the body, with the old site's links made local, the
// parent page and the featured image.
func (im *importer) finishPost(np *newPost) error {
	it, p := np.item, np.post
	c := converter{rewrite: im.localURL, gallery: func(ids []int64) []string { return im.gallery(it.ID, ids) }}
	body := c.body(it.Content)
	if im.err != nil {
		return im.err
	}
	if len(body) > models.MaxBodyLen {
		im.sum.warn("%s %d: the text is larger than 1 MiB; kept whole", it.Type, it.ID)
	}
	rendered, err := im.o.Markdown.HTML(im.ctx, body)
	if err != nil {
		return err
	}
	var parent, featured *int64
	if pp := im.posts[it.Parent]; it.Parent != 0 && pp != nil && pp.ID != p.ID {
		parent = &pp.ID
	}
	if th, err := strconv.ParseInt(it.MetaValue("_thumbnail_id"), 10, 64); err == nil {
		if id, ok := im.tx.KnownID("media", th); ok {
			featured = &id
		}
	}
	if hasOldUpload(rendered, im.hosts) {
		im.sum.warn("%s %d %q: images still point at the old site (give --uploads or --fetch-media)", it.Type, it.ID, p.Slug)
	}
	return im.tx.UpdateImportedPost(p.ID, parent, featured, body, rendered)
}

func cutRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
