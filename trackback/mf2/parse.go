// Package mf2 is a small microformats2 parser (microformats.org/wiki/
// microformats2-parsing) on golang.org/x/net/html, and Find, which extracts
// from a received linkback's source page what a blog shows of it: the
// h-entry's author, content, date and response type.
//
// It parses the subset a linkback receiver needs: h-* roots, p-, u-, dt- and
// e- properties, nested items, the value-class pattern, implied name, photo
// and url, and <base href>. It imports only the standard library and
// golang.org/x/net/html.
package mf2

import (
	"bytes"
	"iter"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxDepth bounds how deep the walk follows nested elements; deeper content
// is ignored (html.Parse itself builds any depth).
const maxDepth = 256

// Item is a microformat: its sorted h-* types, its properties in document
// order and the items nested in it that are no property's value.
type Item struct {
	Type       []string
	Properties map[string][]Value
	Children   []*Item
	ID         string
	legacy     bool // a classic microformat (hAtom, hCard): see backcompat.go
}

// Value is one value of a property. Text is the parsed string (for u-
// properties an absolute URL); HTML is set for e- properties; Item is set
// when the value is a nested microformat (Text then holds its name or url).
type Value struct {
	Text string
	HTML string
	Alt  string
	Item *Item
}

// Has reports whether the item has type t (such as "h-entry").
func (it *Item) Has(t string) bool { return slices.Contains(it.Type, t) }

// First returns the first value of a property and whether there is one.
func (it *Item) First(prop string) (Value, bool) {
	if vs := it.Properties[prop]; len(vs) > 0 {
		return vs[0], true
	}
	return Value{}, false
}

// Doc is a parsed page: its top-level items in document order.
type Doc struct {
	Items []*Item
	Base  *url.URL
}

// Parse parses an HTML page found at pageURL (its final address, after
// redirects). Relative URLs are resolved against the page's first <base
// href>, itself resolved against pageURL.
func Parse(page []byte, pageURL *url.URL) *Doc {
	root, err := html.Parse(bytes.NewReader(bytes.ToValidUTF8(page, []byte("\uFFFD"))))
	if err != nil || root == nil {
		return &Doc{Base: pageURL}
	}
	p := &parser{base: pageURL}
	if b := findBase(root, 0); b != "" {
		p.base = p.resolve(b)
	}
	doc := &Doc{Base: p.base}
	p.walk(root, nil, &doc.Items, 0)
	return doc
}

type parser struct {
	base *url.URL
}

// resolveURL makes ref absolute against the base; a ref that does not parse
// is returned trimmed.
func (p *parser) resolveURL(ref string) string {
	ref = strings.TrimSpace(ref)
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	if p.base != nil {
		u = p.base.ResolveReference(u)
	}
	return u.String()
}

func (p *parser) resolve(ref string) *url.URL {
	u, err := url.Parse(p.resolveURL(ref))
	if err != nil {
		return p.base
	}
	return u
}

// elements yields n's element children except <template>s (whose content
// is no part of the page); none when depth is past maxDepth.
func elements(n *html.Node, depth int) iter.Seq[*html.Node] {
	return func(yield func(*html.Node) bool) {
		if depth > maxDepth {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom != atom.Template && !yield(c) {
				return
			}
		}
	}
}

func findBase(n *html.Node, depth int) string {
	for c := range elements(n, depth) {
		if c.DataAtom == atom.Base {
			if href, ok := attr(c, "href"); ok {
				return href
			}
		}
		if b := findBase(c, depth+1); b != "" {
			return b
		}
	}
	return ""
}

// classes of an element, split by kind: h-* roots and properties by prefix.
type classes struct {
	roots []string
	props []prop
}

type prop struct {
	prefix byte // 'p', 'u', 'd' (dt-) or 'e'
	name   string
}

func classesOf(n *html.Node) classes {
	var c classes
	v, _ := attr(n, "class")
	for f := range strings.FieldsSeq(v) {
		switch {
		case strings.HasPrefix(f, "h-") && validName(f[2:]):
			if !slices.Contains(c.roots, f) {
				c.roots = append(c.roots, f)
			}
		case strings.HasPrefix(f, "p-") && validName(f[2:]):
			c.props = appendProp(c.props, prop{'p', f[2:]})
		case strings.HasPrefix(f, "u-") && validName(f[2:]):
			c.props = appendProp(c.props, prop{'u', f[2:]})
		case strings.HasPrefix(f, "e-") && validName(f[2:]):
			c.props = appendProp(c.props, prop{'e', f[2:]})
		case strings.HasPrefix(f, "dt-") && validName(f[3:]):
			c.props = appendProp(c.props, prop{'d', f[3:]})
		}
	}
	slices.Sort(c.roots)
	return c
}

func appendProp(ps []prop, p prop) []prop {
	if slices.Contains(ps, p) {
		return ps
	}
	return append(ps, p)
}

// validName: an optional vendor prefix of [0-9a-z]+ then lower-case words
// of a-z joined by single hyphens (the microformats2 naming rule).
func validName(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	parts := strings.Split(s, "-")
	for i, part := range parts {
		for j := 0; j < len(part); j++ {
			c := part[j]
			letter := c >= 'a' && c <= 'z'
			digit := c >= '0' && c <= '9'
			vendor := digit && i == 0 && len(parts) > 1 // a vendor prefix may hold digits
			if !letter && !vendor {
				return false
			}
		}
	}
	return true
}

// walk parses the children of n: cur is the item being filled (nil at top
// level) and top collects items that are nobody's property.
func (p *parser) walk(n *html.Node, cur *Item, top *[]*Item, depth int) {
	for c := range elements(n, depth) {
		cls, legacy := classesIn(c, cur)
		if len(cls.roots) > 0 {
			item := p.item(c, cls.roots, legacy, depth+1)
			switch {
			case cur != nil && len(cls.props) > 0:
				for _, pr := range cls.props {
					v := p.nestedValue(c, pr, item)
					cur.Properties[pr.name] = append(cur.Properties[pr.name], v)
				}
			case cur != nil:
				cur.Children = append(cur.Children, item)
			default:
				*top = append(*top, item)
			}
			continue
		}
		if cur != nil {
			for _, pr := range cls.props {
				cur.Properties[pr.name] = append(cur.Properties[pr.name], p.value(c, pr))
			}
		}
		p.walk(c, cur, top, depth+1)
	}
}

// item parses the microformat rooted at n (legacy: a classic one).
func (p *parser) item(n *html.Node, types []string, legacy bool, depth int) *Item {
	it := &Item{Type: types, Properties: map[string][]Value{}, legacy: legacy}
	it.ID, _ = attr(n, "id")
	p.walk(n, it, &it.Children, depth)
	if !legacy {
		p.implied(n, it)
	}
	return it
}

// nestedValue is the value of a property whose element is itself an item.
func (p *parser) nestedValue(n *html.Node, pr prop, item *Item) Value {
	v := Value{Item: item}
	switch pr.prefix {
	case 'p':
		if name, ok := item.First("name"); ok && name.Item == nil {
			v.Text = name.Text
		} else {
			v.Text = p.value(n, pr).Text
		}
	case 'u':
		if u, ok := item.First("url"); ok && u.Item == nil {
			v.Text = u.Text
		} else {
			v.Text = p.value(n, pr).Text
		}
	default:
		pv := p.value(n, pr)
		v.Text, v.HTML = pv.Text, pv.HTML
	}
	return v
}

// value parses one property element (microformats2-parsing, "parsing a
// p-/u-/dt-/e- property").
func (p *parser) value(n *html.Node, pr prop) Value {
	switch pr.prefix {
	case 'p':
		if s, ok := valueClass(n, false); ok {
			return Value{Text: s}
		}
		switch n.DataAtom {
		case atom.Abbr, atom.Link:
			if t, ok := attr(n, "title"); ok {
				return Value{Text: t}
			}
		case atom.Data, atom.Input:
			if t, ok := attr(n, "value"); ok {
				return Value{Text: t}
			}
		case atom.Img, atom.Area:
			if t, ok := attr(n, "alt"); ok {
				return Value{Text: t}
			}
		}
		return Value{Text: p.cleanText(n)}
	case 'u':
		return p.urlValue(n)
	case 'd':
		if s, ok := valueClass(n, true); ok {
			return Value{Text: s}
		}
		for _, a := range dateAttrs(n.DataAtom) {
			if t, ok := attr(n, a); ok {
				return Value{Text: strings.TrimSpace(t)}
			}
		}
		return Value{Text: strings.TrimSpace(rawText(n))}
	default: // e-
		return Value{HTML: p.innerHTML(n), Text: p.cleanText(n)}
	}
}

func dateAttrs(a atom.Atom) []string {
	switch a {
	case atom.Time, atom.Ins, atom.Del:
		return []string{"datetime"}
	case atom.Abbr:
		return []string{"title"}
	case atom.Data, atom.Input:
		return []string{"value"}
	}
	return nil
}

func (p *parser) urlValue(n *html.Node) Value {
	var a string
	switch n.DataAtom {
	case atom.A, atom.Area, atom.Link:
		a = "href"
	case atom.Img:
		if src, ok := attr(n, "src"); ok {
			alt, hasAlt := attr(n, "alt")
			if hasAlt {
				return Value{Text: p.resolveURL(src), Alt: alt}
			}
			return Value{Text: p.resolveURL(src)}
		}
	case atom.Audio, atom.Source, atom.Iframe:
		a = "src"
	case atom.Video:
		if src, ok := attr(n, "src"); ok {
			return Value{Text: p.resolveURL(src)}
		}
		a = "poster"
	case atom.Object:
		a = "data"
	}
	if a != "" {
		if v, ok := attr(n, a); ok {
			return Value{Text: p.resolveURL(v)}
		}
	}
	if s, ok := valueClass(n, false); ok {
		return Value{Text: p.resolveURL(s)}
	}
	switch n.DataAtom {
	case atom.Abbr:
		if t, ok := attr(n, "title"); ok {
			return Value{Text: p.resolveURL(t)}
		}
	case atom.Data, atom.Input:
		if t, ok := attr(n, "value"); ok {
			return Value{Text: p.resolveURL(t)}
		}
	}
	return Value{Text: p.resolveURL(rawText(n))}
}

// valueClass applies the value-class pattern: the values of descendants
// with class "value" (or "value-title"), outside nested properties and
// items, joined (by a space for dates, which split date and time).
func valueClass(n *html.Node, date bool) (string, bool) {
	var parts []string
	var find func(*html.Node, int)
	find = func(n *html.Node, depth int) {
		for c := range elements(n, depth) {
			cls, _ := attr(c, "class")
			fields := strings.Fields(cls)
			switch {
			case slices.Contains(fields, "value-title"):
				t, _ := attr(c, "title")
				parts = append(parts, t)
				continue
			case slices.Contains(fields, "value"):
				parts = append(parts, valueOf(c, date))
				continue
			}
			if cc := classesOf(c); len(cc.roots) > 0 || len(cc.props) > 0 {
				continue
			}
			find(c, depth+1)
		}
	}
	find(n, 0)
	if len(parts) == 0 {
		return "", false
	}
	sep := ""
	if date {
		sep = " "
	}
	return strings.TrimSpace(strings.Join(parts, sep)), true
}

func valueOf(n *html.Node, date bool) string {
	switch n.DataAtom {
	case atom.Img, atom.Area:
		if t, ok := attr(n, "alt"); ok {
			return t
		}
	case atom.Data:
		if t, ok := attr(n, "value"); ok {
			return t
		}
	case atom.Abbr:
		if t, ok := attr(n, "title"); ok {
			return t
		}
	case atom.Time, atom.Ins, atom.Del:
		if t, ok := attr(n, "datetime"); ok && date {
			return t
		}
	}
	return rawText(n)
}

// implied fills name, photo and url when the item does not give them.
func (p *parser) implied(n *html.Node, it *Item) {
	nested := len(it.Children) > 0
	hasP, hasU := false, false
	for _, vs := range it.Properties {
		for _, v := range vs {
			nested = nested || v.Item != nil
		}
	}
	for _, pr := range propsBelow(n) {
		switch pr.prefix {
		case 'p', 'e':
			hasP = true
		case 'u':
			hasU = true
		}
	}
	if _, ok := it.Properties["name"]; !ok && !hasP && !nested {
		it.Properties["name"] = []Value{{Text: p.impliedName(n)}}
	}
	if _, ok := it.Properties["photo"]; !ok && !hasU && !nested {
		if v, ok := p.impliedPhoto(n); ok {
			it.Properties["photo"] = []Value{v}
		}
	}
	if _, ok := it.Properties["url"]; !ok && !hasU && !nested {
		if v, ok := p.impliedURL(n); ok {
			it.Properties["url"] = []Value{{Text: v}}
		}
	}
}

// propsBelow lists the property classes inside the item's element (not
// inside nested items), which decide whether values are implied.
func propsBelow(n *html.Node) []prop {
	var out []prop
	var find func(*html.Node, int)
	find = func(n *html.Node, depth int) {
		for c := range elements(n, depth) {
			cls := classesOf(c)
			out = append(out, cls.props...)
			if len(cls.roots) == 0 {
				find(c, depth+1)
			}
		}
	}
	find(n, 0)
	return out
}

func (p *parser) impliedName(n *html.Node) string {
	if s, ok := nameAttr(n); ok {
		return s
	}
	for c, depth := onlyChild(n), 0; c != nil && depth < 2; c, depth = onlyChild(c), depth+1 {
		if len(classesOf(c).roots) > 0 {
			break
		}
		if s, ok := nameAttr(c); ok {
			return s
		}
	}
	return p.cleanText(n)
}

func nameAttr(n *html.Node) (string, bool) {
	switch n.DataAtom {
	case atom.Img, atom.Area:
		return attr(n, "alt")
	case atom.Abbr:
		return attr(n, "title")
	}
	return "", false
}

func (p *parser) impliedPhoto(n *html.Node) (Value, bool) {
	for c, depth := n, 0; c != nil && depth < 3; c, depth = onlyChildOf(c, atom.Img, atom.Object), depth+1 {
		if depth > 0 && len(classesOf(c).roots) > 0 {
			break
		}
		switch c.DataAtom {
		case atom.Img:
			if src, ok := attr(c, "src"); ok {
				alt, hasAlt := attr(c, "alt")
				if hasAlt {
					return Value{Text: p.resolveURL(src), Alt: alt}, true
				}
				return Value{Text: p.resolveURL(src)}, true
			}
		case atom.Object:
			if d, ok := attr(c, "data"); ok {
				return Value{Text: p.resolveURL(d)}, true
			}
		}
	}
	return Value{}, false
}

func (p *parser) impliedURL(n *html.Node) (string, bool) {
	for c, depth := n, 0; c != nil && depth < 3; c, depth = onlyChildOf(c, atom.A, atom.Area), depth+1 {
		if depth > 0 && len(classesOf(c).roots) > 0 {
			break
		}
		if c.DataAtom == atom.A || c.DataAtom == atom.Area {
			if href, ok := attr(c, "href"); ok {
				return p.resolveURL(href), true
			}
		}
	}
	return "", false
}

// onlyChild returns n's only element child, or nil.
func onlyChild(n *html.Node) *html.Node {
	var only *html.Node
	for c := range elements(n, 0) {
		if only != nil {
			return nil
		}
		only = c
	}
	return only
}

// onlyChildOf returns n's only child element of one of the kinds, or else
// its only element child when that has one (one level deeper).
func onlyChildOf(n *html.Node, kinds ...atom.Atom) *html.Node {
	var found *html.Node
	count := 0
	for c := range elements(n, 0) {
		if slices.Contains(kinds, c.DataAtom) {
			found, count = c, count+1
		}
	}
	if count == 1 {
		return found
	}
	if count == 0 {
		return onlyChild(n)
	}
	return nil
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}
