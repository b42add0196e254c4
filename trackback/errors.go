package trackback

import (
	"errors"
	"strings"
)

// Errors returned by ParsePing and ParsePingBody. Their Error text is a
// plain, human-readable sentence that may be sent back to the pinging site;
// see ErrorMessage.
var (
	// ErrMissingURL means the ping had no url field, or an empty one.
	ErrMissingURL = errors.New("No URL was given")
	// ErrInvalidURL means the url field is not an absolute http or https
	// URL with a host and without user information, or is over 2048 bytes.
	ErrInvalidURL = errors.New("The URL is not a valid http or https URL")
	// ErrUnsupportedCharset means the declared character set is unknown or
	// refused (UTF-7).
	ErrUnsupportedCharset = errors.New("The character set is not supported")
	// ErrUndecodable means the fields are not valid text in the declared
	// character set.
	ErrUndecodable = errors.New("The text is not valid in the declared character set")
	// ErrTooLarge means the request body is over MaxPingBody bytes.
	ErrTooLarge = errors.New("The TrackBack ping is too large")
)

// ErrNoEndpoint is returned by Discover when a page advertises no
// Webmention, TrackBack or Pingback endpoint.
var ErrNoEndpoint = errors.New("trackback: no linkback endpoint found")

// genericMessage is what ErrorMessage says about any other error.
const genericMessage = "The TrackBack ping could not be read"

// ErrorMessage returns a message about err that is safe to send to the
// pinging site with WriteError. For the ping errors of this package it is
// the error's own text (for ErrUnsupportedCharset followed by the sanitised
// name of the charset); for anything else, such as an I/O error while
// reading the body, it is a generic sentence that reveals nothing about the
// server.
func ErrorMessage(err error) string {
	switch {
	case errors.Is(err, ErrUnsupportedCharset):
		if strings.HasPrefix(err.Error(), ErrUnsupportedCharset.Error()) {
			return err.Error()
		}
		return ErrUnsupportedCharset.Error()
	case errors.Is(err, ErrMissingURL):
		return ErrMissingURL.Error()
	case errors.Is(err, ErrInvalidURL):
		return ErrInvalidURL.Error()
	case errors.Is(err, ErrUndecodable):
		return ErrUndecodable.Error()
	case errors.Is(err, ErrTooLarge):
		return ErrTooLarge.Error()
	}
	return genericMessage
}
