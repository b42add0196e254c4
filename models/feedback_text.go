package models

import (
	"html"
	"regexp"
	"strings"

	"github.com/crosstalk/crosstalk/trackback/text"
)

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

// bareURL finds web addresses in plain text: http or https only, so no
// other scheme (javascript:, data:) ever becomes a link.
var bareURL = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"']+`)

// ContentHTML is the one place a comment's text becomes HTML, as WordPress
// shows comments: blank lines separate paragraphs, single line breaks stay
// (<br>), bare http(s) addresses become links with rel="nofollow ugc", and
// everything else is escaped — a reader's markup shows as typed.
func (f *Feedback) ContentHTML() string {
	var b strings.Builder
	for p := range strings.SplitSeq(strings.ReplaceAll(f.Content, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(p, "\n") {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			writeLinked(&b, line)
		}
		b.WriteString("</p>")
	}
	return b.String()
}

// writeLinked writes one line escaped, with its bare addresses linked.
func writeLinked(b *strings.Builder, line string) {
	last := 0
	for _, m := range bareURL.FindAllStringIndex(line, -1) {
		start, end := m[0], trimURLEnd(line[m[0]:m[1]])+m[0]
		u := line[start:end]
		if !IsWebURL(u) { // "https://" and nothing after it
			continue
		}
		b.WriteString(html.EscapeString(line[last:start]))
		b.WriteString(`<a href="` + html.EscapeString(u) + `" rel="nofollow ugc">` + html.EscapeString(u) + `</a>`)
		last = end
	}
	b.WriteString(html.EscapeString(line[last:]))
}

// trimURLEnd leaves out the punctuation that ends a sentence rather than
// the address ("see https://a.example/x." or "(https://a.example/)"); a
// closing parenthesis stays when the address opened one (Wikipedia links).
func trimURLEnd(u string) int {
	end := len(u)
	for end > 0 {
		c := u[end-1]
		switch {
		case strings.IndexByte(".,;:!?*", c) >= 0:
			end--
		case c == ')' && strings.Count(u[:end], "(") < strings.Count(u[:end], ")"):
			end--
		default:
			return end
		}
	}
	return end
}
