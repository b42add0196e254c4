package wpimport

import (
	"strconv"
	"strings"

	xhtml "golang.org/x/net/html"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/wxr"
)

// commentStatuses maps wp:comment_approved to the moderation queue's tabs.
var commentStatuses = map[string]models.ModerationStatus{
	"1": models.ModApproved, "0": models.ModPending, "spam": models.ModSpam,
	"trash": models.ModTrash, "post-trashed": models.ModTrash,
}

// importComments stores an item's comments not imported before, in the
// moderation queue with their statuses, threaded as they were; TrackBacks
// and Pingbacks become received linkbacks of their kind.
func (im *importer) importComments(it *wxr.Item, p *models.Post) error {
	var comments []models.Feedback
	var wps []*wxr.Comment
	local := map[int64]int64{}
	for i := range it.Comments {
		c := &it.Comments[i]
		if id, ok := im.tx.KnownID("comment", c.ID); ok {
			local[c.ID] = id
			im.sum.Skipped++
			continue
		}
		f := im.feedback(c, p.ID)
		if f.Kind == models.FeedbackComment {
			comments = append(comments, f)
			wps = append(wps, c)
			continue
		}
		if !models.IsWebURL(f.SourceURL) {
			im.sum.warn("%s %d on %s %d: no web address of the linking page; not imported", f.Kind, c.ID, it.Type, it.ID)
			continue
		}
		created, err := im.tx.AddLinkback(&f)
		if err != nil {
			return err
		}
		if created {
			im.sum.Linkbacks++
			if err := im.tx.Remember("comment", strconv.FormatInt(c.ID, 10), "", f.ID); err != nil {
				return err
			}
		}
	}
	if err := im.tx.AddComments(comments); err != nil {
		return err
	}
	keys, ids := make([]string, len(comments)), make([]int64, len(comments))
	for i := range comments {
		local[wps[i].ID] = comments[i].ID
		keys[i], ids[i] = strconv.FormatInt(wps[i].ID, 10), comments[i].ID
	}
	if err := im.tx.RememberAll("comment", keys, ids); err != nil {
		return err
	}
	im.sum.Comments += len(comments)
	for i := range comments {
		wp := wps[i]
		if parent, ok := local[wp.Parent]; ok && wp.Parent != 0 && parent != comments[i].ID {
			if err := im.tx.SetFeedbackParent(comments[i].ID, parent); err != nil {
				return err
			}
		}
	}
	return nil
}

func (im *importer) feedback(c *wxr.Comment, postID int64) models.Feedback {
	status, ok := commentStatuses[c.Approved]
	if !ok {
		status = models.ModPending
	}
	when, _ := im.date(c.Date, c.DateGMT)
	f := models.Feedback{PostID: postID, Kind: models.FeedbackComment, Status: status,
		AuthorName: cutRunes(wxr.Unescape(c.Author), models.MaxAuthorNameLen), AuthorEmail: c.AuthorEmail,
		SourceURL: c.AuthorURL, IP: c.AuthorIP, Content: commentText(c.Content),
		CreatedAt: when, UpdatedAt: when}
	switch c.Type {
	case "pingback":
		f.Kind = models.FeedbackPingback
	case "trackback":
		f.Kind = models.FeedbackTrackBack
	case "webmention": // the Webmention plugin's; Semantic Linkbacks says what kind
		f.Kind = models.FeedbackWebmention
		f.ResponseType = models.ResponseMention
		switch rt := models.ResponseType(metaValue(c.Meta, semanticType)); rt {
		case models.ResponseReply, models.ResponseLike, models.ResponseRepost, models.ResponseBookmark:
			f.ResponseType = rt
		}
	}
	if f.Kind != models.FeedbackComment {
		f.Verification = models.VerificationVerified
		f.AuthorEmail = ""
	} else if !models.IsWebURL(f.SourceURL) {
		f.SourceURL = ""
	}
	if f.AuthorName == "" {
		f.AuthorName = "Anonymous"
	}
	return f
}

// commentText turns a comment's HTML into the plain text comments are
// kept as: paragraphs and line breaks stay, tags go.
func commentText(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return strings.TrimSpace(b.String())
		case xhtml.TextToken:
			b.Write(z.Text())
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "br":
				b.WriteString("\n")
			case "p":
				b.WriteString("\n\n")
			}
		}
	}
}

// semanticType is the Semantic Linkbacks plugin's comment meta naming a
// Webmention's response type (reply, like, repost…).
const semanticType = "semantic_linkbacks_type"

func metaValue(ms []wxr.Meta, key string) string {
	for _, m := range ms {
		if m.Key == key {
			return m.Value
		}
	}
	return ""
}
