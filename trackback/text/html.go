package text

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Link is a link element WalkHTML found: an <a>, <area> or <link> start tag
// with an href attribute.
type Link struct {
	Tag  atom.Atom // atom.A, atom.Area or atom.Link
	Href string    // the first href attribute, entities decoded, not resolved
	Rel  string    // the first rel attribute ("" when there is none)
	// Opens is true for an <a> start tag: the link's text follows, up to
	// the </a> reported to Visitor.EndLink.
	Opens bool
}

// Visitor receives what WalkHTML finds, in document order. Every field may
// be nil; WalkHTML does only the work the set fields need.
type Visitor struct {
	// Want, when set, sees the raw text of each <a>, <area> and <link>
	// start tag before its attributes are read; false skips the tag.
	Want func(raw []byte) bool
	// Link receives each link element; returning false ends the walk.
	Link func(Link) bool
	// EndLink is called at every </a>.
	EndLink func()
	// Text receives the visible text, entities decoded: text outside
	// <script>, <style>, <noscript>, <template> and <title>.
	Text func([]byte)
	// Break is called at each start and end tag that separates words
	// (see BreaksWords), so that Text can put a space there.
	Break func()
	// Title receives the text of the document's first non-empty <title>.
	Title func([]byte)
}

// WalkHTML tokenizes an HTML page once (comments and the inside of scripts
// are not elements) and reports its links and text to v. It is the one
// walker over links in pages: received sources, discovered endpoints and
// the links of our own posts all go through it.
func WalkHTML(page []byte, v Visitor) {
	z := html.NewTokenizer(bytes.NewReader(page))
	wantText := v.Text != nil || v.Title != nil
	inTitle, haveTitle, skip := false, false, 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.TextToken:
			switch {
			case !wantText:
			case inTitle:
				if t := z.Text(); v.Title != nil && len(t) > 0 {
					haveTitle = true
					v.Title(t)
				}
			case skip == 0 && v.Text != nil:
				v.Text(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			a := tagAtom(z.Raw())
			switch a {
			case atom.Title:
				inTitle = tt == html.StartTagToken && !haveTitle
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				if tt == html.StartTagToken {
					skip++
				}
			case atom.A, atom.Area, atom.Link:
				if v.Link != nil && (v.Want == nil || v.Want(z.Raw())) {
					l := Link{Tag: a, Opens: a == atom.A && tt == html.StartTagToken}
					if readHrefRel(z, &l) && !v.Link(l) {
						return
					}
				}
			}
			if v.Break != nil && BreaksWords(a) {
				v.Break()
			}
		case html.EndTagToken:
			a := tagAtom(z.Raw())
			switch a {
			case atom.Title:
				inTitle = false
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				skip = max(skip-1, 0)
			case atom.A:
				if v.EndLink != nil {
					v.EndLink()
				}
			}
			if v.Break != nil && BreaksWords(a) {
				v.Break()
			}
		}
	}
}

// tagAtom returns the element of a tag from its raw text ("<name ..." or
// "</name ..."), without the copy Tokenizer.TagName makes of every name: on
// a large page that copy is most of the walk's garbage.
func tagAtom(raw []byte) atom.Atom {
	i := 1
	if len(raw) > 1 && raw[1] == '/' {
		i = 2
	}
	var buf [12]byte // longer names are no element WalkHTML looks at
	n := 0
	for ; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case ' ', '\t', '\n', '\f', '\r', '/', '>':
			return atom.Lookup(buf[:n])
		}
		if n == len(buf) {
			return 0
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	return atom.Lookup(buf[:n])
}

// readHrefRel reads the first href and rel attributes of the current tag
// into l and reports whether it has an href.
func readHrefRel(z *html.Tokenizer, l *Link) bool {
	haveHref, haveRel := false, false
	for more := true; more; {
		var k, val []byte
		k, val, more = z.TagAttr()
		switch string(k) {
		case "href":
			if !haveHref {
				l.Href, haveHref = string(val), true
			}
		case "rel":
			if !haveRel {
				l.Rel, haveRel = string(val), true
			}
		}
	}
	return haveHref
}

// BreaksWords reports whether a tag separates the words around it.
func BreaksWords(a atom.Atom) bool {
	switch a {
	case atom.Br, atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Pre,
		atom.Table, atom.Tr, atom.Td, atom.Th, atom.Hr, atom.Img, atom.Section, atom.Article,
		atom.Header, atom.Footer, atom.Aside, atom.Nav, atom.Figure, atom.Figcaption,
		atom.Address, atom.Main, atom.Title, atom.Option:
		return true
	}
	return false
}
