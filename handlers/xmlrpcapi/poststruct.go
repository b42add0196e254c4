package xmlrpcapi

import (
	"strings"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/posts"
)

// pingURLList is the post's TrackBack URLs as mt_tb_ping_urls: an array, empty rather than nil.
func pingURLList(p *models.Post) []string {
	list := strings.Fields(p.PingURLs)
	if list == nil {
		list = []string{}
	}
	return list
}

// wpPostStatus names a status as WordPress does.
func wpPostStatus(s models.PostStatus) string {
	switch s {
	case models.StatusPublished:
		return "publish"
	case models.StatusScheduled:
		return "future"
	}
	return string(s) // draft, pending, private, trash
}

func flagInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// postStruct is a post as MetaWeblog's getPost answers it, with the Movable
// Type and WordPress members clients read.
func (a *API) postStruct(p *models.Post) map[string]any {
	date := p.CreatedAt
	if p.PublishedAt != nil {
		date = *p.PublishedAt
	}
	intro, more := splitMore(p.Body)
	tags := posts.TagNames(p.Tags)
	link := a.BaseURL + p.Path()
	return map[string]any{
		"postid": idString(p.ID), "userid": idString(p.AuthorID), "wp_author_id": idString(p.AuthorID),
		"title": p.Title, "description": intro, "mt_text_more": more, "mt_excerpt": p.Excerpt,
		"link": link, "permaLink": link, "wp_slug": p.Slug, "post_type": string(p.Kind),
		"categories": categoryNames(p), "mt_keywords": strings.Join(tags, ", "),
		"mt_allow_comments": flagInt(p.AllowComments), "mt_allow_pings": flagInt(p.AllowPings),
		"mt_tb_ping_urls": pingURLList(p), "post_status": wpPostStatus(p.Status),
		"dateCreated": date, "date_created_gmt": date, "date_modified": p.UpdatedAt, "date_modified_gmt": p.UpdatedAt,
		"wp_password": "", "wp_post_format": "standard", "sticky": false, "custom_fields": []any{},
	}
}

func clipText(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
