package models

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// pngBytes is the start of a PNG file: enough for the type to be sniffed.
var pngBytes = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)

func TestNewAvatar(t *testing.T) {
	if _, err := NewAvatar(pngBytes); err != nil {
		t.Errorf("a PNG was refused: %v", err)
	}
	for name, data := range map[string][]byte{
		"empty":    nil,
		"html":     []byte("<html><script>alert(1)</script>"),
		"svg":      []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`),
		"too big":  append(append([]byte{}, pngBytes...), make([]byte, MaxAvatarBytes)...),
		"not sure": []byte("GIF"),
	} {
		if _, err := NewAvatar(data); !errors.Is(err, ErrNotAnImage) {
			t.Errorf("%s: err = %v, want ErrNotAnImage", name, err)
		}
	}
}

func TestRecordEntryAndAvatarGoWithTheMention(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	now := clock.Now()
	p := newPost(u.ID, "Replied", StatusPublished, &now)
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	f := &Feedback{PostID: p.ID, Status: ModPending, SourceURL: "https://alice.example/r/1"}
	if _, err := s.SaveWebmention(ctx, f); err != nil {
		t.Fatal(err)
	}
	avatar, err := NewAvatar(pngBytes)
	if err != nil {
		t.Fatal(err)
	}
	published := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	entry := SourceEntry{Type: ResponseReply, AuthorName: " Alice\x00 ", AuthorURL: "https://alice.example/",
		AuthorPhoto: "javascript:alert(1)", Content: "First.\r\n\r\nSecond.", Published: published}
	if err := s.RecordEntry(ctx, f.ID, entry, avatar); err != nil {
		t.Fatal(err)
	}
	got, err := s.FeedbackByID(ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ResponseType != ResponseReply || got.AuthorName != "Alice" || got.AuthorURL != "https://alice.example/" ||
		got.AuthorPhoto != "" || got.Content != "First.\n\nSecond." || got.SourcePublishedAt == nil ||
		!got.SourcePublishedAt.Equal(published) || got.AvatarSHA256 != avatar.SHA256 {
		t.Fatalf("recorded: %+v", got.Feedback)
	}
	if want := fmt.Sprintf("/avatars/%d/%s", f.ID, avatar.SHA256[:16]); got.AvatarPath() != want {
		t.Errorf("avatar path %q, want %q", got.AvatarPath(), want)
	}
	stored, err := s.Avatar(ctx, f.ID)
	if err != nil || !bytes.Equal(stored.Data, pngBytes) || stored.Mime != "image/png" {
		t.Fatalf("stored avatar: %+v, %v", stored, err)
	}
	// Served only while the mention is shown: approved and verified.
	if _, err := s.ShownAvatar(ctx, f.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("avatar of a pending mention is served: %v", err)
	}
	if err := s.FinishVerification(ctx, f.ID, VerificationVerified, "", true); err != nil {
		t.Fatal(err)
	}
	if a, err := s.ShownAvatar(ctx, f.ID); err != nil || a.SHA256 != avatar.SHA256 {
		t.Errorf("avatar of an approved mention: %+v, %v", a, err)
	}

	// Checked again, the photo cannot be fetched: the old avatar goes, a placeholder shows.
	if err := s.RecordEntry(ctx, f.ID, SourceEntry{Type: ResponseLike, AuthorName: "Alice"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Avatar(ctx, f.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("avatar after a failed fetch: %v", err)
	}
	if got, _ := s.FeedbackByID(ctx, f.ID); got.AvatarPath() != "" || got.ResponseType != ResponseLike || got.SourcePublishedAt != nil {
		t.Errorf("after a failed fetch: %+v", got.Feedback)
	}

	// Deleting the mention deletes its avatar.
	if err := s.RecordEntry(ctx, f.ID, entry, avatar); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteFeedback(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Avatar(ctx, f.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("avatar outlived its mention: %v", err)
	}
	if err := s.RecordEntry(ctx, f.ID, entry, avatar); !errors.Is(err, ErrNotFound) {
		t.Errorf("recording a deleted mention: %v", err)
	}
}
