package models

import (
	"context"
	"strconv"
	"strings"
)

// OldPath finds where an old site's path now lives (see PathRedirect). The
// path is compared without its trailing slash.
func (s *Store) OldPath(ctx context.Context, path string) (*PathRedirect, error) {
	var r PathRedirect
	err := s.db.WithContext(ctx).Where("path = ?", CleanOldPath(path)).First(&r).Error
	return &r, translate(err, "old path")
}

// CleanOldPath is the form old paths are stored and looked up in: decoded,
// without a trailing slash ("/" stays).
func CleanOldPath(p string) string {
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
	}
	if p == "" {
		p = "/"
	}
	return p
}

// ImportedPost finds the post or page that WordPress knew by id wpID (the
// most recent import's, if several sites were imported).
func (s *Store) ImportedPost(ctx context.Context, wpID int64) (*Post, error) {
	var p Post
	err := s.db.WithContext(ctx).Joins("JOIN import_ids i ON i.local_id = posts.id AND i.kind = ?", "post").
		Where("i.key = ?", strconv.FormatInt(wpID, 10)).Order("posts.id DESC").First(&p).Error
	return &p, translate(err, "imported post")
}

// ReadablePost finds a post or page by slug that a reader may open:
// published, or also private when loggedIn.
func (s *Store) ReadablePost(ctx context.Context, kind PostKind, slug string, loggedIn bool) (*Post, error) {
	if loggedIn {
		return s.postBySlug(ctx, kind, slug, StatusPublished, StatusPrivate)
	}
	return s.postBySlug(ctx, kind, slug, StatusPublished)
}

// ProtectedNotice replaces a password-protected post's text wherever the
// password cannot be asked for (lists, feeds, excerpts).
const ProtectedNotice = "<p>This post is password protected.</p>"

// Protected reports whether the post asks readers for a password.
func (p *Post) Protected() bool { return p.Password != "" }

// HideProtected blanks a password-protected post's text, excerpt and
// password, so that no listing or feed can leak them.
func (p *Post) HideProtected() {
	if !p.Protected() {
		return
	}
	p.Body, p.BodyHTML, p.Excerpt, p.Password = "", ProtectedNotice, "", ""
}
