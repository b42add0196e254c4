package handlers

import (
	"testing"
	"time"
)

// TestLimiterPeekAndSpend: peeking costs nothing; only spent failures run
// the allowance out, and it comes back with time.
func TestLimiterPeekAndSpend(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	l := newLimiter(rateEvery(12*time.Second), 3, clock.Now)
	for i := 0; i < 20; i++ {
		if ok, _ := l.peek("ann"); !ok {
			t.Fatalf("peek %d was refused: peeking must cost nothing", i)
		}
	}
	for i := 0; i < 3; i++ {
		l.spend("ann")
	}
	ok, wait := l.peek("ann")
	if ok || wait <= 0 || wait > 12*time.Second {
		t.Fatalf("after 3 failures: ok=%v wait=%v", ok, wait)
	}
	if ok, _ := l.peek("bob"); !ok {
		t.Error("another key was limited")
	}
	clock.Advance(13 * time.Second)
	if ok, _ := l.peek("ann"); !ok {
		t.Error("the allowance did not come back with time")
	}
}
