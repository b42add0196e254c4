package trackback

import "strings"

// RDFBlock returns the TrackBack autodiscovery block for a post, as the
// TrackBack specification shows it, wrapped in an HTML comment so that
// validators do not see it:
//
//	<!--
//	<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
//	         xmlns:dc="http://purl.org/dc/elements/1.1/"
//	         xmlns:trackback="http://madskills.com/public/xml/rss/module/trackback/">
//	<rdf:Description
//	    rdf:about="PERMALINK"
//	    dc:identifier="PERMALINK"
//	    dc:title="TITLE"
//	    trackback:ping="PING URL" />
//	</rdf:RDF>
//	-->
//
// Values are XML-escaped. Nothing in them can end or corrupt the comment:
// runs of "-" in the title become one "-" (as Movable Type does), and in
// the URLs every "-" that follows another is written as "&#45;", which
// FindRDFPingURL and other entity-aware readers decode back. The result
// is plain markup for a template (mark it safe there); it has no trailing
// newline.
func RDFBlock(permalink, title, pingURL string) string {
	about := commentSafe(xmlEscape(permalink))
	return "<!--\n" +
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"` + "\n" +
		`         xmlns:dc="http://purl.org/dc/elements/1.1/"` + "\n" +
		`         xmlns:trackback="http://madskills.com/public/xml/rss/module/trackback/">` + "\n" +
		"<rdf:Description\n" +
		`    rdf:about="` + about + "\"\n" +
		`    dc:identifier="` + about + "\"\n" +
		`    dc:title="` + commentSafe(xmlEscape(collapseHyphens(title))) + "\"\n" +
		`    trackback:ping="` + commentSafe(xmlEscape(pingURL)) + "\" />\n" +
		"</rdf:RDF>\n" +
		"-->"
}

// collapseHyphens replaces every run of "-" with a single "-".
func collapseHyphens(s string) string {
	if !strings.Contains(s, "--") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '-' && i > 0 && s[i-1] == '-' {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// commentSafe rewrites an escaped value so that it never contains "--":
// a "-" right after another "-" becomes the character reference "&#45;".
func commentSafe(s string) string {
	if !strings.Contains(s, "--") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		if s[i] == '-' && i > 0 && s[i-1] == '-' {
			b.WriteString("&#45;")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
