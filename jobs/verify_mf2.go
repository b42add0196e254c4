package jobs

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/mf2"
)

// avatarTimeout bounds the fetch of one author picture.
const avatarTimeout = 10 * time.Second

// EntryRecorder stores what a verified Webmention's source says of itself
// (models.Store has it).
type EntryRecorder interface {
	// RecordEntry stores the h-entry data and the author's avatar (nil: none).
	RecordEntry(ctx context.Context, id int64, e models.SourceEntry, avatar *models.Avatar) error
}

// recordMention stores a verified Webmention's source: its title and
// excerpt, then its h-entry (author, content, date, response type) with
// the author's avatar, fetched through the safe client. A picture that
// cannot be fetched, or is no image, leaves the placeholder.
func (v *Verifier) recordMention(ctx context.Context, log *slog.Logger, id int64, page trackback.SourcePage) {
	if err := v.Store.RecordSource(ctx, id, page.Title, page.Excerpt); err != nil {
		log.Error("record webmention source", "err", err)
		return
	}
	e := page.Entry
	var avatar *models.Avatar
	if e.AuthorPhoto != "" {
		a, err := fetchAvatar(ctx, v.Client, e.AuthorPhoto)
		if err != nil {
			log.Info("author avatar not stored; a placeholder is shown", "photo", e.AuthorPhoto, "err", err)
		}
		avatar = a
	}
	entry := models.SourceEntry{Type: responseType(e.Type), AuthorName: e.AuthorName, AuthorURL: e.AuthorURL,
		AuthorPhoto: e.AuthorPhoto, Content: e.Content, Published: e.Published}
	if err := v.Store.RecordEntry(ctx, id, entry, avatar); err != nil {
		log.Error("record webmention h-entry", "err", err)
	}
}

func responseType(t mf2.ResponseType) models.ResponseType {
	switch t {
	case mf2.Reply:
		return models.ResponseReply
	case mf2.Like:
		return models.ResponseLike
	case mf2.Repost:
		return models.ResponseRepost
	case mf2.Bookmark:
		return models.ResponseBookmark
	}
	return models.ResponseMention
}

// fetchAvatar GETs an author's picture through client and checks it as an
// upload is checked (models.NewAvatar: sniffed PNG, JPEG, GIF or WebP, at
// most models.MaxAvatarBytes).
func fetchAvatar(ctx context.Context, client *http.Client, photo string) (*models.Avatar, error) {
	if !models.IsWebURL(photo) {
		return nil, fmt.Errorf("avatar %q: not a web address", photo)
	}
	ctx, cancel := context.WithTimeout(ctx, avatarTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, photo, nil)
	if err != nil {
		return nil, fmt.Errorf("avatar: %w", err)
	}
	req.Header.Set("Accept", "image/png, image/jpeg, image/gif, image/webp;q=0.9, */*;q=0.1")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("avatar: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("avatar: %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, models.MaxAvatarBytes+1))
	if err != nil {
		return nil, fmt.Errorf("avatar: reading: %w", err)
	}
	return models.NewAvatar(data)
}
