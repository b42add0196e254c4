package handlers

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// confirmDelete asks before moving a post to the trash, without needing
// JavaScript.
func (s *Server) confirmDelete(c *gin.Context) {
	post, err := s.postFromPath(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin_confirm", views.ConfirmPage{Layout: s.adminLayout(c, "Move to trash"),
		Heading: fmt.Sprintf("Move “%s” to the trash?", post.Title),
		Message: "Readers no longer see it. You can restore it from the trash for 30 days; then it is deleted for good.",
		Action:  fmt.Sprintf("/admin/posts/%d/delete", post.ID), Button: "Move to trash",
		Cancel: fmt.Sprintf("/admin/posts/%d/edit", post.ID)})
}

// deletePost moves a post to the trash, as WordPress's "Trash" link does.
func (s *Server) deletePost(c *gin.Context) {
	s.trashAction(c, s.PostService.Trash, func(p *models.Post) (string, string) {
		return fmt.Sprintf("Moved “%s” to the trash.", p.Title), "/admin/posts?kind=" + string(p.Kind)
	})
}

// restorePost takes a post out of the trash with the status it had.
// restorePost takes the post out of the trash. Its slug was freed there
// (models.TrashedSlug); if another post took it meanwhile, the restored
// post gets a numbered one, and the message says so.
func (s *Server) restorePost(c *gin.Context) {
	var wanted string
	restore := func(ctx context.Context, id int64, by *models.User) (*models.Post, error) {
		if trashed, err := s.Posts.PostByID(ctx, id); err == nil {
			wanted = models.SlugBeforeTrash(trashed.Slug)
		}
		return s.PostService.Restore(ctx, id, by)
	}
	s.trashAction(c, restore, func(p *models.Post) (string, string) {
		msg := fmt.Sprintf("Restored “%s” (%s).", p.Title, p.Status)
		if wanted != "" && p.Slug != wanted {
			msg += fmt.Sprintf(" Another post took its slug “%s” while it was in the trash, so its slug is now “%s”.", wanted, p.Slug)
		}
		return msg, trashView(p)
	})
}

// trashAction runs one trash operation on the post in the path as the
// user, then flashes the message and goes where done says.
func (s *Server) trashAction(c *gin.Context, op func(context.Context, int64, *models.User) (*models.Post, error),
	done func(*models.Post) (msg, next string)) {
	id, err := pathID(c)
	var post *models.Post
	if err == nil {
		post, err = op(c.Request.Context(), id, userOf(c))
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	msg, next := done(post)
	s.flash(c, msg)
	redirect(c, next)
}

func trashView(p *models.Post) string {
	return fmt.Sprintf("/admin/posts?kind=%s&status=trash", p.Kind)
}

// confirmPurge asks before deleting a trashed post for good.
func (s *Server) confirmPurge(c *gin.Context) {
	post, err := s.postFromPath(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin_confirm", views.ConfirmPage{Layout: s.adminLayout(c, "Delete permanently"),
		Heading: fmt.Sprintf("Delete “%s” permanently?", post.Title),
		Message: "The " + string(post.Kind) + ", its revisions, comments and pings are deleted for good.",
		Action:  fmt.Sprintf("/admin/posts/%d/purge", post.ID), Button: "Delete permanently",
		Cancel: trashView(post)})
}

// purgePost deletes a post for good ("Delete permanently" in the trash).
func (s *Server) purgePost(c *gin.Context) {
	s.trashAction(c, s.PostService.DeleteForGood, func(p *models.Post) (string, string) {
		return fmt.Sprintf("Deleted “%s” for good.", p.Title), trashView(p)
	})
}
