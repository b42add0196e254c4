package models

import (
	"strings"
	"testing"
	"time"
)

func TestSlugify(t *testing.T) {
	tests := map[string]string{
		"Hello, World!":          "hello-world",
		"  Crème brûlée  ":       "creme-brulee",
		"Go 1.26 -- what's new?": "go-1-26-what-s-new",
		"日本語のタイトル":               "日本語のタイトル",
		"---":                    "",
	}
	for in, want := range tests {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Slugify(strings.Repeat("ab ", 200)); len(got) > MaxSlugLen || strings.HasSuffix(got, "-") {
		t.Errorf("long slug: %d bytes %q", len(got), got[len(got)-5:])
	}
}

func TestParseTags(t *testing.T) {
	got := ParseTags(" Go, go ,  Web   Dev,, ")
	if len(got) != 2 || got[0] != "Go" || got[1] != "Web Dev" {
		t.Errorf("ParseTags = %q", got)
	}
}

func TestPostValidate(t *testing.T) {
	at := time.Now()
	valid := func() *Post {
		return &Post{Kind: KindPost, Title: "T", Slug: "t", Status: StatusDraft}
	}
	tests := []struct {
		name  string
		edit  func(p *Post)
		field string
	}{
		{"valid", func(p *Post) {}, ""},
		{"no title", func(p *Post) { p.Title = " " }, "title"},
		{"long title", func(p *Post) { p.Title = strings.Repeat("x", 251) }, "title"},
		{"bad slug", func(p *Post) { p.Slug = "Not A Slug" }, "slug"},
		{"empty slug", func(p *Post) { p.Slug = "" }, "slug"},
		{"reserved page slug", func(p *Post) { p.Kind, p.Slug = KindPage, "admin" }, "slug"},
		{"scheduled without time", func(p *Post) { p.Status = StatusScheduled }, "published_at"},
		{"ping URLs", func(p *Post) { p.PingURLs = "https://a.example/tb/1\nhttp://b.example/tb" }, ""},
		{"ping URL not http", func(p *Post) { p.PingURLs = "https://a.example/tb/1\njavascript:alert(1)" }, "ping_urls"},
		{"ping URL with userinfo", func(p *Post) { p.PingURLs = "https://u:p@a.example/tb" }, "ping_urls"},
		{"scheduled with time", func(p *Post) { p.Status, p.PublishedAt = StatusScheduled, &at }, ""},
		{"unknown status", func(p *Post) { p.Status = "gone" }, "status"},
		{"year 1", func(p *Post) { y1 := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC); p.PublishedAt = &y1 }, "published_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid()
			tt.edit(p)
			errs := FieldErrors(p.Validate())
			if tt.field == "" && errs != nil {
				t.Fatalf("unexpected errors %v", errs)
			}
			if tt.field != "" && errs[tt.field] == "" {
				t.Fatalf("want an error on %q, got %v", tt.field, errs)
			}
		})
	}
}

func TestValidateComment(t *testing.T) {
	tests := []struct {
		name  string
		f     Feedback
		field string
	}{
		{"ok", Feedback{AuthorName: "Ann", Content: "Nice", SourceURL: "https://ann.example"}, ""},
		{"no name", Feedback{Content: "Nice"}, "name"},
		{"bad email", Feedback{AuthorName: "Ann", AuthorEmail: "nope", Content: "x"}, "email"},
		{"javascript url", Feedback{AuthorName: "Ann", SourceURL: "javascript:alert(1)", Content: "x"}, "url"},
		{"empty", Feedback{AuthorName: "Ann", Content: "  "}, "content"},
		{"too long", Feedback{AuthorName: "Ann", Content: strings.Repeat("x", 10001)}, "content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := FieldErrors(tt.f.ValidateComment())
			if (tt.field == "") != (errs == nil) || (tt.field != "" && errs[tt.field] == "") {
				t.Fatalf("errors = %v, want field %q", errs, tt.field)
			}
		})
	}
}

func TestPasswords(t *testing.T) {
	if _, err := HashPassword("short"); FieldErrors(err)["password"] == "" {
		t.Errorf("short password accepted: %v", err)
	}
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	u := &User{PasswordHash: h}
	if !CheckPassword(u, "correct horse battery") || CheckPassword(u, "wrong password!") || CheckPassword(nil, "correct horse battery") {
		t.Error("CheckPassword gave a wrong answer")
	}
}

func TestValidateLinkback(t *testing.T) {
	ok := Feedback{Kind: FeedbackTrackBack, SourceURL: "https://a.example/", AuthorName: "Blog", Content: "x"}
	if err := ok.ValidateLinkback(); err != nil {
		t.Errorf("valid linkback: %v", err)
	}
	bad := ok
	bad.SourceURL = "javascript:alert(1)"
	if FieldErrors(bad.ValidateLinkback())["url"] == "" {
		t.Error("a javascript: source was accepted")
	}
	long := ok
	long.Content = strings.Repeat("x", MaxCommentLen+1)
	if FieldErrors(long.ValidateLinkback())["content"] == "" {
		t.Error("an over-long excerpt was accepted")
	}
}
