package models

import (
	"golang.org/x/crypto/bcrypt"
)

// bcryptCost is bcrypt's work factor: about 50 ms per check on a small server.
const bcryptCost = 11

// HashPassword hashes a password for storage.
func HashPassword(password string) (string, error) {
	if err := ValidatePassword(password); err != nil {
		return "", &ValidationError{Fields: map[string]string{"password": err.Error()}}
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	return string(h), err
}

// dummyHash is compared against when no account matches, so a failed login
// takes as long whether or not the name exists.
const dummyHash = "$2a$11$l8/fdNrsEiDMmbPFjjrKbuQUG88XOzdkUWvWVy9QCN23uBNtNkBAi"

// CheckPassword reports whether password matches hash; with a nil user it
// still spends the same time.
func CheckPassword(u *User, password string) bool {
	hash := dummyHash
	if u != nil {
		hash = u.PasswordHash
	}
	ok := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
	return ok && u != nil
}
