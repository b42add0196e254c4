package handlers

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/posts"
	"github.com/crosstalk/crosstalk/views"
)

const adminPageSize = 50

func (s *Server) dashboard(c *gin.Context) {
	ctx := c.Request.Context()
	counts, err := s.Posts.PostCounts(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	queue, err := s.Feedback.QueueCounts(ctx, "", 0)
	if err != nil {
		s.renderError(c, err)
		return
	}
	drafts, err := s.Posts.AdminPosts(ctx, models.KindPost, models.StatusDraft, 0, 10)
	if err != nil {
		s.renderError(c, err)
		return
	}
	recent, err := s.Posts.AdminPosts(ctx, models.KindPost, models.StatusPublished, 0, 10)
	if err != nil {
		s.renderError(c, err)
		return
	}
	l := s.adminLayout(c, "Dashboard")
	s.render(c, http.StatusOK, "admin_dashboard", views.DashboardPage{Layout: l, Published: counts[models.StatusPublished],
		Scheduled: counts[models.StatusScheduled], DraftCount: counts[models.StatusDraft], Pending: queue[models.ModPending],
		PendingReview: counts[models.StatusPending],
		Drafts:        drafts, Recent: recent})
}

func (s *Server) adminLayout(c *gin.Context, title string) views.Layout {
	l := s.layout(c, title)
	l.Admin, l.NoIndex = true, true
	return l
}

func (s *Server) adminPosts(c *gin.Context) {
	kind := models.KindPost
	if c.Query("kind") == string(models.KindPage) {
		kind = models.KindPage
	}
	status := models.PostStatus(c.Query("status"))
	page := pageNumber(c)
	posts, err := s.Posts.AdminPosts(c.Request.Context(), kind, status, (page-1)*adminPageSize, adminPageSize+1)
	if err != nil {
		s.renderError(c, err)
		return
	}
	data := views.PostsPage{Layout: s.adminLayout(c, "Posts"), Kind: kind, Status: status, Page: page}
	if len(posts) > adminPageSize {
		posts = posts[:adminPageSize]
		data.NextURL = fmt.Sprintf("?kind=%s&status=%s&page=%d", kind, status, page+1)
	}
	if page > 1 {
		data.PrevURL = fmt.Sprintf("?kind=%s&status=%s&page=%d", kind, status, page-1)
	}
	data.Posts = posts
	s.render(c, http.StatusOK, "admin_posts", data)
}

func (s *Server) newPost(c *gin.Context) {
	kind := models.KindPost
	if c.Query("kind") == string(models.KindPage) {
		kind = models.KindPage
	}
	if s.stashedEditor(c, 0) {
		return
	}
	form := views.PostForm{Kind: string(kind), Status: string(models.StatusDraft), AllowComments: true, AllowPings: kind == models.KindPost,
		ShowInMenu: true, MenuOrder: "0"}
	s.renderEditor(c, http.StatusOK, form, nil, nil, false)
}

func (s *Server) editPost(c *gin.Context) {
	post, err := s.postFromPath(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if s.stashedEditor(c, post.ID) {
		return
	}
	if err := s.Reader.LoadCategories(c.Request.Context(), []*models.Post{post}); err != nil {
		s.renderError(c, err)
		return
	}
	s.renderEditor(c, http.StatusOK, formFromPost(post, s.zone(c)), post, nil, false)
}

// postFromPath is the post in the path, if the user may edit it (a
// contributor opens only their own drafts): else models.ErrForbidden.
func (s *Server) postFromPath(c *gin.Context) (*models.Post, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	p, err := s.Posts.PostByID(c.Request.Context(), id)
	if err == nil && !userOf(c).CanEditPost(p) {
		return nil, models.ErrForbidden
	}
	return p, err
}

// pathID is the post id in the path; a malformed one is not found.
func pathID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return 0, models.ErrNotFound
	}
	return id, nil
}

