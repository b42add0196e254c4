package models

import "context"

// Capability is one thing a role may do, named after WordPress's
// capabilities. Roles and their capabilities are decided here only: the
// admin routes, the editor, the Users screen and XML-RPC all ask Can.
type Capability string

// Capabilities, from the least to the most powerful.
const (
	// CapEditPosts: write posts of one's own and submit them for review.
	CapEditPosts Capability = "edit_posts"
	// CapPublishPosts: publish, schedule and edit one's own published posts.
	CapPublishPosts Capability = "publish_posts"
	// CapUploadFiles: add to the media library.
	CapUploadFiles Capability = "upload_files"
	// CapEditOthersPosts: edit, publish and delete anyone's posts, and pages.
	CapEditOthersPosts Capability = "edit_others_posts"
	// CapModerate: moderate comments and linkbacks, delete media.
	CapModerate Capability = "moderate_comments"
	// CapManageOptions: change the blog's settings and block list.
	CapManageOptions Capability = "manage_options"
	// CapManageUsers: add, change and delete users, and their app passwords.
	CapManageUsers Capability = "manage_users"
)

// roleCaps is the capability table, WordPress's meanings: a contributor
// writes drafts for review; an author also publishes their own and uploads;
// an editor handles everyone's posts, pages and the moderation queue; an
// administrator also manages settings and users.
var roleCaps = map[Role][]Capability{
	RoleContributor:   {CapEditPosts},
	RoleAuthor:        {CapEditPosts, CapPublishPosts, CapUploadFiles},
	RoleEditor:        {CapEditPosts, CapPublishPosts, CapUploadFiles, CapEditOthersPosts, CapModerate},
	RoleAdministrator: {CapEditPosts, CapPublishPosts, CapUploadFiles, CapEditOthersPosts, CapModerate, CapManageOptions, CapManageUsers},
}

// Roles lists the roles, most powerful first, as the Users screen offers them.
func Roles() []Role {
	return []Role{RoleAdministrator, RoleEditor, RoleAuthor, RoleContributor}
}

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	_, ok := roleCaps[r]
	return ok
}

// Can reports whether the role has capability c; an unknown role has none.
func (r Role) Can(c Capability) bool {
	for _, have := range roleCaps[r] {
		if have == c {
			return true
		}
	}
	return false
}

// Can reports whether the user may do c; nobody (nil) may do nothing.
func (u *User) Can(c Capability) bool { return u != nil && u.Role.Can(c) }

// CanEditPost reports whether u may open and save p: their own post
// (a contributor only until it is published, as in WordPress), or any post
// and any page with CapEditOthersPosts.
func (u *User) CanEditPost(p *Post) bool {
	switch {
	case u.Can(CapEditOthersPosts):
		return true
	case p.Kind == KindPage || p.AuthorID != u.ID || !u.Can(CapEditPosts):
		return false
	case u.Can(CapPublishPosts):
		return true
	default:
		return !wasPublished(p)
	}
}

// CanDeletePost reports whether u may move p to the trash, restore it or
// delete it for good: the same people who may edit it.
func (u *User) CanDeletePost(p *Post) bool { return u.CanEditPost(p) }

// MaySetStatus reports whether u may give a post the status s: publishing,
// scheduling and private posts need CapPublishPosts.
func (u *User) MaySetStatus(s PostStatus) bool {
	switch s {
	case StatusPublished, StatusScheduled, StatusPrivate:
		return u.Can(CapPublishPosts)
	default:
		return u.Can(CapEditPosts)
	}
}

// wasPublished reports whether readers have (or were promised) the post.
func wasPublished(p *Post) bool {
	s := p.Status
	if s == StatusTrash {
		s = p.StatusBeforeTrash
	}
	return s == StatusPublished || s == StatusScheduled || s == StatusPrivate
}

type editorKey struct{}

// WithEditor names the user saving a post, so the revision the store keeps
// is theirs (the post service sets it).
func WithEditor(ctx context.Context, userID int64) context.Context {
	return context.WithValue(ctx, editorKey{}, userID)
}

// editorOf is the user WithEditor named, or 0.
func editorOf(ctx context.Context) int64 {
	id, _ := ctx.Value(editorKey{}).(int64)
	return id
}

type autosaveKey struct{}

// AsAutosave marks a save as an autosave, which keeps no revision.
func AsAutosave(ctx context.Context) context.Context {
	return context.WithValue(ctx, autosaveKey{}, true)
}

func isAutosave(ctx context.Context) bool {
	b, _ := ctx.Value(autosaveKey{}).(bool)
	return b
}
