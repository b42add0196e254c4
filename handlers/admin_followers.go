package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// maxDeliveryRows bounds the fediverse deliveries listed with a post's
// notifications.
const maxDeliveryRows = 50

// deliveryRows shows a post's fediverse deliveries next to its TrackBacks:
// one row per inbox and activity, in the states notifications have.
func (s *Server) deliveryRows(c *gin.Context, post *models.Post) []views.NotifyRow {
	if post == nil || s.Fediverse == nil {
		return nil
	}
	list, err := s.Fediverse.DeliveriesForPost(c.Request.Context(), post.ID, maxDeliveryRows)
	if err != nil {
		s.Log.ErrorContext(c.Request.Context(), "fediverse deliveries", "post_id", post.ID, "err", err)
		return nil
	}
	rows := make([]views.NotifyRow, 0, len(list))
	for _, d := range list {
		row := notifyRow(models.Notification{TargetURL: d.Inbox, State: d.State, Attempts: d.Attempts, NextAttemptAt: d.NextAttemptAt,
			LastMessage: d.LastMessage, SentAt: d.SentAt, UpdatedAt: d.UpdatedAt})
		row.Protocol, row.CanRetry = "ActivityPub "+d.ActivityType, false
		rows = append(rows, row)
	}
	return rows
}

// followersPage lists who follows the blog and its writers on the
// fediverse, with remove and block.
func (s *Server) followersPage(c *gin.Context) {
	if s.Fediverse == nil {
		s.renderError(c, models.ErrNotFound)
		return
	}
	list, err := s.fediverse.FollowerList(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	l := s.adminLayout(c, "Followers")
	s.render(c, http.StatusOK, "admin_followers", views.FollowersPage{Layout: l, Items: list,
		Handle: "@" + l.Site.BlogActorName + "@" + hostOf(s.BaseURL)})
}

// dropFollower removes (…/remove) or blocks (…/block) a follower; it is
// sent a Reject.
func (s *Server) dropFollower(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || s.Fediverse == nil {
		s.renderError(c, models.ErrNotFound)
		return
	}
	block := c.Param("action") == "block"
	if !block && c.Param("action") != "remove" {
		s.renderError(c, models.ErrNotFound)
		return
	}
	if err := s.fediverse.DropFollower(c.Request.Context(), id, block); err != nil {
		s.renderError(c, err)
		return
	}
	if block {
		s.flash(c, "Blocked: that account no longer follows, and cannot follow again.")
	} else {
		s.flash(c, "Removed: that account no longer follows. It may follow again.")
	}
	redirect(c, "/admin/followers")
}

// hostOf is the host (and port) of an address, as acct: handles name it.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}
