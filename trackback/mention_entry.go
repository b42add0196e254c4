package trackback

import (
	"context"
	"net/http"

	"github.com/crosstalk/crosstalk/trackback/mf2"
)

// SourcePage is what MentionEntry read in a Webmention's source.
type SourcePage struct {
	// Title and Excerpt are Mention's.
	Title, Excerpt string
	// Entry is the page's h-entry addressed to the target (microformats2):
	// author, content, date and response type.
	Entry mf2.Entry
}

// MentionEntry is Mention that also parses the page's microformats: with
// one fetch it checks the link and returns the title, the excerpt and the
// h-entry (relative URLs resolved against the page's final address). Its
// errors are Mention's.
func MentionEntry(ctx context.Context, client *http.Client, source, target string) (SourcePage, error) {
	body, base, err := fetchSource(ctx, client, source)
	if err != nil {
		return SourcePage{}, err
	}
	title, excerpt, ok := MentionIn(body, base, target)
	if !ok {
		return SourcePage{}, ErrNoLinkBack
	}
	return SourcePage{Title: title, Excerpt: excerpt, Entry: mf2.Find(body, base, target)}, nil
}
