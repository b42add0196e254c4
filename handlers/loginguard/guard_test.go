package loginguard

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newGuard() (*Guard, *clock) {
	c := &clock{t: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	return New(DefaultLimits(), c.now), c
}

// try runs one whole attempt: right says whether the password was right.
func try(g *Guard, addr, account string, right bool) error {
	a, err := g.Begin(context.Background(), addr, account)
	if err != nil {
		return err
	}
	if right {
		a.Succeeded()
	} else {
		a.Failed()
	}
	return nil
}

func limited(err error) bool {
	var le *LimitedError
	return errors.As(err, &le) && le.Seconds() >= 1
}

func TestParallelWrongGuessesAreChargedBeforeTheCheck(t *testing.T) {
	g, _ := newGuard()
	// 40 guesses start together; none has finished when the others begin.
	var started []*Attempt
	refused := 0
	for range 40 {
		a, err := g.Begin(context.Background(), "198.51.100.7", "admin")
		switch {
		case err == nil:
			started = append(started, a)
		case limited(err):
			refused++
		default:
			t.Fatalf("unexpected error: %v", err)
		}
		if err == nil && len(started) == 5 {
			// Tries beyond the (account, address) allowance wait for these
			// to settle; settle them as wrong to let the waiters be refused.
			for _, a := range started {
				a.Failed()
			}
		}
	}
	if len(started) != 5 || refused != 35 {
		t.Fatalf("%d checked, %d refused; want 5 and 35", len(started), refused)
	}
}

func TestRightPasswordsGiveTheirTokensBack(t *testing.T) {
	g, _ := newGuard()
	for i := range 100 {
		if err := try(g, "198.51.100.7", "admin", true); err != nil {
			t.Fatalf("call %d with the right password: %v", i, err)
		}
	}
}

func TestParallelRightPasswordsWaitInsteadOfFailing(t *testing.T) {
	g, _ := newGuard()
	var wg sync.WaitGroup
	var failures atomic.Int32
	for range 30 {
		wg.Go(func() {
			if err := try(g, "198.51.100.7", "admin", true); err != nil {
				failures.Add(1)
			}
		})
	}
	wg.Wait()
	if n := failures.Load(); n != 0 {
		t.Fatalf("%d parallel calls with the right password were refused", n)
	}
}

func TestOwnerGetsInWhileAccountIsUnderAttack(t *testing.T) {
	g, _ := newGuard()
	// A guesser spread over many addresses, each failing until refused.
	for i := range 50 {
		addr := "203.0.113." + string(rune('0'+i%10)) + string(rune('0'+i/10))
		for try(g, addr, "admin", false) == nil {
		}
	}
	if err := try(g, "203.0.113.00", "admin", false); !limited(err) {
		t.Fatalf("the guesser is not slowed: %v", err)
	}
	if err := try(g, "192.0.2.10", "admin", true); err != nil {
		t.Fatalf("the owner, from a clean address, is refused: %v", err)
	}
	// A fresh address that guesses wrong joins the account-wide limit.
	if err := try(g, "192.0.2.99", "admin", false); err != nil {
		t.Fatalf("first try of a fresh address: %v", err)
	}
	if err := try(g, "192.0.2.99", "admin", true); !limited(err) {
		t.Fatalf("an address that failed is not under the account limit: %v", err)
	}
}

func TestLimitsRecoverWithTime(t *testing.T) {
	g, c := newGuard()
	for try(g, "198.51.100.7", "admin", false) == nil {
	}
	err := try(g, "198.51.100.7", "admin", true)
	var le *LimitedError
	if !errors.As(err, &le) {
		t.Fatalf("not limited: %v", err)
	}
	c.advance(le.Wait)
	if err := try(g, "198.51.100.7", "admin", true); err != nil {
		t.Fatalf("after waiting %s: %v", le.Wait, err)
	}
}

func TestAbandonGivesBackWithoutMarking(t *testing.T) {
	g, _ := newGuard()
	for range 50 {
		a, err := g.Begin(context.Background(), "198.51.100.7", "admin")
		if err != nil {
			t.Fatalf("abandoned tries were charged: %v", err)
		}
		a.Abandon()
		a.Failed() // a second outcome is ignored
	}
}

func TestWaitIsBounded(t *testing.T) {
	g, _ := newGuard()
	var held []*Attempt
	for range 5 {
		a, err := g.Begin(context.Background(), "198.51.100.7", "admin")
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, a)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Begin(ctx, "198.51.100.7", "admin"); !limited(err) {
		t.Fatalf("a try while five are in flight and the caller gave up: %v", err)
	}
	for _, a := range held {
		a.Succeeded()
	}
}
