package trackback

import "bytes"

// maxRelValue bounds how much of a rel attribute value relCandidates reads.
// Real rel values are a few words; a longer one is not searched.
const maxRelValue = 1024

// relCandidates reports which queries may be answered by body: those whose
// token appears, in any case, in the value of something shaped like a rel
// attribute (`rel`, optional spaces, `=`, then a quoted value, or an
// unquoted one up to a space or ">"), and how many. It reads the raw text,
// so a rel inside a comment or a script counts too: it errs only towards
// yes, and the tokenizer decides. The only values it misses are those that
// spell the token with character references ("&#119;ebmention") or are
// longer than maxRelValue. The scan is linear in the size of body, with at
// most maxRelValue bytes read per "rel".
func relCandidates(body []byte, queries []relQuery) (open []bool, n int) {
	open = make([]bool, len(queries))
	for i := 0; n < len(queries); {
		k := indexFold(body[i:], "rel")
		if k < 0 {
			break
		}
		at := i + k
		i = at + 3
		if at > 0 && !isAttrBoundary(body[at-1]) {
			continue
		}
		value, ok := attrValue(body[i:])
		if !ok {
			continue
		}
		for q := range queries {
			if !open[q] && indexFold(value, queries[q].rel) >= 0 {
				open[q] = true
				n++
			}
		}
	}
	return open, n
}

// isAttrBoundary reports whether c may come just before an attribute name.
func isAttrBoundary(c byte) bool {
	return isSpaceByte(c) || c == '"' || c == '\'' || c == '/'
}

// attrValue reads "= value" at the start of b, spaces allowed around "=".
func attrValue(b []byte) ([]byte, bool) {
	i := 0
	for i < len(b) && isSpaceByte(b[i]) {
		i++
	}
	if i >= len(b) || b[i] != '=' {
		return nil, false
	}
	i++
	for i < len(b) && isSpaceByte(b[i]) {
		i++
	}
	rest := b[i:]
	if len(rest) > maxRelValue {
		rest = rest[:maxRelValue]
	}
	if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
		if end := bytes.IndexByte(rest[1:], rest[0]); end >= 0 {
			return rest[1 : 1+end], true
		}
		return rest[1:], true
	}
	end := 0
	for end < len(rest) && !isSpaceByte(rest[end]) && rest[end] != '>' {
		end++
	}
	return rest[:end], true
}

// indexFold returns the index of the first occurrence of tok (ASCII letters,
// lower case) in b in any letter case, or -1.
func indexFold(b []byte, tok string) int {
	n := len(tok)
	if n == 0 {
		return 0
	}
	c := tok[0]
	for i := 0; i+n <= len(b); i++ {
		if b[i]|0x20 == c && asciiEqualFold(b[i+1:i+n], tok[1:]) {
			return i
		}
	}
	return -1
}

// asciiEqualFold compares b with the lower-case ASCII letters of tok,
// ignoring the case of b.
func asciiEqualFold(b []byte, tok string) bool {
	for i := 0; i < len(tok); i++ {
		if b[i]|0x20 != tok[i] {
			return false
		}
	}
	return true
}
