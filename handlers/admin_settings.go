package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

func (s *Server) settingsForm(c *gin.Context) {
	l := s.adminLayout(c, "Settings")
	email, err := s.emailForm(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	page := views.SettingsPage{Layout: l, Form: l.Site, CommentsPerPage: models.CommentsPerPage,
		BlockList: strings.Join(l.Site.BlockList, "\n"), Saved: c.Query("saved") == "1", Email: email}
	displayChoices(&page, s.Now())
	s.render(c, http.StatusOK, "admin_settings", page)
}

func (s *Server) saveSettings(c *gin.Context) {
	var ve models.ValidationError
	site := models.Site{
		Title: strings.TrimSpace(c.PostForm("title")), Tagline: strings.TrimSpace(c.PostForm("tagline")),
		ModerateAll: c.PostForm("moderate") != "", PingsEnabled: c.PostForm("pings_enabled") != "",
		SelfPings: c.PostForm("self_pings") != "", NewestFirst: c.PostForm("newest_first") != "", RemoteImages: c.PostForm("remote_images") != "",
		BlockList:  models.ParseBlockList(c.PostForm("block_list")),
		Federation: c.PostForm("federation") != "", BlogActorName: strings.TrimSpace(c.DefaultPostForm("blog_actor", models.DefaultBlogActorName)),
	}
	if !models.ValidActorName(site.BlogActorName) {
		ve.Add("blog_actor", "Use 1 to 30 lower-case letters, digits, dots, hyphens or underscores.")
	}
	if site.Title == "" {
		ve.Add("title", "Give your blog a title.")
	}
	var err error
	if site.PostsPerPage, err = strconv.Atoi(c.PostForm("posts_per_page")); err != nil || site.PostsPerPage < 1 || site.PostsPerPage > 100 {
		ve.Add("posts_per_page", "Use a number from 1 to 100.")
	}
	if site.PingsCloseDays, err = strconv.Atoi(c.DefaultPostForm("pings_close_days", "0")); err != nil ||
		site.PingsCloseDays < 0 || site.PingsCloseDays > models.MaxPingsCloseDays {
		ve.Add("pings_close_days", "Use a whole number of days from 0 (never) to 100000.")
	}
	site.Comments = commentLimitsForm(c, &ve)
	s.displayForm(c, &site, &ve)
	site.ThreadDepth, site.Gravatar = threadDepthForm(c, &ve), c.PostForm("gravatar") != ""
	if ve.OrNil() != nil {
		email, _ := s.emailForm(c.Request.Context()) // the page shows what it could read
		page := views.SettingsPage{Layout: s.adminLayout(c, "Settings"), CommentsPerPage: models.CommentsPerPage,
			Form: site, BlockList: c.PostForm("block_list"), Errors: ve.Fields, Email: email}
		displayChoices(&page, s.Now())
		s.render(c, http.StatusBadRequest, "admin_settings", page)
		return
	}
	if err := s.Settings.SetSettings(c.Request.Context(), site.Settings()); err != nil {
		s.renderError(c, err)
		return
	}
	s.Changes.Changed(c.Request.Context(), models.Change{Kind: models.ChangeAll}) // on every instance
	redirect(c, "/admin/settings?saved=1")
}

// commentLimitsForm reads the comment limits from the settings form, adding
// what is malformed or out of range to ve. A field left out of the form
// (a script posting the older form) keeps its default.
func commentLimitsForm(c *gin.Context, ve *models.ValidationError) models.CommentLimits {
	l := models.DefaultCommentLimits()
	for _, f := range []struct {
		name string
		dst  *int
	}{{"comment_interval", &l.IntervalSeconds}, {"comment_burst", &l.Burst}, {"comments_per_post", &l.PerPostPerMinute}} {
		v, ok := c.GetPostForm(f.name)
		if !ok {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			ve.Add(f.name, "Give a whole number.")
		}
		*f.dst = n
	}
	var ranges *models.ValidationError
	if errors.As(l.Validate(), &ranges) {
		for field, msg := range ranges.Fields {
			ve.Add(field, msg) // a "whole number" message given above stays
		}
	}
	return l
}

// threadDepthForm reads the thread depth; left out of the form (a script
// posting the older form), it keeps the default.
func threadDepthForm(c *gin.Context, ve *models.ValidationError) int {
	v, ok := c.GetPostForm("thread_depth")
	if !ok {
		return models.DefaultThreadDepth
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 || n > models.MaxThreadDepth {
		ve.Add("thread_depth", "Use a number from 1 (flat) to 10.")
	}
	return n
}
