package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/views"
)

// pageNumber reads ?page=N (1 when absent or bad).
func pageNumber(c *gin.Context) int {
	n, err := strconv.Atoi(c.Query("page"))
	if err != nil || n < 1 || n > 100000 {
		return 1
	}
	return n
}

// listPosts shows one page of published posts matching f. A page past
// the last is not found.
func (s *Server) listPosts(c *gin.Context, l views.Layout, heading string, f models.PostFilter, withMonths bool) {
	s.listPostsOr404(c, l, views.ListPage{Heading: heading}, f, withMonths, false)
}

// listPostsOr404 shows one page of published posts matching f under the
// heading and intro of data; emptyIs404 makes an empty first page not
// found too (a month without posts).
func (s *Server) listPostsOr404(c *gin.Context, l views.Layout, data views.ListPage, f models.PostFilter, withMonths, emptyIs404 bool) {
	page := pageNumber(c)
	f.Limit = l.Site.PostsPerPage + 1 // one more tells whether an older page exists
	f.Offset = (page - 1) * l.Site.PostsPerPage
	posts, err := s.Posts.PublishedPosts(c.Request.Context(), f)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if len(posts) == 0 && (page > 1 || emptyIs404) {
		s.renderError(c, models.ErrNotFound)
		return
	}
	data.Layout, data.Page, data.Empty = l, page, "No posts yet."
	if len(posts) > l.Site.PostsPerPage {
		posts = posts[:l.Site.PostsPerPage]
		data.NextURL = fmt.Sprintf("%s?page=%d", c.Request.URL.Path, page+1)
	}
	if page > 1 {
		data.PrevURL = fmt.Sprintf("%s?page=%d", c.Request.URL.Path, page-1)
	}
	data.Posts = posts
	if err := s.decorateList(c.Request.Context(), &data); err != nil {
		s.renderError(c, err)
		return
	}
	if withMonths && page == 1 {
		if data.Months, err = s.months.get(c.Request.Context()); err != nil {
			s.renderError(c, err)
			return
		}
	}
	s.render(c, http.StatusOK, "list", data)
}

func (s *Server) home(c *gin.Context) {
	if s.wordPressQuery(c) { // /?p=N of an imported blog
		return
	}
	if q, ok := c.GetQuery("s"); ok { // WordPress's search address, /?s=words
		s.search(c, q)
		return
	}
	l := s.layout(c, "")
	l.Canonical = s.BaseURL + "/"
	l.Description = l.Site.Tagline
	s.fediverseLinks(c.Request.Context(), &l, nil)
	s.listPosts(c, l, "", models.PostFilter{}, true)
}

