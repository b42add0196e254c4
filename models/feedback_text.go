package models

import "github.com/crosstalk/crosstalk/trackback/text"

// Normalize makes the text a stranger gave for f fit to store, whatever its
// source (comment form, TrackBack, Pingback, Webmention, an edit): valid
// UTF-8 without control characters (newlines and tabs stay in the content),
// bidirectional controls or a byte-order mark; the one-line fields (name,
// email, addresses, title, user agent) have their white space collapsed.
// It is idempotent, so every writer may call it before storing.
func (f *Feedback) Normalize() {
	for _, s := range []*string{&f.AuthorName, &f.AuthorEmail, &f.SourceURL, &f.TargetURL, &f.Title, &f.UserAgent} {
		*s = text.CleanLine(*s)
	}
	f.Content = text.Clean(f.Content)
}
