package handlers

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// serveAvatar serves the stored picture of a shown linkback's author at
// /avatars/FEEDBACK-ID/HASH (404 for one held, refused or withdrawn). The hash names the bytes, so the answer may be
// cached for a year; the sniffed type is sent with nosniff. An old hash
// redirects to the current picture.
func (s *Server) serveAvatar(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.renderError(c, models.ErrNotFound)
		return
	}
	a, err := s.Feedback.ShownAvatar(c.Request.Context(), id)
	if err != nil {
		s.renderError(c, err)
		return
	}
	f := models.Feedback{ID: id, AvatarSHA256: a.SHA256}
	if c.Param("hash") != a.SHA256[:16] {
		c.Redirect(http.StatusMovedPermanently, f.AvatarPath())
		return
	}
	serveImmutable(c, a.Mime, a.SHA256, "avatar", a.CreatedAt, a.Data)
}

// serveImmutable answers with stored bytes whose address names them (an
// upload, an avatar): cached for a year, with the type sniffed when they
// were stored and nosniff, so browsers never guess another.
func serveImmutable(c *gin.Context, contentType, sha256, name string, modified time.Time, data []byte) {
	h := c.Writer.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+sha256+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name}))
	http.ServeContent(c.Writer, c.Request, name, modified, bytes.NewReader(data))
}

// reactionOrder is the order of the rows of faces under a post.
var reactionOrder = []struct {
	typ          models.ResponseType
	one, several string
}{
	{models.ResponseLike, "like", "likes"},
	{models.ResponseRepost, "repost", "reposts"},
	{models.ResponseBookmark, "bookmark", "bookmarks"},
}

// sortDiscussion places a post's approved feedback: comments and
// Webmention replies (shown as comments with their author) in Comments,
// likes, reposts and bookmarks in rows of faces, the other linkbacks in
// Linkbacks. Each keeps the store's order (oldest first).
func sortDiscussion(data *views.PostPage, feedback []models.Feedback) {
	byType := map[models.ResponseType][]models.Feedback{}
	for _, f := range feedback {
		switch {
		case f.Kind == models.FeedbackComment:
			data.Comments = append(data.Comments, f)
		case f.HasAuthorCard() && f.ResponseType == models.ResponseReply:
			data.Comments = append(data.Comments, f)
		case f.HasAuthorCard() && f.ResponseType.IsReaction():
			byType[f.ResponseType] = append(byType[f.ResponseType], f)
		default:
			data.Linkbacks = append(data.Linkbacks, f)
		}
	}
	for _, r := range reactionOrder {
		people := byType[r.typ]
		if len(people) == 0 {
			continue
		}
		label := fmt.Sprintf("1 %s", r.one)
		if len(people) > 1 {
			label = fmt.Sprintf("%d %s", len(people), r.several)
		}
		data.Reactions = append(data.Reactions, views.ReactionGroup{Type: r.typ, Label: label, People: people})
	}
}
