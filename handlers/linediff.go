package handlers

import (
	"strings"

	"github.com/crosstalk/crosstalk/views"
)

// maxDiffCells bounds the LCS table of a line diff; beyond it the changed
// middle is shown as all removed, then all added.
const maxDiffCells = 4_000_000

// lineDiff compares two texts line by line (a longest common subsequence
// after trimming the common start and end). Lines are text: the template
// escapes them.
func lineDiff(before, after string) []views.DiffLine {
	a, b := splitLines(before), splitLines(after)
	var out []views.DiffLine
	start := 0
	for start < len(a) && start < len(b) && a[start] == b[start] {
		out = append(out, views.DiffLine{Op: " ", Text: a[start]})
		start++
	}
	endA, endB := len(a), len(b)
	for endA > start && endB > start && a[endA-1] == b[endB-1] {
		endA--
		endB--
	}
	out = append(out, diffMiddle(a[start:endA], b[start:endB])...)
	for i := endA; i < len(a); i++ {
		out = append(out, views.DiffLine{Op: " ", Text: a[i]})
	}
	return out
}

func diffMiddle(a, b []string) []views.DiffLine {
	var out []views.DiffLine
	if len(a)*len(b) > maxDiffCells {
		for _, l := range a {
			out = append(out, views.DiffLine{Op: "-", Text: l})
		}
		for _, l := range b {
			out = append(out, views.DiffLine{Op: "+", Text: l})
		}
		return out
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out = append(out, views.DiffLine{Op: " ", Text: a[i]})
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, views.DiffLine{Op: "-", Text: a[i]})
			i++
		default:
			out = append(out, views.DiffLine{Op: "+", Text: b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		out = append(out, views.DiffLine{Op: "-", Text: a[i]})
	}
	for ; j < len(b); j++ {
		out = append(out, views.DiffLine{Op: "+", Text: b[j]})
	}
	return out
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\r\n", "\n"), "\n")
}
