package models

import (
	"context"
	"strings"
)

// PostsByTitle lists posts and pages whose title contains text (any case),
// most recently edited first, without bodies: the moderation queue's post
// filter, where a writer knows titles, not ids.
func (s *Store) PostsByTitle(ctx context.Context, text string, n int) ([]Post, error) {
	like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(strings.TrimSpace(text))) + "%"
	var posts []Post
	err := s.db.WithContext(ctx).Omit("body", "body_html").Where(`LOWER(title) LIKE ? ESCAPE '\'`, like).
		Order("updated_at DESC, id DESC").Limit(limit(n)).Find(&posts).Error
	return posts, translate(err, "posts by title")
}
