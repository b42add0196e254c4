package wpimport

import (
	"errors"
	"net/url"
	"strings"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/wxr"
)

// unusablePassword is a password hash no password matches: imported authors
// get their byline and their posts, and log in after a reset.
const unusablePassword = "!imported"

// importUsers matches the file's authors to accounts by login and creates
// the others, unable to log in until given a password.
func (im *importer) importUsers() error {
	authors := im.doc.Channel.Authors
	seen := map[string]bool{}
	for _, a := range authors {
		seen[a.Login] = true
	}
	for _, it := range im.doc.Items { // creators the head does not list
		if it.Creator != "" && !seen[it.Creator] {
			seen[it.Creator] = true
			authors = append(authors, wxr.Author{Login: it.Creator})
		}
	}
	for _, a := range authors {
		if a.Login == "" {
			continue
		}
		id, err := im.user(a)
		if err != nil {
			return err
		}
		im.users[a.Login] = id
		if im.defaultUID == 0 {
			im.defaultUID = id
		}
	}
	if im.defaultUID == 0 {
		id, err := im.user(wxr.Author{Login: "wordpress", DisplayName: "WordPress"})
		if err != nil {
			return err
		}
		im.defaultUID = id
	}
	return nil
}

func (im *importer) user(a wxr.Author) (int64, error) {
	if id, ok := im.tx.Known("user", a.Login); ok {
		return id, nil
	}
	name := strings.Join(strings.Fields(a.Login), "-")
	if len(name) > 64 {
		name = name[:64]
	}
	u, err := im.tx.UserByName(name)
	if err == nil {
		return u.ID, im.tx.Remember("user", a.Login, "", u.ID)
	}
	if !errors.Is(err, models.ErrNotFound) {
		return 0, err
	}
	display := wxr.Unescape(a.DisplayName)
	if display == "" {
		display = strings.TrimSpace(wxr.Unescape(a.FirstName + " " + a.LastName))
	}
	nu := &models.User{Name: name, Email: a.Email, PasswordHash: unusablePassword, Role: models.RoleAuthor,
		DisplayName: display, CreatedAt: im.now, UpdatedAt: im.now}
	if err := im.tx.CreateUser(nu); err != nil {
		return 0, err
	}
	im.sum.Users++
	return nu.ID, im.tx.Remember("user", a.Login, "", nu.ID)
}

// slug makes a WordPress slug (percent-encoded when not ASCII) one of ours:
// other scripts are kept, Latin accents folded as every Crosstalk slug is.
func slug(wpSlug, fallback string) string {
	if s, err := url.PathUnescape(wpSlug); err == nil {
		wpSlug = s
	}
	if s := models.Slugify(wpSlug); s != "" {
		return s
	}
	return models.Slugify(fallback)
}

type term struct{ name, slug, parent, description string }

// importTerms stores the categories (parents first) and tags of the head,
// where WordPress lists each category twice (wp:category and wp:term).
func (im *importer) importTerms() error {
	var cats, tags []term
	for _, c := range im.doc.Channel.Categories {
		cats = append(cats, term{c.Name, c.Nicename, c.Parent, c.Description})
	}
	for _, t := range im.doc.Channel.Tags {
		tags = append(tags, term{t.Name, t.Slug, "", t.Description})
	}
	for _, t := range im.doc.Channel.Terms {
		switch t.Taxonomy {
		case "category":
			cats = append(cats, term{t.Name, t.Slug, t.Parent, t.Description})
		case "post_tag":
			tags = append(tags, term{t.Name, t.Slug, "", t.Description})
		}
	}
	byslug := map[string]term{}
	for _, c := range cats {
		if _, ok := byslug[c.slug]; !ok && c.slug != "" {
			byslug[c.slug] = c
		}
	}
	for _, c := range cats {
		if _, err := im.category(c.slug, byslug, 0); err != nil {
			return err
		}
	}
	for _, t := range tags {
		if _, err := im.tag(t.name, t.slug); err != nil {
			return err
		}
	}
	return nil
}

// category returns the local id of the category with WordPress slug
// wpSlug, storing it and its parents first.
func (im *importer) category(wpSlug string, byslug map[string]term, depth int) (int64, error) {
	if id, ok := im.categories[wpSlug]; ok {
		return id, nil
	}
	t, ok := byslug[wpSlug]
	if !ok {
		t = term{name: wpSlug, slug: wpSlug}
	}
	var parent *int64
	if t.parent != "" && t.parent != wpSlug && depth < 20 {
		pid, err := im.category(t.parent, byslug, depth+1)
		if err != nil {
			return 0, err
		}
		parent = &pid
	}
	name := wxr.Unescape(t.name)
	if strings.TrimSpace(name) == "" {
		name = wpSlug
	}
	s := slug(wpSlug, name)
	if s == "" {
		s = "category"
	}
	_, existed := im.tx.Known("category", s)
	c, err := im.tx.Category(name, s, wxr.Unescape(t.description), parent)
	if err != nil {
		return 0, err
	}
	if !existed {
		if err := im.tx.Remember("category", s, "", c.ID); err != nil {
			return 0, err
		}
		im.sum.Categories++
	}
	im.categories[wpSlug] = c.ID
	return c.ID, nil
}

func (im *importer) tag(name, wpSlug string) (int64, error) {
	if id, ok := im.tags[wpSlug]; ok {
		return id, nil
	}
	name = wxr.Unescape(name)
	s := slug(wpSlug, name)
	if s == "" {
		return 0, nil
	}
	if strings.TrimSpace(name) == "" {
		name = s
	}
	_, existed := im.tx.Known("tag", s)
	id, err := im.tx.TagID(name, s)
	if err != nil {
		return 0, err
	}
	if !existed {
		if err := im.tx.Remember("tag", s, "", id); err != nil {
			return 0, err
		}
		im.sum.Tags++
	}
	im.tags[wpSlug] = id
	return id, nil
}
