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
	// SessionGeneration invalidates every older login session when bumped.
	SessionGeneration int
	CreatedAt         time.Time
	UpdatedAt         time.Time
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
