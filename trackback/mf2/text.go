package mf2

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// rawText is the element's text content without <script> and <style>
// (what u- and dt- properties fall back to).
func rawText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type == html.ElementNode && c.DataAtom != atom.Script && c.DataAtom != atom.Style:
				walk(c, depth+1)
			}
		}
	}
	walk(n, 0)
	return b.String()
}

// cleanText is the "thorough" text of an element (textcontent-parsing):
// no <script>, <style> or <template>; an <img> is its alt, else its absolute
// src; each run of white space is one space; <br> is a line break and block
// elements (paragraphs, list items, headings, quotes…) are separated by a
// blank line. The result is trimmed.
func (p *parser) cleanText(n *html.Node) string {
	w := textWriter{}
	p.writeText(&w, n, 0)
	return strings.TrimSpace(w.b.String())
}

// textWriter collapses white space as it writes; breaks are written only
// between words, never twice.
type textWriter struct {
	b     strings.Builder
	space bool // a space is owed before the next word
	brk   int  // newlines owed before the next word (1 or 2)
}

func (w *textWriter) word(f string) {
	switch {
	case w.b.Len() == 0:
	case w.brk > 0:
		w.b.WriteString(strings.Repeat("\n", w.brk))
	case w.space:
		w.b.WriteByte(' ')
	}
	w.b.WriteString(f)
	w.space, w.brk = false, 0
}

func (w *textWriter) text(s string) {
	if s == "" {
		return
	}
	if isSpace(s[0]) {
		w.space = true
	}
	first := true
	for f := range strings.FieldsSeq(s) {
		if !first {
			w.space = true
		}
		w.word(f)
		first = false
	}
	if isSpace(s[len(s)-1]) {
		w.space = true
	}
}

func (w *textWriter) lineBreak(n int) { w.brk = max(w.brk, n) }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func (p *parser) writeText(w *textWriter, n *html.Node, depth int) {
	if depth > maxDepth {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			w.text(c.Data)
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Template:
				continue
			case atom.Br:
				w.lineBreak(1)
				continue
			case atom.Img:
				if alt, ok := attr(c, "alt"); ok {
					w.text(alt)
				} else if src, ok := attr(c, "src"); ok {
					w.text(" " + p.resolveURL(src) + " ")
				}
				continue
			}
			block := isBlock(c.DataAtom)
			if block {
				w.lineBreak(2)
			}
			p.writeText(w, c, depth+1)
			if block {
				w.lineBreak(2)
			}
		}
	}
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd, atom.Blockquote, atom.Pre,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Section, atom.Article, atom.Aside,
		atom.Header, atom.Footer, atom.Figure, atom.Figcaption, atom.Table, atom.Tr, atom.Hr, atom.Main, atom.Nav:
		return true
	}
	return false
}

// innerHTML writes the element's children back as HTML, trimmed. Scripts
// and styles are kept, as the parsing spec says: whoever shows the HTML
// must sanitise it (Find only uses the text).
func (p *parser) innerHTML(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			break
		}
	}
	return strings.TrimSpace(b.String())
}
