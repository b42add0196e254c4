package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/crosstalk/crosstalk/trackback/text"
)

// ResponseType is what a Webmention's source does to the post, from its
// h-entry (microformats2).
type ResponseType string

// Response types. Replies are shown as comments; likes, reposts and
// bookmarks as a row of faces; mentions (and linkbacks not parsed, whose
// type is empty) in the linkbacks list.
const (
	ResponseReply    ResponseType = "reply"
	ResponseLike     ResponseType = "like"
	ResponseRepost   ResponseType = "repost"
	ResponseBookmark ResponseType = "bookmark"
	ResponseMention  ResponseType = "mention"
)

// IsReaction reports whether the type is shown as a face, not as text.
func (t ResponseType) IsReaction() bool {
	return t == ResponseLike || t == ResponseRepost || t == ResponseBookmark
}

// SourceEntry is what the verifier read in a Webmention's source page.
type SourceEntry struct {
	Type                               ResponseType
	AuthorName, AuthorURL, AuthorPhoto string
	// Content replaces the stored excerpt when not empty.
	Content   string
	Published time.Time // zero: unknown
}

// AvatarPath is where a linkback's stored avatar is served; empty when it
// has none. The hash in the path changes with the image, so the address
// may be cached for good.
func (f *Feedback) AvatarPath() string {
	if f.AvatarSHA256 == "" || len(f.AvatarSHA256) < 16 {
		return ""
	}
	return fmt.Sprintf("/avatars/%d/%s", f.ID, f.AvatarSHA256[:16])
}

// RecordEntry stores a verified Webmention's h-entry data and its author's
// avatar (nil: none, any stored one is removed) in one transaction.
func (s *Store) RecordEntry(ctx context.Context, id int64, e SourceEntry, avatar *Avatar) error {
	updates := map[string]any{
		"response_type": e.Type,
		"author_url":    webURLOrEmpty(e.AuthorURL),
		"author_photo":  webURLOrEmpty(e.AuthorPhoto),
		"updated_at":    s.now(),
	}
	if name := text.Shorten(text.CleanLine(e.AuthorName), MaxAuthorNameLen, ""); name != "" {
		updates["author_name"] = name
	}
	if c := text.Clean(e.Content); c != "" {
		updates["content"] = text.Shorten(c, MaxCommentLen, "…")
	}
	if !e.Published.IsZero() {
		updates["source_published_at"] = e.Published.UTC()
	} else {
		updates["source_published_at"] = nil
	}
	updates["avatar_sha256"] = ""
	if avatar != nil {
		updates["avatar_sha256"] = avatar.SHA256
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Feedback{}).Where("id = ?", id).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound // deleted meanwhile
		}
		if err := tx.Where("feedback_id = ?", id).Delete(&Avatar{}).Error; err != nil {
			return err
		}
		if avatar == nil {
			return nil
		}
		a := *avatar
		a.FeedbackID, a.CreatedAt = id, s.now()
		return tx.Create(&a).Error
	})
	return translate(err, "record entry")
}

func webURLOrEmpty(s string) string {
	s = text.CleanLine(s)
	if !IsWebURL(s) || len(s) > MaxURLLen {
		return ""
	}
	return s
}

// Initial is the first letter of the author's name, upper-cased: the
// placeholder shown where there is no avatar.
func (f *Feedback) Initial() string {
	for _, r := range strings.TrimSpace(f.AuthorName) {
		return strings.ToUpper(string(r))
	}
	return "?"
}

// ShownDate is the date a linkback is shown with: its source's own date
// when the source gave one, else when it arrived.
func (f *Feedback) ShownDate() time.Time {
	if f.SourcePublishedAt != nil {
		return *f.SourcePublishedAt
	}
	return f.CreatedAt
}
