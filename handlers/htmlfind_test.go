package handlers

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// A little of microformats2 parsing, enough to check what our pages carry:
// elements found by class, and the properties of an item (its descendants
// reached without entering another item, as the mf2 parsing rules walk).

// parsePage parses an HTML page.
func parsePage(t testing.TB, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// hasClass reports whether n is an element whose class attribute lists class.
func hasClass(n *html.Node, class string) bool {
	return n.Type == html.ElementNode && slices.Contains(strings.Fields(attr(n, "class")), class)
}

// attr is n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// byClass lists n and its descendants that have class, in document order.
func byClass(n *html.Node, class string) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if hasClass(d, class) {
			out = append(out, d)
		}
	}
	if hasClass(n, class) {
		out = append([]*html.Node{n}, out...)
	}
	return out
}

// isItem reports whether n is a microformats2 root (an h-* class).
func isItem(n *html.Node) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if strings.HasPrefix(c, "h-") {
			return true
		}
	}
	return false
}

// props lists the elements that give item the property class: its
// descendants with that class that are not inside a nested item.
func props(item *html.Node, class string) []*html.Node {
	var out []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if hasClass(c, class) {
				out = append(out, c)
			}
			if !isItem(c) {
				walk(c)
			}
		}
	}
	walk(item)
	return out
}

// prop is the one element giving item the property class.
func prop(t testing.TB, item *html.Node, class string) *html.Node {
	t.Helper()
	ps := props(item, class)
	if len(ps) != 1 {
		t.Fatalf("%d %s properties on <%s class=%q>, want 1", len(ps), class, item.Data, attr(item, "class"))
	}
	return ps[0]
}

// textOf is n's text content with white space collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// innerHTML is n's content as HTML.
func innerHTML(t testing.TB, n *html.Node) string {
	t.Helper()
	var b bytes.Buffer
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// pValue is a p- property's value: a data element's value, else the text.
func pValue(n *html.Node) string {
	if n.Data == "data" {
		return attr(n, "value")
	}
	return textOf(n)
}

// uValue is a u- property's value, made absolute against base.
func uValue(t testing.TB, n *html.Node, base string) string {
	t.Helper()
	var raw string
	switch n.Data {
	case "a", "area", "link":
		raw = attr(n, "href")
	case "img", "audio", "video", "source", "iframe":
		raw = attr(n, "src")
	case "data", "input":
		raw = attr(n, "value")
	default:
		raw = textOf(n)
	}
	b, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u, err := b.Parse(raw)
	if err != nil {
		t.Fatalf("u- value %q: %v", raw, err)
	}
	return u.String()
}

// dtValue is a dt- property's value: a time element's datetime.
func dtValue(t testing.TB, n *html.Node) string {
	t.Helper()
	if n.Data != "time" || attr(n, "datetime") == "" {
		t.Fatalf("dt- property on <%s> without datetime", n.Data)
	}
	return attr(n, "datetime")
}
