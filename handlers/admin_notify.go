package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// postNotifications shows how the notifications of a post stand. The
// editor's script reloads its list from this page while any is on its way.
func (s *Server) postNotifications(c *gin.Context) {
	post, err := s.postFromPath(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	// Not s.adminLayout: a page reloaded in the background must not take
	// the flash message meant for the page the writer sees next.
	site, err := s.site.get(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	l := views.Layout{Site: site, BaseURL: s.BaseURL, Title: "Notifications", User: userOf(c),
		CSRFToken: s.csrfToken(c), Admin: true, NoIndex: true}
	list := s.notifyList(c, site, formFromPost(post, site.Location()), post.BodyHTML, post)
	s.render(c, http.StatusOK, "admin_notify", views.NotifyPage{Layout: l, Post: post, Notify: list})
}

// retryNotification sends a failed notification again now.
func (s *Server) retryNotification(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.renderError(c, models.ErrNotFound)
		return
	}
	n, retried, err := s.Notifications.RetryNotification(c.Request.Context(), id)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if retried {
		s.WakeOutbox()
		s.flash(c, "Sending again to "+n.TargetURL+".")
	} else {
		s.flash(c, "That notification is not waiting for a retry.")
	}
	redirect(c, fmt.Sprintf("/admin/posts/%d/edit", n.PostID))
}

// notifyList is the editor's list of the sites a post notifies: for each
// target of the text as the form has it, how its notification stands, or,
// before it is queued, whether it will be notified (with a box to leave it
// out); then notifications of links since removed.
func (s *Server) notifyList(c *gin.Context, site models.Site, form views.PostForm, html string, post *models.Post) views.NotifyList {
	list := views.NotifyList{CSRFToken: s.csrfToken(c)}
	var queued []models.Notification
	if post != nil {
		list.PostID = post.ID
		var err error
		if queued, err = s.Notifications.PostNotifications(c.Request.Context(), post.ID); err != nil {
			s.Log.ErrorContext(c.Request.Context(), "post notifications", "post_id", post.ID, "err", err)
		}
	}
	byURL := make(map[string]models.Notification, len(queued))
	for _, n := range queued {
		byURL[n.TargetURL] = n
	}
	draft := models.Post{Kind: models.PostKind(form.Kind), BodyHTML: html,
		PingURLs: strings.Join(strings.Fields(form.PingURLs), "\n"), SkipLinks: strings.Join(form.SkipLinks, "\n")}
	shown := map[string]bool{}
	for _, t := range draft.NotifyTargets(s.BaseURL, site.SelfPings) {
		shown[t.URL] = true
		if n, ok := byURL[t.URL]; ok {
			row := notifyRow(n)
			// Held while the post is not public: it can still be left out.
			row.CanSkip = !n.Direct && n.State == models.NotifyHeld
			list.Rows = append(list.Rows, row)
			continue
		}
		row := views.NotifyRow{URL: t.URL, Direct: t.Direct, State: "pending", Label: "will be notified",
			Skipped: t.Skipped, CanSkip: !t.Direct}
		if t.Direct {
			row.Protocol = "TrackBack"
		}
		if t.Skipped {
			row.State, row.Label = "skipped", "left out"
		}
		list.Rows = append(list.Rows, row)
	}
	for _, n := range queued {
		if !shown[n.TargetURL] {
			list.Rows = append(list.Rows, notifyRow(n))
		}
	}
	list.Rows = append(list.Rows, s.deliveryRows(c, post)...)
	for _, n := range queued {
		// Refresh while something moves soon, not through a backoff of hours.
		soon := n.State != models.NotifyQueued || n.NextAttemptAt.Before(s.Now().Add(time.Minute))
		if n.State.InFlight() && soon {
			list.Refresh = fmt.Sprintf("/admin/posts/%d/notifications", post.ID)
			break
		}
	}
	return list
}

// notifyRow shows one queued notification.
func notifyRow(n models.Notification) views.NotifyRow {
	row := views.NotifyRow{ID: n.ID, URL: n.TargetURL, Direct: n.Direct, State: string(n.State),
		Protocol: protocolName(n.Protocol), Message: shownMessage(n.LastMessage), CanRetry: n.State.Retryable()}
	when := n.UpdatedAt
	switch n.State {
	case models.NotifyQueued:
		row.Label = "queued"
		if n.Attempts > 0 {
			row.Label, when = "queued, will retry", n.NextAttemptAt
		}
	case models.NotifyWorking, models.NotifySending:
		row.Label = "sending"
	case models.NotifySent:
		row.Label = "sent"
		if n.SentAt != nil {
			when = *n.SentAt
		}
	case models.NotifyFailed:
		row.Label = "failed"
	case models.NotifyGaveUp:
		row.Label = "gave up"
	case models.NotifyNoEndpoint:
		row.Label = "no endpoint found"
	case models.NotifyHeld:
		row.Label = "held: the post is not public"
	default:
		row.Label = string(n.State)
	}
	row.When = when.UTC().Format("2006-01-02 15:04:05 UTC")
	return row
}

// shownMessage is a notification's last message as the writer sees it.
// The outbox records plain sentences (jobs' describe); a row recorded by an
// earlier version may still hold a Go error's text, with dial and resolver
// addresses: that detail belongs in the log, so the page says less.
func shownMessage(msg string) string {
	for _, detail := range []string{"dial tcp", "dial udp", "lookup ", "trackback:", "xmlrpc:", "safeclient:",
		"Get \"", "Post \"", "context deadline", "Client.Timeout", "i/o timeout", "connect:"} {
		if strings.Contains(msg, detail) {
			return "The last attempt failed; the details are in the server log."
		}
	}
	return msg
}

// protocolName spells a stored protocol the way its specification does.
func protocolName(p string) string {
	switch p {
	case "trackback":
		return "TrackBack"
	case "pingback":
		return "Pingback"
	case "webmention":
		return "Webmention"
	}
	return p
}
