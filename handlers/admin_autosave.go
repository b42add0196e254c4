package handlers

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/posts"
)

// autosave keeps the editor's text as a draft while the writer types, and
// answers JSON for the editor's script. It never publishes: a new post
// becomes a draft and a draft stays one whatever the status menu says. A post
// that readers may already see (published, scheduled, private) is left alone,
// so its live text changes only when the writer presses Save; the answer then
// says "skipped" and the page keeps its own copy.
//
// Once the form is read whole, the save goes on even if the editor's page
// stops waiting (the writer left, the browser cancelled the fetch): the text
// is kept, and a hang-up is not a server error.
func (s *Server) autosave(c *gin.Context) {
	form := postFormFrom(c)
	c.Request = c.Request.WithContext(context.WithoutCancel(c.Request.Context()))
	post, err := s.formPost(c, form)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if post.ID != 0 && post.Status != models.StatusDraft {
		c.JSON(http.StatusOK, gin.H{"id": post.ID, "skipped": true,
			"message": "Autosave is off for a " + string(post.Status) + " " + string(post.Kind) + ": press Save to change it."})
		return
	}
	form.Status = string(models.StatusDraft)
	now := s.PostService.Now()
	if err := applyForm(post, form, now, s.zone(c)); err != nil {
		fieldsJSON(c, models.FieldErrors(err))
		return
	}
	err = s.storePost(c, post, models.ParseTags(form.Tags), true)
	if posts.IsNotDraft(err) {
		c.JSON(http.StatusOK, gin.H{"id": post.ID, "skipped": true,
			"message": "Autosave is off: this post is no longer a draft. Press Save to change it."})
		return
	}
	if fields := models.FieldErrors(err); fields != nil {
		fieldsJSON(c, fields)
		return
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"id": post.ID, "saved_at": now.Format("15:04"), "saved_at_iso": now.Format("2006-01-02T15:04:05Z"),
		"action": fmt.Sprintf("/admin/posts/%d", post.ID), "edit_url": fmt.Sprintf("/admin/posts/%d/edit", post.ID)})
}

// fieldsJSON answers invalid editor input with the first message a writer
// should see and every field's message.
func fieldsJSON(c *gin.Context, fields map[string]string) {
	msg := "Not saved yet: check the fields."
	for _, k := range []string{"title", "slug", "published_at", "status", "body", "excerpt", "kind"} {
		if m := fields[k]; m != "" {
			msg = "Not saved yet: " + m
			break
		}
	}
	c.JSON(http.StatusUnprocessableEntity, gin.H{"error": msg, "fields": fields})
}
