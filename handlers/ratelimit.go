package handlers

import (
	"github.com/crosstalk/crosstalk/handlers/loginguard"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/crosstalk/crosstalk/models/intake"
)

// maxBuckets bounds a limiter's memory: past it, new keys share one
// overflow bucket, which throttles a flood of fresh keys as one client.
const maxBuckets = 100_000

// clientKey is the rate-limit key of an address (an IPv6 /64 is one client).
func clientKey(ip string) string { return loginguard.AddressKey(ip) }

func rateEvery(d time.Duration) rate.Limit { return rate.Every(d) }

// limiter is a token bucket per key (an IP, an account, a post), forgetting
// keys idle for ten minutes so memory stays bounded.
type limiter struct {
	every rate.Limit
	burst int
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(every rate.Limit, burst int, now func() time.Time) *limiter {
	return &limiter{every: every, burst: burst, now: now, buckets: map[string]*bucket{}}
}

// allow takes a token for key; when none is left it says how long to wait.
func (l *limiter) allow(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b, ok := l.buckets[key]
	if !ok && len(l.buckets) >= maxBuckets {
		key = "overflow"
		b, ok = l.buckets[key]
	}
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.every, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

var (
	_ intake.Limiter = (*limiter)(nil)
	_ intake.Limiter = addressLimiter{}
)

// Allow takes a token for key: limiter is an intake.Limiter.
func (l *limiter) Allow(key string) (bool, time.Duration) { return l.allow(key) }

// addressLimiter limits per client address, grouped as clientKey does
// (an IPv6 /64 is one client): it is intake's per-address Limiter.
type addressLimiter struct{ *limiter }

// Allow takes a token for the client at address ip.
func (l addressLimiter) Allow(ip string) (bool, time.Duration) { return l.allow(clientKey(ip)) }

// peek reports whether key has a token left, without taking it (and without
// making a bucket for a key never charged): with spend, a caller charges one
// limit only once it knows another will not refuse.
func (l *limiter) peek(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return true, 0
	}
	if tokens := b.lim.TokensAt(now); tokens < 1 {
		return false, time.Duration((1 - tokens) / float64(l.every) * float64(time.Second))
	}
	return true, 0
}

// spend takes a token from key.
func (l *limiter) spend(key string) { l.allow(key) }
