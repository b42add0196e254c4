package views

import "github.com/crosstalk/crosstalk/models"

// FollowersPage lists the blog's fediverse followers.
type FollowersPage struct {
	Layout
	Items []models.Follower
	// Handle is the blog's fediverse address, @name@host.
	Handle string
}
