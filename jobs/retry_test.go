package jobs

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/trackback"
)

// TestBackoffSchedules: the outbox and the verifier keep their documented
// numbers as two values of one Backoff.
func TestBackoffSchedules(t *testing.T) {
	schedule := func(b Backoff) []time.Duration {
		var waits []time.Duration
		for attempts := 1; attempts < 100; attempts++ {
			wait, again := b.next(attempts)
			if !again {
				return waits
			}
			waits = append(waits, wait)
		}
		t.Fatalf("%+v never gives up", b)
		return nil
	}
	m := time.Minute
	tests := []struct {
		name string
		b    Backoff
		want []time.Duration
	}{
		{"verification: 1 min doubling, eight attempts", VerifyBackoff(), []time.Duration{m, 2 * m, 4 * m, 8 * m, 16 * m, 32 * m, 64 * m}},
		{"outbox: 1 min doubling to 4 h for a day", Backoff{}, []time.Duration{m, 2 * m, 4 * m, 8 * m, 16 * m, 32 * m, 64 * m, 128 * m,
			4 * time.Hour, 4 * time.Hour, 4 * time.Hour, 4 * time.Hour}},
		{"an attempt cap on the outbox schedule", Backoff{Attempts: 3}, []time.Duration{m, 2 * m}},
		{"fediverse deliveries: 1 min doubling to 12 h for 3 days", DeliveryBackoff(), []time.Duration{m, 2 * m, 4 * m, 8 * m, 16 * m,
			32 * m, 64 * m, 128 * m, 256 * m, 512 * m, 12 * time.Hour, 12 * time.Hour, 12 * time.Hour, 12 * time.Hour}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := schedule(tt.b); !slices.Equal(got, tt.want) {
				t.Errorf("waits %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGone(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("fetch: %w", &trackback.HTTPError{StatusCode: 410, Status: "410 Gone"}), true},
		{&trackback.HTTPError{StatusCode: 404, Status: "404 Not Found"}, false},
		{trackback.ErrNoLinkBack, false},
		{errors.New("connection reset"), false},
	}
	for _, tt := range tests {
		if got := gone(tt.err); got != tt.want {
			t.Errorf("gone(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		h    string
		want time.Duration
	}{
		{"120", 2 * time.Minute},
		{" 3600 ", time.Hour},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"0", 0}, {"-5", 0}, {"", 0}, {"soon", 0},
	}
	for _, tt := range tests {
		if got := trackback.ParseRetryAfter(tt.h, now); got != tt.want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", tt.h, got, tt.want)
		}
	}
}
