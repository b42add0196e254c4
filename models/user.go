package models

import (
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// User is someone who can log in to the admin. Only the bcrypt hash of the
// password is kept.
type User struct {
	ID           int64
	Name         string
	Email        string
	PasswordHash string
	// Role is what the user may do (see Role); DisplayName is the byline
	// (the login name when empty); Bio is shown on author pages.
	Role        Role
	DisplayName string
	Bio         string
	// SessionGeneration invalidates every older login session when bumped.
	SessionGeneration int
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Role is a user's part in the blog, with WordPress's meanings.
type Role string

// Roles, most powerful first.
const (
	// RoleAdministrator manages settings and users, and does all an editor does.
	RoleAdministrator Role = "administrator"
	// RoleEditor publishes, edits any post and moderates.
	RoleEditor Role = "editor"
	// RoleAuthor publishes and edits their own posts.
	RoleAuthor Role = "author"
	// RoleContributor writes drafts and submits them for review.
	RoleContributor Role = "contributor"
)

// Byline is the name shown for the user on pages.
func (u *User) Byline() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Name
}

// ValidateNewUser checks the fields of an account about to be created.
func ValidateNewUser(name, email, password string) error {
	var ve ValidationError
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		ve.Add("name", "A user name is required.")
	case len(name) > 64 || strings.ContainsAny(name, " \t\r\n"):
		ve.Add("name", "Use at most 64 characters and no spaces.")
	}
	if _, err := mail.ParseAddress(email); err != nil || len(email) > MaxEmailLen {
		ve.Add("email", "That does not look like an email address.")
	}
	if err := ValidatePassword(password); err != nil {
		ve.Add("password", err.Error())
	}
	return ve.OrNil()
}

// ValidatePassword checks a new password's length.
func ValidatePassword(password string) error {
	if len([]rune(password)) < MinPasswordLen {
		return &passwordError{}
	}
	if len(password) > 72 { // bcrypt reads only the first 72 bytes
		return &passwordError{tooLong: true}
	}
	return nil
}

type passwordError struct{ tooLong bool }

func (e *passwordError) Error() string {
	if e.tooLong {
		return "Use at most 72 bytes."
	}
	return "Use at least 10 characters."
}

// IsWebURL reports whether s is an absolute http or https URL with a host.
func IsWebURL(s string) bool {
	if len(s) > MaxURLLen {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// IsEmail reports whether s is one plain email address.
func IsEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= MaxEmailLen
}
