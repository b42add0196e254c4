package mf2

import (
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Backward compatibility (microformats2-parsing, "parsing for backward
// compatibility"): the classic microformats many WordPress themes still
// write (hAtom, hCard) are read as their microformats2 equivalents. A
// classic root is used only where an element has no h-* class, classic
// properties only inside a classic root, and nothing is implied for it.

var legacyRoots = map[string]string{"hentry": "h-entry", "hfeed": "h-feed", "vcard": "h-card"}

var legacyProps = map[string]map[string]prop{
	"h-entry": {
		"entry-title": {'p', "name"}, "entry-summary": {'p', "summary"}, "entry-content": {'e', "content"},
		"published": {'d', "published"}, "updated": {'d', "updated"}, "author": {'p', "author"},
		"category": {'p', "category"},
	},
	"h-card": {
		"fn": {'p', "name"}, "url": {'u', "url"}, "photo": {'u', "photo"}, "nickname": {'p', "nickname"},
		"note": {'p', "note"}, "uid": {'u', "uid"},
	},
	"h-feed": {"author": {'p', "author"}},
}

// classesIn reads an element's classes inside cur (nil at top level):
// microformats2 first, else classic ones. legacy reports a classic root.
func classesIn(n *html.Node, cur *Item) (cls classes, legacy bool) {
	cls = classesOf(n)
	v, _ := attr(n, "class")
	if len(cls.roots) == 0 {
		for f := range strings.FieldsSeq(v) {
			if t, ok := legacyRoots[f]; ok && !slices.Contains(cls.roots, t) {
				cls.roots = append(cls.roots, t)
			}
		}
		slices.Sort(cls.roots)
		legacy = len(cls.roots) > 0
	}
	if cur == nil || !cur.legacy || len(cls.props) > 0 {
		return cls, legacy
	}
	for _, t := range cur.Type {
		for f := range strings.FieldsSeq(v) {
			if pr, ok := legacyProps[t][f]; ok {
				cls.props = appendProp(cls.props, pr)
			}
		}
		rel, _ := attr(n, "rel")
		if t == "h-entry" && (n.DataAtom == atom.A || n.DataAtom == atom.Link) && slices.Contains(strings.Fields(rel), "bookmark") {
			cls.props = appendProp(cls.props, prop{'u', "url"})
		}
	}
	return cls, legacy
}
