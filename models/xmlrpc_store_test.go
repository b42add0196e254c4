package models

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAppPasswords(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	if _, _, err := NewAppPassword(u.ID, "  "); FieldErrors(err)["name"] == "" {
		t.Fatalf("empty name: %v", err)
	}
	p, token, err := NewAppPassword(u.ID, " MarsEdit   on laptop ")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "MarsEdit on laptop" || strings.Contains(p.Hash, strings.ReplaceAll(token, " ", "")) {
		t.Fatalf("name %q; the hash must not contain the token", p.Name)
	}
	if len(strings.ReplaceAll(token, " ", "")) != appTokenLen || strings.Count(token, " ") != 7 {
		t.Fatalf("token %q: want 32 characters in groups of four", token)
	}
	if err := s.CreateAppPassword(ctx, p); err != nil {
		t.Fatal(err)
	}
	for _, typed := range []string{token, strings.ToUpper(strings.ReplaceAll(token, " ", ""))} {
		got, err := s.UseAppPassword(ctx, u.ID, typed)
		if err != nil || got.ID != p.ID || got.LastUsedAt == nil {
			t.Fatalf("use %q: %+v %v", typed, got, err)
		}
	}
	for name, typed := range map[string]string{"wrong token": strings.Repeat("a", 32), "not a token": "hunter2", "empty": ""} {
		if _, err := s.UseAppPassword(ctx, u.ID, typed); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: got %v, want ErrNotFound", name, err)
		}
	}
	if _, err := s.UseAppPassword(ctx, u.ID+1, token); !errors.Is(err, ErrNotFound) {
		t.Errorf("another user's token: %v", err)
	}
	clock.t = clock.t.Add(2 * time.Minute)
	if got, _ := s.UseAppPassword(ctx, u.ID, token); !got.LastUsedAt.Equal(clock.t) {
		t.Errorf("last use not recorded: %v", got.LastUsedAt)
	}
	list, err := s.AppPasswords(ctx, u.ID)
	if err != nil || len(list) != 1 || list[0].LastUsedAt == nil {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if err := s.DeleteAppPassword(ctx, u.ID+1, p.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoking another user's password: %v", err)
	}
	if err := s.DeleteAppPassword(ctx, u.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseAppPassword(ctx, u.ID, token); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoked token still works: %v", err)
	}
}

var tinyPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func TestNewMedia(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		max        int64
		wantName   string
		wantMime   string
		wantErr    string
	}{
		{"png", "My Photo.PNG", tinyPNG, 1000, "my-photo.png", "image/png", ""},
		{"claimed jpeg is png", "C:\\Users\\me\\shot.jpeg", tinyPNG, 1000, "shot.png", "image/png", ""},
		{"gif", "../../etc/anim.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), 1000, "anim.gif", "image/gif", ""},
		{"webp", "w.webp", []byte("RIFF\x1a\x00\x00\x00WEBPVP8 \x0e\x00\x00\x00"), 1000, "w.webp", "image/webp", ""},
		{"jpeg", "", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), 1000, "file.jpg", "image/jpeg", ""},
		{"html pretending to be png", "x.png", []byte("<html><script>alert(1)</script>"), 1000, "", "", "Only PNG"},
		{"svg", "x.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), 1000, "", "", "Only PNG"},
		{"too big", "big.png", tinyPNG, 10, "", "", "larger than the limit of 10 bytes"},
		{"empty", "e.png", nil, 10, "", "", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewMedia(tt.file, tt.data, tt.max)
			if tt.wantErr != "" {
				if !strings.Contains(FieldErrors(err)["file"], tt.wantErr) {
					t.Fatalf("got %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || m.Name != tt.wantName || m.Mime != tt.wantMime || m.Size != int64(len(tt.data)) || len(m.SHA256) != 64 {
				t.Fatalf("got %+v, %v", m, err)
			}
		})
	}
}

func TestMediaStore(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	m, err := NewMedia("dot.png", tinyPNG, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	created, err := s.AddMedia(ctx, m)
	if err != nil || !created || m.ID == 0 {
		t.Fatalf("add: %v %v", created, err)
	}
	again, _ := NewMedia("dot.png", tinyPNG, 1<<20)
	if created, err := s.AddMedia(ctx, again); err != nil || created || again.ID != m.ID {
		t.Fatalf("the same file again must reuse row %d: got %d, created=%v, %v", m.ID, again.ID, created, err)
	}
	other, _ := NewMedia("other.png", tinyPNG, 1<<20)
	if created, _ := s.AddMedia(ctx, other); !created || other.ID == m.ID {
		t.Fatal("the same bytes under another name are another file")
	}
	got, err := s.MediaByID(ctx, m.ID)
	if err != nil || !bytes.Equal(got.Data, tinyPNG) || got.Mime != "image/png" || got.Path() != "/media/1/dot.png" {
		t.Fatalf("by id: %+v %v", got, err)
	}
	list, err := s.MediaList(ctx, 0, 10)
	if err != nil || len(list) != 2 || list[0].ID != other.ID || list[0].Data != nil {
		t.Fatalf("list (newest first, no bytes): %+v %v", list, err)
	}
	if err := s.DeleteMedia(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MediaByID(ctx, m.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted media: %v", err)
	}
	if err := s.DeleteMedia(ctx, m.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
}

func TestFeedbackForRemoteModeration(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	now := clock.Now()
	p := newPost(u.ID, "Discussed", StatusPublished, &now)
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, st := range []ModerationStatus{ModPending, ModApproved, ModSpam, ModTrash} {
		f := &Feedback{PostID: p.ID, Kind: FeedbackComment, Status: st, AuthorName: "r", Content: string(st)}
		if _, err := s.AddFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, f.ID)
	}
	all, err := s.Queue(ctx, QueueFilter{})
	if err != nil || len(all) != 2 || all[0].Status != ModApproved || all[1].Status != ModPending {
		t.Fatalf("no status: want approved and pending, got %+v %v", all, err)
	}
	if all[0].PostPath != "/2026/11/discussed" {
		t.Errorf("post path = %q", all[0].PostPath)
	}
	offset, _ := s.Queue(ctx, QueueFilter{Offset: 1})
	if len(offset) != 1 || offset[0].ID != ids[0] {
		t.Errorf("offset 1: %+v", offset)
	}
	item, err := s.FeedbackByID(ctx, ids[2])
	if err != nil || item.Content != "spam" || item.PostTitle != "Discussed" || item.PostPath != "/2026/11/discussed" {
		t.Fatalf("by id: %+v %v", item, err)
	}
	if _, err := s.FeedbackByID(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	item.Status, item.Content, item.AuthorName = ModApproved, "edited", "Ann"
	if err := s.UpdateFeedback(ctx, &item.Feedback); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.FeedbackByID(ctx, ids[2]); again.Status != ModApproved || again.Content != "edited" || again.AuthorName != "Ann" {
		t.Errorf("after update: %+v", again)
	}
	if err := s.UpdateFeedback(ctx, &Feedback{ID: 999, Status: ModSpam}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update unknown: %v", err)
	}
}

func TestRecentPostsAndTags(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	old := clock.Now().Add(-48 * time.Hour)
	if err := s.CreatePost(ctx, newPost(u.ID, "Old", StatusPublished, &old), []string{"Zeta", "alpha"}); err != nil {
		t.Fatal(err)
	}
	clock.t = clock.t.Add(time.Hour)
	if err := s.CreatePost(ctx, newPost(u.ID, "Draft", StatusDraft, nil), []string{"alpha"}); err != nil {
		t.Fatal(err)
	}
	posts, err := s.RecentPosts(ctx, KindPost, 10)
	if err != nil || len(posts) != 2 || posts[0].Title != "Draft" || posts[1].Body != "Hello" || len(posts[1].Tags) != 2 {
		t.Fatalf("recent = %+v, %v", posts, err)
	}
	if one, _ := s.RecentPosts(ctx, KindPost, 1); len(one) != 1 {
		t.Errorf("limit 1: %d", len(one))
	}
	tags, err := s.Tags(ctx)
	if err != nil || len(tags) != 2 || tags[0].Name != "alpha" {
		t.Fatalf("tags = %+v, %v", tags, err)
	}
}
