package handlers

import (
	"testing"
	"time"
)

// TestLimiterRefund: a refunded token comes back even when time has passed
// since it was taken (a password check takes a while); unrefunded ones run out.
func TestLimiterRefund(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	l := newLimiter(rateEvery(12*time.Second), 5, clock.Now)
	for i := 0; i < 50; i++ {
		ok, _, refund := l.take("ann")
		if !ok {
			t.Fatalf("success %d was limited", i)
		}
		clock.Advance(150 * time.Millisecond)
		refund()
	}
	for i := 0; i < 5; i++ {
		if ok, _, _ := l.take("ann"); !ok {
			t.Fatalf("failure %d limited too early", i)
		}
		clock.Advance(150 * time.Millisecond)
	}
	ok, wait, _ := l.take("ann")
	if ok || wait <= 0 || wait > 12*time.Second {
		t.Fatalf("sixth failure: ok=%v wait=%v", ok, wait)
	}
	if ok, _ := l.allow("bob"); !ok {
		t.Error("another key has its own bucket")
	}
}
