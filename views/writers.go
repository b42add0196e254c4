package views

import "github.com/crosstalk/crosstalk/models"

// UsersPage is the Users screen: every account and the form to add one.
type UsersPage struct {
	Layout
	Users []models.User
	Roles []models.Role
	// Form and Errors hold a refused new user.
	Form   models.User
	Errors map[string]string
}

// UserPage edits one account (role, names) and deletes it, giving its
// posts to another user.
type UserPage struct {
	Layout
	Form  models.User
	Roles []models.Role
	// Others are the users the posts may go to when Form's user is deleted.
	Others []models.User
	Errors map[string]string
	// ResetLink is a one-time password reset link just made.
	ResetLink string
	// AppPasswords are the user's, which an administrator may revoke.
	AppPasswords []models.AppPassword
}

// ProfilePage is where each user edits their own name, email, bio and password.
type ProfilePage struct {
	Layout
	Form           models.User
	Errors         map[string]string
	PasswordErrors map[string]string
}

// RevisionsPage lists a post's revisions and shows one against the post.
type RevisionsPage struct {
	Layout
	Post      *models.Post
	Revisions []models.Revision
	// Shown is the revision compared with the post now; nil for none.
	Shown *models.Revision
	Diff  []DiffLine
	// TitleChanged says the shown revision's title differs.
	TitleChanged bool
}

// DiffLine is one line of a line diff: Op is "+" (only in the post now),
// "-" (only in the revision) or " " (in both).
type DiffLine struct {
	Op   string
	Text string
}

// PasswordResetPage is "Lost your password?" and the form a reset link opens.
type PasswordResetPage struct {
	Layout
	// Step is "lost" (ask for the account), "sent" (the same answer whether
	// or not it exists), "reset" (choose a new password) or "invalid".
	Step   string
	Token  string
	Login  string
	Errors map[string]string
	// CanEmail says whether the blog can send mail; without it the page
	// says to ask an administrator.
	CanEmail bool
}