// savePost creates or updates a post. On invalid input the editor comes back
// with every field as typed and the message beside the field.
func (s *Server) savePost(c *gin.Context) {
	form := postFormFrom(c)
	post, err := s.formPost(c, form)
	if err != nil {
		s.renderError(c, err)
		return
	}
	applied := form
	switch c.PostForm("action") {
	case "preview":
		s.renderEditor(c, http.StatusOK, form, existing(post), nil, false)
		return
	case "publish": // the Publish button; a future date schedules instead
		applied.Status = string(models.StatusPublished)
	}
	if !userOf(c).MaySetStatus(models.PostStatus(applied.Status)) {
		applied.Status = string(models.StatusPending) // a contributor's "Publish" is "Submit for review"
	}
	if err := applyForm(post, applied, s.PostService.Now(), s.zone(c)); err != nil {
		s.unsavedRedirect(c, form, models.FieldErrors(err))
		return
	}
	err = s.storePost(c, post, models.ParseTags(form.Tags), false)
	if fields := models.FieldErrors(err); fields != nil {
		s.unsavedRedirect(c, form, fields)
		return
	}
	if err == nil {
		err = s.saveCategories(c, post, form)
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.flash(c, savedMessage(post, s.zone(c)))
	// ?saved=1 tells the editor's script the copy it kept is saved.
	redirect(c, fmt.Sprintf("/admin/posts/%d/edit?saved=1", post.ID))
}

// formPost is the stored post an editor form edits, or a new one.
func (s *Server) formPost(c *gin.Context, form views.PostForm) (*models.Post, error) {
	if form.ID == 0 {
		return &models.Post{}, nil
	}
	return s.postFromPath(c)
}

// storePost creates post or saves it through the post service; autosave
// keeps it a draft (and saves a stored post only while it is one).
func (s *Server) storePost(c *gin.Context, post *models.Post, tags []string, autosave bool) error {
	ctx := c.Request.Context()
	u := userOf(c)
	if post.ID == 0 {
		post.AuthorID = u.ID
	}
	switch {
	case autosave:
		return s.PostService.Autosave(ctx, post, tags)
	case post.ID == 0:
		return s.PostService.Create(ctx, post, posts.Edit{Tags: tags, By: u})
	default:
		return s.PostService.Update(ctx, post, posts.Edit{Tags: tags, By: u})
	}
}

func existing(p *models.Post) *models.Post {
	if p == nil || p.ID == 0 {
		return nil
	}
	return p
}

func savedMessage(p *models.Post, loc *time.Location) string {
	switch p.Status {
	case models.StatusPublished:
		return "Published."
	case models.StatusPending:
		return "Submitted for review."
	case models.StatusScheduled:
		return "Scheduled for " + p.PublishedAt.In(loc).Format("2 Jan 2006 15:04 MST") + "."
	default:
		return "Saved."
	}
}

// renderEditor shows the editor with form as typed, its preview and errors.
func (s *Server) renderEditor(c *gin.Context, status int, form views.PostForm, post *models.Post, errs map[string]string, resumed bool) {
	if post == nil && form.ID != 0 {
		if p, err := s.Posts.PostByID(c.Request.Context(), form.ID); err == nil {
			post = p
		}
	}
	page := views.EditPage{Layout: s.adminLayout(c, "Edit"), Form: form, Post: post, Errors: errs, Resumed: resumed}
	s.editorChoices(c, &page)
	var html string
	if form.Body != "" {
		if h, err := s.Markdown.HTML(c.Request.Context(), form.Body); err == nil {
			html = h
			page.Preview = template.HTML(h) //nolint:gosec // G203: the renderer sanitises with bluemonday
		}
	}
	page.Notify = s.notifyList(c, page.Site, form, html, post)
	if msg := errs["form"]; msg != "" {
		page.Flash = msg
	}
	s.render(c, status, "admin_edit", page)
}

// preview renders Markdown with the same code as the published page.
func (s *Server) preview(c *gin.Context) {
	html, err := s.Markdown.HTML(c.Request.Context(), c.PostForm("body"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(html))
}
