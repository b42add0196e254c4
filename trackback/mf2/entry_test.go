package mf2

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

const target = "https://blog.example/2026/11/hello"

// at is the address of a source page.
func at(host, path string) *url.URL { return &url.URL{Scheme: "https", Host: host, Path: path} }

func TestFind(t *testing.T) {
	tests := []struct {
		name, page string
		source     *url.URL
		want       Entry
	}{
		{
			name:   "reply with nested author h-card and relative URLs",
			source: at("alice.example", "/notes/7"),
			page: `<!doctype html><html><head><title>A note</title></head><body>
<article class="h-entry">
  <a class="u-url" href="/notes/7">permalink</a>
  <div class="p-author h-card"><img class="u-photo" src="/me.png" alt=""><a class="p-name u-url" href="/">Alice Example</a></div>
  <p>In reply to <a class="u-in-reply-to" href="https://Blog.Example/2026/11/hello#top">Hello</a></p>
  <div class="e-content"><p>Great post!</p>
  <p>Second   paragraph,<br>with a break. <script>alert(1)</script></p></div>
  <time class="dt-published" datetime="2026-11-30T10:11:12+01:00">30 Nov</time>
</article></body></html>`,
			want: Entry{Type: Reply, Found: true, AuthorName: "Alice Example", AuthorURL: "https://alice.example/",
				AuthorPhoto: "https://alice.example/me.png", Content: "Great post!\n\nSecond paragraph,\nwith a break.",
				Published: time.Date(2026, 11, 30, 9, 11, 12, 0, time.UTC)},
		},
		{
			name:   "like with implied author name and photo from an only img",
			source: at("bob.example", "/likes/1"),
			page: `<div class="h-entry"><a class="u-like-of" href="http://blog.example/2026/11/hello/">liked</a>
  <a class="p-author h-card" href="https://bob.example/"><img src="https://bob.example/face.jpg" alt="Bob"></a>
  <data class="dt-published" value="2026-11-29">yesterday</data></div>`,
			want: Entry{Type: Like, Found: true, AuthorName: "Bob", AuthorURL: "https://bob.example/",
				AuthorPhoto: "https://bob.example/face.jpg", // no implied name: p-author is a property
				Published:   time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)},
		},
		{
			name:   "repost of an h-cite, author as a plain name, implied name of the h-cite",
			source: at("carol.example", "/r/2"),
			page: `<div class="h-entry"><span class="p-author">Carol</span>
  <div class="u-repost-of h-cite"><a class="u-url" href="https://blog.example/2026/11/hello">Hello</a></div></div>`,
			want: Entry{Type: Repost, Found: true, AuthorName: "Carol", AuthorURL: ""},
		},
		{
			name:   "bookmark; a response to another page does not count",
			source: at("dan.example", "/b"),
			page: `<div class="h-entry"><a class="u-in-reply-to" href="https://other.example/">x</a>
  <a class="u-bookmark-of" href="https://blog.example/2026/11/hello">bm</a>
  <p class="p-summary">Worth reading</p></div>`,
			want: Entry{Type: Bookmark, Found: true, AuthorName: "dan.example", AuthorURL: "https://dan.example/",
				Content: "Worth reading"},
		},
		{
			name:   "mention, author from the page's representative h-card, base href",
			source: at("erin.example", "/posts/9"),
			page: `<head><base href="/root/"></head><div class="h-card"><a class="p-name u-url" href="https://erin.example/">Erin</a>
  <img class="u-photo" src="pic.gif"></div>
  <main class="h-entry"><p class="p-name">Read <a href="https://blog.example/2026/11/hello">this</a></p></main>`,
			want: Entry{Type: Mention, Found: true, AuthorName: "Erin", AuthorURL: "https://erin.example/",
				AuthorPhoto: "https://erin.example/root/pic.gif", Content: "Read this"},
		},
		{
			name:   "an h-feed: the entry responding to the target, author of the feed",
			source: at("frank.example", "/"),
			page: `<div class="h-feed"><a class="p-author h-card" href="https://frank.example/">Frank</a>
  <div class="h-entry"><p class="e-content">first</p></div>
  <div class="h-entry"><a class="u-in-reply-to" href="https://blog.example/2026/11/hello">re</a><p class="e-content">second</p>
  <span class="dt-published"><span class="value">2026-11-28</span> <span class="value">08:30</span></span></div></div>`,
			want: Entry{Type: Reply, Found: true, AuthorName: "Frank", AuthorURL: "https://frank.example/",
				Content: "second", Published: time.Date(2026, 11, 28, 8, 30, 0, 0, time.UTC)},
		},
		{
			name:   "classic hAtom and hCard, as WordPress themes write them",
			source: at("wp.example", "/2026/11/29/re/"),
			page: `<article class="post hentry"><h2 class="entry-title"><a href="/2026/11/29/re/" rel="bookmark">Re: Hello</a></h2>
  <span class="author vcard"><img class="photo" src="/avatar.jpg" alt=""><a class="url fn" href="https://wp.example/">Winnie</a></span>
  <time class="published" datetime="2026-11-29T07:00:00+00:00">29 Nov</time>
  <div class="entry-content"><p>I liked <a href="https://blog.example/2026/11/hello">this post</a>.</p></div></article>`,
			want: Entry{Type: Mention, Found: true, AuthorName: "Winnie", AuthorURL: "https://wp.example/",
				AuthorPhoto: "https://wp.example/avatar.jpg", Content: "I liked this post.",
				Published: time.Date(2026, 11, 29, 7, 0, 0, 0, time.UTC)},
		},
		{
			name:   "no microformats: the host is the author",
			source: at("gina.example", "/page"),
			page:   `<p>A link to <a href="https://blog.example/2026/11/hello">a post</a>.</p>`,
			want:   Entry{Type: Mention, AuthorName: "gina.example", AuthorURL: "https://gina.example/"},
		},
		{
			name:   "template content and invalid class names are ignored",
			source: at("hal.example", "/x"),
			page: `<template><div class="h-entry"><a class="u-like-of" href="https://blog.example/2026/11/hello">no</a></div></template>
  <div class="h-entry"><a class="u-Like-of u-like--of" href="https://blog.example/2026/11/hello">x</a><p class="p-content">Plain</p></div>`,
			want: Entry{Type: Mention, Found: true, AuthorName: "hal.example", AuthorURL: "https://hal.example/", Content: "Plain"},
		},
		{
			name:   "a hostile author name stays text",
			source: at("evil.example", "/x"),
			page: `<div class="h-entry"><a class="u-in-reply-to" href="https://blog.example/2026/11/hello">re</a>
  <span class="p-author h-card"><span class="p-name">&lt;script&gt;alert(1)&lt;/script&gt;</span><a class="u-url" href="javascript:alert(1)">x</a>
  <img class="u-photo" src="data:image/png;base64,AAAA"></span><div class="e-content">hi</div></div>`,
			want: Entry{Type: Reply, Found: true, AuthorName: "<script>alert(1)</script>", Content: "hi"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Find([]byte(tt.page), tt.source, target)
			if !got.Published.Equal(tt.want.Published) {
				t.Errorf("published = %v, want %v", got.Published, tt.want.Published)
			}
			got.Published, tt.want.Published = time.Time{}, time.Time{}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseItems(t *testing.T) {
	doc := Parse([]byte(`<div class="h-entry" id="e1"><h1 class="p-name">Title</h1>
<div class="e-content"><p>Body <a href="/x">link</a></p></div>
<div class="h-cite"><a class="u-url" href="/cited">cited</a></div>
<abbr class="p-category" title="go">Golang</abbr></div>
<a class="h-card" href="/me">Me</a>`), at("x.example", "/a/b"))
	if len(doc.Items) != 2 {
		t.Fatalf("items = %d", len(doc.Items))
	}
	e := doc.Items[0]
	if e.ID != "e1" || !e.Has("h-entry") {
		t.Errorf("entry: %+v", e)
	}
	if v, _ := e.First("name"); v.Text != "Title" {
		t.Errorf("name = %q", v.Text)
	}
	if v, _ := e.First("content"); v.HTML != `<p>Body <a href="/x">link</a></p>` || v.Text != "Body link" {
		t.Errorf("content = %+v", v)
	}
	if v, _ := e.First("category"); v.Text != "go" {
		t.Errorf("category = %q", v.Text)
	}
	if len(e.Children) != 1 || e.Children[0].Properties["url"][0].Text != "https://x.example/cited" {
		t.Errorf("children: %+v", e.Children)
	}
	card := doc.Items[1]
	if n, _ := card.First("name"); n.Text != "Me" {
		t.Errorf("implied name %q", n.Text)
	}
	if u, _ := card.First("url"); u.Text != "https://x.example/me" {
		t.Errorf("implied url %q", u.Text)
	}
}

func TestFindBoundsOutput(t *testing.T) {
	long := strings.Repeat("word ", 5000)
	page := `<div class="h-entry"><span class="p-author h-card"><span class="p-name">` + long + `</span>
<a class="u-url" href="https://x.example/` + strings.Repeat("a", 3000) + `">u</a></span>
<div class="e-content">` + long + long + long + `</div></div>`
	got := Find([]byte(page), at("x.example", "/p"), target)
	if n := utf8.RuneCountInString(got.AuthorName); n > MaxName {
		t.Errorf("author name %d characters", n)
	}
	if n := utf8.RuneCountInString(got.Content); n > MaxContent || n < MaxContent-10 {
		t.Errorf("content %d characters", n)
	}
	if got.AuthorURL != "" {
		t.Errorf("an over-long author url was kept: %d bytes", len(got.AuthorURL))
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]time.Time{
		"2026-11-30T10:11:12Z":      time.Date(2026, 11, 30, 10, 11, 12, 0, time.UTC),
		"2026-11-30 10:11:12-0500":  time.Date(2026, 11, 30, 15, 11, 12, 0, time.UTC),
		"2026-11-30T10:11":          time.Date(2026, 11, 30, 10, 11, 0, 0, time.UTC),
		"2026-11-30":                time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
		"yesterday":                 {},
		"2026-11-30T10:11:12+25:00": {},
	} {
		if got := ParseDate(in); !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, want %v", in, got, want)
		}
	}
}
