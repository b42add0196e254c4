package handlers

import (
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/posts"
	"github.com/crosstalk/crosstalk/views"
)

const publishAtLayout = "2006-01-02T15:04"

// postFormFrom reads the editor's fields exactly as typed.
func postFormFrom(c *gin.Context) views.PostForm {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	kind := c.PostForm("kind")
	if kind != string(models.KindPage) {
		kind = string(models.KindPost)
	}
	return views.PostForm{
		ID: id, Kind: kind, Title: c.PostForm("title"), Slug: strings.TrimSpace(c.PostForm("slug")),
		Body: c.PostForm("body"), Excerpt: c.PostForm("excerpt"), Tags: c.PostForm("tags"),
		Status: c.DefaultPostForm("status", string(models.StatusDraft)), PublishAt: c.PostForm("publish_at"),
		AllowComments: c.PostForm("allow_comments") != "", AllowPings: c.PostForm("allow_pings") != "",
		PingURLs: c.PostForm("ping_urls"), SkipLinks: c.PostFormArray("skip_link"),
		MenuOrder: strings.TrimSpace(c.PostForm("menu_order")), ShowInMenu: c.PostForm("show_in_menu") != "",
		MenuFields: c.PostForm("menu_fields") != "", ParentID: formIDOrZero(c.PostForm("parent_id")),
		CategoryIDs: formIDs(c.PostFormArray("category")), NewCategory: c.PostForm("new_category"),
		NoFederate: c.PostForm("no_federate") != "",
	}
}

// formFromPost fills the editor from a stored post; loc is the blog's
// time zone, which the publication time is shown in.
func formFromPost(p *models.Post, loc *time.Location) views.PostForm {
	f := views.PostForm{ID: p.ID, Kind: string(p.Kind), Title: p.Title, Slug: p.Slug, Body: p.Body,
		Excerpt: p.Excerpt, Status: string(p.Status), AllowComments: p.AllowComments, AllowPings: p.AllowPings,
		PingURLs: p.PingURLs, SkipLinks: strings.Fields(p.SkipLinks), NoFederate: p.NoFederate,
		MenuOrder: strconv.Itoa(p.MenuOrder), ShowInMenu: !p.HideFromMenu}
	if p.ParentID != nil {
		f.ParentID = *p.ParentID
	}
	for _, c := range p.Categories {
		f.CategoryIDs = append(f.CategoryIDs, c.ID)
	}
	names := make([]string, len(p.Tags))
	for i, t := range p.Tags {
		names[i] = t.Name
	}
	f.Tags = strings.Join(names, ", ")
	if p.PublishedAt != nil {
		f.PublishAt = p.PublishedAt.In(loc).Format(publishAtLayout)
	}
	return f
}

// applyForm copies the form onto post, deciding the publication time
// (typed in the blog's zone loc, stored in UTC): publishing keeps an
// earlier date, a future date schedules, a past one publishes. The post
// service tidies the rest (slug, title, body HTML).
func applyForm(post *models.Post, f views.PostForm, now time.Time, loc *time.Location) error {
	post.Kind = models.PostKind(f.Kind)
	post.Title = f.Title
	post.Slug = f.Slug
	post.Body = f.Body
	post.Excerpt = f.Excerpt
	post.AllowComments, post.AllowPings = f.AllowComments, f.AllowPings
	post.NoFederate = f.NoFederate
	post.PingURLs = strings.Join(strings.Fields(f.PingURLs), "\n")
	post.SkipLinks = strings.Join(f.SkipLinks, "\n")
	if post.Kind == models.KindPage {
		if err := applyMenuFields(post, f); err != nil {
			return err
		}
	}
	var at *time.Time
	if strings.TrimSpace(f.PublishAt) != "" {
		t, err := time.ParseInLocation(publishAtLayout, strings.TrimSpace(f.PublishAt), loc)
		if err != nil {
			return &models.ValidationError{Fields: map[string]string{"published_at": "Use the form YYYY-MM-DDTHH:MM."}}
		}
		t = t.UTC()
		at = &t
	}
	posts.Schedule(post, models.PostStatus(f.Status), at, now)
	return nil
}
