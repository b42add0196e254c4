package xmlrpcapi

import (
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/posts"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// moreMarker separates a post's introduction (MetaWeblog's description)
// from the rest (mt_text_more) in the stored body. The sanitiser drops HTML
// comments, so readers see the whole text.
const moreMarker = "<!--more-->"

// postEdit is what a MetaWeblog content struct asks to change. Clients send
// HTML in description; it is stored as the Markdown body, which passes HTML
// through and is sanitised on rendering like anything written in the editor.
type postEdit struct {
	tags    []string
	setTags bool // mt_keywords was sent
	// categories are the names sent in categories, when setCategories.
	categories    []string
	setCategories bool
}

// applyPostStruct copies a MetaWeblog / Movable Type / WordPress content
// struct onto post. Members left out keep the post's values (a new post's
// defaults). publish is the call's publish flag, used when post_status is
// absent. As in WordPress, categories names categories and mt_keywords
// tags.
func applyPostStruct(post *models.Post, st xmlrpc.Struct, publish bool, now time.Time) (postEdit, error) {
	var e postEdit
	if err := applyPostType(post, st); err != nil {
		return e, err
	}
	if st.Has("title") {
		title, err := st.String("title")
		if err != nil {
			return e, err
		}
		post.Title = strings.TrimSpace(title)
	}
	if err := applyBody(post, st); err != nil {
		return e, err
	}
	if st.Has("mt_excerpt") {
		excerpt, err := st.String("mt_excerpt")
		if err != nil {
			return e, err
		}
		post.Excerpt = strings.TrimSpace(excerpt)
	}
	var err error
	if e.tags, e.setTags, err = tagsOf(st); err != nil {
		return e, err
	}
	if e.categories, e.setCategories, err = categoriesOf(st); err != nil {
		return e, err
	}
	if err := applyFlags(post, st); err != nil {
		return e, err
	}
	if err := applyPingURLs(post, st); err != nil {
		return e, err
	}
	if st.Has("wp_slug") {
		slug, err := st.String("wp_slug")
		if err != nil {
			return e, err
		}
		if slug = models.Slugify(slug); slug != "" {
			post.Slug = slug
		}
	}
	if post.Slug == "" {
		post.Slug = models.Slugify(post.Title)
	}
	return e, applyStatus(post, st, publish, now)
}

// applyPostType lets WordPress clients make pages (post_type "page").
func applyPostType(post *models.Post, st xmlrpc.Struct) error {
	typ, err := st.String("post_type")
	if err != nil {
		return err
	}
	switch typ {
	case "":
	case string(models.KindPost), string(models.KindPage):
		if post.ID == 0 {
			post.Kind = models.PostKind(typ)
		}
	default:
		return notAllowed("Invalid post type.")
	}
	return nil
}

func applyBody(post *models.Post, st xmlrpc.Struct) error {
	if !st.Has("description") && !st.Has("mt_text_more") {
		return nil
	}
	intro, more := splitMore(post.Body)
	var err error
	if st.Has("description") {
		if intro, err = st.String("description"); err != nil {
			return err
		}
	}
	if st.Has("mt_text_more") {
		if more, err = st.String("mt_text_more"); err != nil {
			return err
		}
	}
	post.Body = joinMore(intro, more)
	return nil
}

func splitMore(body string) (intro, more string) {
	intro, more, ok := strings.Cut(body, moreMarker)
	if !ok {
		return body, ""
	}
	return strings.TrimRight(intro, "\r\n"), strings.TrimLeft(more, "\r\n")
}

func joinMore(intro, more string) string {
	if strings.TrimSpace(more) == "" {
		return intro
	}
	return intro + "\n\n" + moreMarker + "\n\n" + more
}

// tagsOf reads mt_keywords (a comma separated string) as tags.
func tagsOf(st xmlrpc.Struct) ([]string, bool, error) {
	if !st.Has("mt_keywords") {
		return nil, false, nil
	}
	keywords, err := st.String("mt_keywords")
	if err != nil {
		return nil, false, err
	}
	return models.UniqueTags(models.ParseTags(keywords)), true, nil
}

func applyFlags(post *models.Post, st xmlrpc.Struct) error {
	for key, dst := range map[string]*bool{"mt_allow_comments": &post.AllowComments, "mt_allow_pings": &post.AllowPings} {
		if !st.Has(key) {
			continue
		}
		open, ok := openFlag(st[key])
		if !ok {
			return &xmlrpc.Fault{Code: xmlrpc.CodeInvalidParams, Message: "invalid params: " + key + ": expected 0, 1, 2, open or closed"}
		}
		*dst = open
	}
	return nil
}

// openFlag reads mt_allow_comments and mt_allow_pings as clients send them:
// Movable Type's ints (0 none, 1 open, 2 closed), booleans, or WordPress's
// "open" and "closed".
func openFlag(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case int:
		return x == 1, x >= 0 && x <= 2
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "1", "open", "true":
			return true, true
		case "", "0", "2", "closed", "false":
			return false, true
		}
	}
	return false, false
}

// applyPingURLs stores mt_tb_ping_urls, the TrackBack URLs to ping when the
// post is published, as Movable Type does. Entries may also hold several
// URLs separated by spaces or line breaks.
func applyPingURLs(post *models.Post, st xmlrpc.Struct) error {
	if !st.Has("mt_tb_ping_urls") {
		return nil
	}
	raw, err := st.Strings("mt_tb_ping_urls")
	if err != nil {
		return err
	}
	var urls []string
	for _, entry := range raw {
		for _, u := range strings.Fields(entry) {
			if !models.IsWebURL(u) {
				return &xmlrpc.Fault{Code: FaultInvalid, Message: "mt_tb_ping_urls: " + clipText(u, 100) + " is not an http or https URL."}
			}
			urls = append(urls, u)
		}
	}
	post.PingURLs = strings.Join(urls, "\n")
	return nil
}

// applyStatus decides status and date. date_created_gmt wins over
// dateCreated; both are UTC when they carry no zone. A date in the future
// with publish schedules the post.
func applyStatus(post *models.Post, st xmlrpc.Struct, publish bool, now time.Time) error {
	var at *time.Time
	for _, key := range []string{"date_created_gmt", "dateCreated"} {
		if !st.Has(key) {
			continue
		}
		t, err := st.Time(key)
		if err != nil {
			return err
		}
		if t.Year() <= 1 { // clients send 00000101T00:00:00 for "no date"
			continue
		}
		at = &t
		break
	}
	raw, err := st.String("post_status")
	if err != nil {
		return err
	}
	status := models.StatusDraft
	switch raw {
	case "":
		if publish {
			status = models.StatusPublished
		}
	case "publish":
		status = models.StatusPublished
	case "future":
		status = models.StatusScheduled
	case "draft":
		status = models.StatusDraft
	case "pending":
		status = models.StatusPending
	case "private":
		status = models.StatusPrivate
	default:
		return notAllowed("Invalid post status.")
	}
	if status == models.StatusScheduled && at == nil {
		return &xmlrpc.Fault{Code: FaultInvalid, Message: "A scheduled post needs dateCreated."}
	}
	posts.Schedule(post, status, at, now)
	return nil
}
