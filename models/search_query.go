package models

import (
	"strings"
	"unicode"
)

// Search limits: words per query, characters per word, and how many
// matches are ranked (the rest are not reachable by paging).
const (
	MaxSearchTerms   = 10
	MaxSearchTermLen = 64
	MaxSearchRanked  = 2000
)

// Snippet marks: the store's snippets wrap matched words in these, and
// views.Highlight turns them into <mark> after escaping the rest.
const (
	MarkStart = "\x02"
	MarkEnd   = "\x03"
)

// SearchTerm is one word of a reader's query; Prefix matches words
// starting with it (the reader typed "word*").
type SearchTerm struct {
	Word   string
	Prefix bool
}

// ParseSearch splits what a reader typed into words as the index splits
// text (letters and digits; everything else separates), lower-cased. No
// operator of either database's query language survives: quotes, NEAR,
// OR, parentheses, colons and minus signs are separators or plain words
// (an upper-case OR is just the word "or"). Only a "*" right after a word
// means something: a prefix.
func ParseSearch(q string) []SearchTerm {
	var terms []SearchTerm
	seen := map[SearchTerm]bool{}
	rs := []rune(q)
	for i := 0; i < len(rs) && len(terms) < MaxSearchTerms; {
		if !isWordRune(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && isWordRune(rs[j]) {
			j++
		}
		word := strings.ToLower(string(rs[i:j]))
		if n := []rune(word); len(n) > MaxSearchTermLen {
			word = string(n[:MaxSearchTermLen])
		}
		t := SearchTerm{Word: word, Prefix: j < len(rs) && rs[j] == '*'}
		if !seen[t] {
			seen[t] = true
			terms = append(terms, t)
		}
		i = j
	}
	return terms
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r)
}

// ftsQuery writes terms in SQLite FTS4's query language: each word a quoted
// phrase (words hold only letters and digits, so nothing needs escaping),
// all required.
func ftsQuery(terms []SearchTerm) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		star := ""
		if t.Prefix {
			star = "*"
		}
		parts[i] = `"` + t.Word + star + `"`
	}
	return strings.Join(parts, " ")
}

// tsQuery writes terms as PostgreSQL tsquery text for to_tsquery('simple'):
// words of letters and digits, quoted, ANDed, ":*" for a prefix.
func tsQuery(terms []SearchTerm) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = "'" + t.Word + "'"
		if t.Prefix {
			parts[i] += ":*"
		}
	}
	return strings.Join(parts, " & ")
}
