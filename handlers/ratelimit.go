package handlers

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/crosstalk/crosstalk/handlers/loginguard"
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
	_ intake.Limiter = sharedLimiter{}
)

// Allow takes a token for key: limiter is an intake.Limiter.
func (l *limiter) Allow(_ context.Context, key string) (bool, time.Duration) { return l.allow(key) }

// addressLimiter limits per client address, grouped as clientKey does
// (an IPv6 /64 is one client): it is intake's per-address Limiter.
type addressLimiter struct{ intake.Limiter }

// Allow takes a token for the client at address ip.
func (l addressLimiter) Allow(ctx context.Context, ip string) (bool, time.Duration) {
	return l.Limiter.Allow(ctx, clientKey(ip))
}

// RateStore keeps token buckets in the database, so every instance on it
// shares them: models.RateLimitStore (one atomic upsert per reservation),
// the store loginguard.NewShared uses for logins.
type RateStore interface {
	// Reserve takes one token from key's bucket if it has one (ok), else
	// says how long until the next (wait).
	Reserve(ctx context.Context, key string, every time.Duration, burst int, now time.Time) (ok bool, wait time.Duration, inFlight int, err error)
	// Settle ends a reservation; refund gives its token back.
	Settle(ctx context.Context, key string, every time.Duration, refund bool) error
}

// sharedLimiter is a token bucket per key kept in a RateStore: the same
// limit as limiter, across every instance. Its keys start with prefix, so
// each limit has its own buckets. When the database fails, the request is
// let through (and the failure logged): the write it leads to fails anyway.
type sharedLimiter struct {
	store  RateStore
	prefix string
	every  time.Duration
	burst  int
	now    func() time.Time
	log    *slog.Logger
}

// Allow takes a token for key.
func (l sharedLimiter) Allow(ctx context.Context, key string) (bool, time.Duration) {
	// The reservation is never settled: a try in flight means nothing here,
	// and the row's lease ends by itself.
	ok, wait, _, err := l.store.Reserve(ctx, l.prefix+key, l.every, l.burst, l.now())
	if err != nil {
		l.log.ErrorContext(ctx, "shared rate limit: letting the request through", "key", l.prefix, "err", err)
		return true, 0
	}
	return ok, wait
}

// refund gives back the token Allow took for key.
func (l sharedLimiter) refund(ctx context.Context, key string) {
	if err := l.store.Settle(ctx, l.prefix+key, l.every, true); err != nil {
		l.log.ErrorContext(ctx, "shared rate limit: refund", "key", l.prefix, "err", err)
	}
}

// perMinute is the interval between tokens of a bucket refilled n times a minute.
func perMinute(n int) time.Duration { return time.Minute / time.Duration(n) }

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
