package xmlrpc

import (
	"math"
	"strconv"
	"strings"
	"time"
)

func scalar(typ, s string) (any, bool) {
	switch typ {
	case "boolean":
		switch strings.ToLower(strings.Trim(s, xmlSpace)) {
		case "1", "true":
			return true, true
		case "0", "false":
			return false, true
		}
		return nil, false
	case "double":
		f, err := strconv.ParseFloat(strings.Trim(s, xmlSpace), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, false
		}
		return f, true
	case "dateTime.iso8601":
		return parseTime(s)
	default: // int, i4, i8
		n, err := strconv.Atoi(strings.Trim(s, xmlSpace))
		return n, err == nil
	}
}

// parseTime parses the dateTime.iso8601 forms sent by real clients. See the
// package documentation.
func parseTime(s string) (time.Time, bool) {
	s = strings.Trim(s, xmlSpace)
	layouts := [...]string{
		"20060102T15:04:05",
		"20060102T15:04:05Z07:00",
		"20060102T15:04:05Z0700",
		"2006-01-02T15:04:05",
		"2006-01-02T15:04:05Z07:00",
		"2006-01-02T15:04:05Z0700",
		"20060102T150405",
		"20060102T150405Z07:00",
		"20060102T150405Z0700",
	}
	for _, layout := range layouts {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		t = t.UTC()
		if y := t.Year(); y < 0 || y > 9999 {
			return time.Time{}, false
		}
		return t, true
	}
	return time.Time{}, false
}
