package models

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"
	"time"
)

// MaxAppPasswordNameLen bounds the label a writer gives an application password.
const MaxAppPasswordNameLen = 100

// appTokenLen is the length of a normalised application password: 20 random
// bytes (160 bits) in lower-case base32.
const appTokenLen = 32

var appTokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// AppPassword lets a remote client (a blog editor, a script) log in over
// XML-RPC as its user without knowing the account password. Only a hash of
// the token is kept; the token is shown once, when it is made. The web login
// never accepts it.
type AppPassword struct {
	ID         int64
	UserID     int64
	Name       string
	Hash       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// NewAppPassword makes an application password for a user and returns it
// with its token, grouped in fours for reading ("abcd efgh …"); spaces and
// case do not matter when it is typed back.
func NewAppPassword(userID int64, name string) (*AppPassword, string, error) {
	name = strings.Join(strings.Fields(name), " ")
	var ve ValidationError
	switch {
	case name == "":
		ve.Add("name", "Name the application, for example “MarsEdit on my laptop”.")
	case len([]rune(name)) > MaxAppPasswordNameLen:
		ve.Add("name", "Use at most 100 characters.")
	}
	if err := ve.OrNil(); err != nil {
		return nil, "", err
	}
	b := make([]byte, 20)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	token := strings.ToLower(appTokenEncoding.EncodeToString(b))
	var grouped strings.Builder
	for i := 0; i < len(token); i += 4 {
		if i > 0 {
			grouped.WriteByte(' ')
		}
		grouped.WriteString(token[i : i+4])
	}
	return &AppPassword{UserID: userID, Name: name, Hash: hashAppToken(token)}, grouped.String(), nil
}

// normalizeAppToken removes spaces and case from a typed token; ok is false
// when the result cannot be an application password at all.
func normalizeAppToken(s string) (string, bool) {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	if len(s) != appTokenLen {
		return "", false
	}
	if _, err := appTokenEncoding.DecodeString(strings.ToUpper(s)); err != nil {
		return "", false
	}
	return s, true
}

func hashAppToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