func (s *Server) tagPosts(c *gin.Context) {
	tag, err := s.Posts.TagBySlug(c.Request.Context(), c.Param("tag"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	l := s.layout(c, "#"+tag.Name)
	l.Canonical = s.BaseURL + "/tag/" + tag.Slug
	l.Feeds = []views.Feed{
		{Title: l.Site.Title + " #" + tag.Name + " (RSS)", Type: "application/rss+xml", URL: l.Canonical + "/feed"},
		{Title: l.Site.Title + " #" + tag.Name + " (Atom)", Type: "application/atom+xml", URL: l.Canonical + "/feed/atom"},
	}
	s.listPosts(c, l, "Posts tagged #"+tag.Name, models.PostFilter{TagSlug: tag.Slug}, false)
}

func (s *Server) monthPosts(c *gin.Context) {
	year, month, ok := parseYearMonth(c.Param("year"), c.Param("month"))
	if !ok {
		s.renderError(c, models.ErrNotFound)
		return
	}
	from := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
	l := s.layout(c, from.Format("January 2006"))
	l.Canonical = fmt.Sprintf("%s/%04d/%02d", s.BaseURL, year, month)
	s.listPostsOr404(c, l, views.ListPage{Heading: "Posts from " + from.Format("January 2006")},
		models.PostFilter{From: from, Until: from.AddDate(0, 1, 0)}, false, true)
}

func parseYearMonth(y, m string) (int, int, bool) {
	year, err1 := strconv.Atoi(y)
	month, err2 := strconv.Atoi(m)
	ok := err1 == nil && err2 == nil && len(y) == 4 && len(m) == 2 && month >= 1 && month <= 12
	return year, month, ok
}

// showPost shows a published post at /YYYY/MM/slug; an old slug redirects.
func (s *Server) showPost(c *gin.Context) {
	post, err := s.publishedPost(c, models.KindPost, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	if post == nil {
		return // redirected
	}
	// The slug matched; a wrong year or month in the address redirects to the
	// permalink. (Comparing whole paths would loop on escaped non-ASCII slugs.)
	if y, m, _ := parseYearMonth(c.Param("year"), c.Param("month")); post.PublishedAt == nil ||
		y != post.PublishedAt.UTC().Year() || m != int(post.PublishedAt.UTC().Month()) {
		c.Redirect(http.StatusMovedPermanently, post.Path())
		return
	}
	s.renderPost(c, post, views.CommentForm{})
}

// pageOrNotFound serves pages at /slug and the 404 page for everything else.
func (s *Server) pageOrNotFound(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, "/trackback/") { // ping URLs answer XML, always
		trackback.WriteError(c.Writer, http.StatusNotFound, "There is no TrackBack URL here.")
		return
	}
	slug := strings.Trim(c.Request.URL.Path, "/")
	get := c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead
	if !get || slug == "" || strings.Contains(slug, "/") {
		s.renderError(c, models.ErrNotFound)
		return
	}
	post, err := s.publishedPost(c, models.KindPage, slug)
	switch {
	case err != nil:
		s.renderError(c, err)
	case post != nil:
		s.renderPost(c, post, views.CommentForm{})
	}
}

// publishedPost finds a published post by slug; for an old slug it answers a
// redirect and returns nil (and no error: the answer is written).
func (s *Server) publishedPost(c *gin.Context, kind models.PostKind, slug string) (*models.Post, error) {
	ctx := c.Request.Context()
	post, err := s.Posts.PostBySlug(ctx, kind, slug)
	if errors.Is(err, models.ErrNotFound) && s.OldLinks != nil && userOf(c) != nil { // private posts
		if p, perr := s.OldLinks.ReadablePost(ctx, kind, slug, true); perr == nil {
			return p, nil
		}
	}
	if errors.Is(err, models.ErrNotFound) {
		moved, rerr := s.Posts.RedirectedPost(ctx, slug)
		if rerr != nil {
			return nil, rerr // not found stays a 404; a database failure is a 500
		}
		c.Redirect(http.StatusMovedPermanently, moved.Path())
		return nil, nil
	}
	return post, err
}

// commentPage reads ?cpage=N, WordPress's comment page parameter: 1 when
// absent; ok is false for anything but a positive number.
func commentPage(c *gin.Context) (int, bool) {
	raw, set := c.GetQuery("cpage")
	if !set {
		return 1, true
	}
	n, err := strconv.Atoi(raw)
	return n, err == nil && n >= 1 && n <= 1000000
}

// renderPost shows a post with one page of its comment threads (50, in
// the site's order, ?cpage=N for the others, each thread whole) and its
// linkbacks. A page past the last is not found; the comment form is on
// every page. A reply form (?replytocom=ID) and a reader's own held comment
// (?unapproved=ID&moderation-hash=…) make the page that reader's own: it
// is neither cached nor indexed, and the remembered details fill the form.
func (s *Server) renderPost(c *gin.Context, post *models.Post, form views.CommentForm) {
	if !unlocked(c, post) {
		s.renderLocked(c, post, http.StatusOK, false)
		return
	}
	ctx := c.Request.Context()
	page, ok := commentPage(c)
	if !ok {
		s.renderError(c, models.ErrNotFound)
		return
	}
	l := s.layout(c, post.Title)
	newest := l.Site.NewestFirst
	roots, replies, err := s.Feedback.CommentThreads(ctx, post.ID, newest, (page-1)*models.CommentsPerPage, models.CommentsPerPage+1)
	if err != nil {
		s.renderError(c, err)
		return
	}
	pending, err := s.ownPending(c, post.ID)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if page > 1 && len(roots) == 0 && pending == nil {
		s.renderError(c, models.ErrNotFound)
		return
	}
	if err := s.replyTarget(c, post, page, &form); err != nil {
		s.renderError(c, err)
		return
	}
	linkbacks, err := s.Feedback.ApprovedLinkbacks(ctx, post.ID)
	if err != nil {
		s.renderError(c, err)
		return
	}
	l.Canonical = s.BaseURL + post.Path()
	l.Description = post.Excerpt
	_, replying := c.GetQuery("replytocom")
	ownPage := pending != nil || replying
	if ownPage {
		l.NoIndex = true
		fillRemembered(c, &form)
	}
	data := views.PostPage{Layout: l, Post: post, CommentForm: form, CommentsOpen: post.AllowComments,
		CommentPage: page, CommentsNewestFirst: newest}
	if len(roots) > models.CommentsPerPage {
		roots = roots[:models.CommentsPerPage]
		data.CommentNextURL = fmt.Sprintf("%s?cpage=%d#comments", post.Path(), page+1)
	}
	switch {
	case page == 2:
		data.CommentPrevURL = post.Path() + "#comments"
	case page > 2:
		data.CommentPrevURL = fmt.Sprintf("%s?cpage=%d#comments", post.Path(), page-1)
	}
	data.Comments = roots
	data.Threads = s.buildThreads(l.Site, post.Path(), page, post.AllowComments, roots, replies, pending)
	if err := s.decoratePost(ctx, &data); err != nil {
		s.renderError(c, err)
		return
	}
	sortDiscussion(&data, linkbacks)
	s.decorateLinkbacks(c, &data)
	if ownPage {
		c.Header("Cache-Control", "private, no-store")
	} else {
		s.cachePost(c, post, l.Site)
	}
	status := http.StatusOK
	if form.Errors != nil {
		status = http.StatusBadRequest
	}
	if form.Throttled != "" {
		status = http.StatusTooManyRequests
	}
	s.render(c, status, "post", data)
}
