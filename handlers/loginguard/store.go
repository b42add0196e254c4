package loginguard

import (
	"context"
	"sync"
	"time"
)

// Store keeps the guard's token buckets and failure marks. The default,
// NewMemoryStore, keeps them in this process; a store on a shared database
// (models.RateLimitStore) shares them between every instance that uses it.
//
// A bucket holds burst tokens and earns one back every `every`; a bucket
// never seen is full. Keys are opaque strings.
type Store interface {
	// Reserve takes one token from key's bucket if it has one (ok). It
	// reports how long until the next token (wait, when !ok) and how many
	// tries hold a token from this key, in any process, after the call
	// (inFlight): a try that finds no token waits only while that is not 0.
	Reserve(ctx context.Context, key string, every time.Duration, burst int, now time.Time) (ok bool, wait time.Duration, inFlight int, err error)
	// Settle ends a try that Reserve let through; refund gives its token back.
	Settle(ctx context.Context, key string, every time.Duration, refund bool) error
	// MarkFailed records a failure at key (an account and address).
	MarkFailed(ctx context.Context, key string, now time.Time) error
	// ClearFailed forgets key's failures.
	ClearFailed(ctx context.Context, key string) error
	// Failed says whether key failed after since.
	Failed(ctx context.Context, key string, since time.Time) (bool, error)
	// Prune drops full buckets with no try in flight and failures from
	// failedBefore or earlier; they mean nothing any more.
	Prune(ctx context.Context, now, failedBefore time.Time) error
}

// MemoryStore is a Store in this process's memory, bounded in size.
type MemoryStore struct {
	mu      sync.Mutex
	buckets map[string]*memBucket
	failed  map[string]time.Time
	maxKeys int
}

// memBucket is a bucket as a "theoretical arrival time" (GCRA): the bucket
// is full at tat, and holds burst - (tat-now)/every tokens before that. One
// time stands for the tokens and their refill, the same in SQL as here.
type memBucket struct {
	tat      time.Time
	inFlight int
}

// maxKeys bounds the memory store under a flood of fresh keys.
const maxKeys = 100_000

// overflowKey is the bucket every fresh key shares once the store is full:
// a flood of fresh keys is limited as one client.
const overflowKey = "\x00overflow"

// NewMemoryStore makes an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{buckets: map[string]*memBucket{}, failed: map[string]time.Time{}, maxKeys: maxKeys}
}

// Reserve implements Store.
func (m *MemoryStore) Reserve(_ context.Context, key string, every time.Duration, burst int, now time.Time) (bool, time.Duration, int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.buckets[key]
	if !ok && len(m.buckets) >= m.maxKeys {
		key = overflowKey
		b, ok = m.buckets[key]
	}
	if !ok {
		b = &memBucket{tat: now}
		m.buckets[key] = b
	}
	tat := b.tat
	if tat.Before(now) {
		tat = now
	}
	if next := tat.Add(every); next.Sub(now) > every*time.Duration(burst) {
		return false, next.Sub(now) - every*time.Duration(burst), b.inFlight, nil
	}
	b.tat = tat.Add(every)
	b.inFlight++
	return true, 0, b.inFlight, nil
}

// Settle implements Store.
func (m *MemoryStore) Settle(_ context.Context, key string, every time.Duration, refund bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.buckets[key]
	if !ok {
		b, ok = m.buckets[overflowKey]
	}
	if !ok {
		return nil // pruned while full: nothing to give back
	}
	if refund {
		b.tat = b.tat.Add(-every)
	}
	b.inFlight = max(b.inFlight-1, 0)
	return nil
}

// MarkFailed implements Store.
func (m *MemoryStore) MarkFailed(_ context.Context, key string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.failed[key]; !ok && len(m.failed) >= m.maxKeys {
		return nil // full of recent failures: the address and pair buckets still hold
	}
	if now.After(m.failed[key]) {
		m.failed[key] = now
	}
	return nil
}

// ClearFailed implements Store.
func (m *MemoryStore) ClearFailed(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.failed, key)
	return nil
}

// Failed implements Store.
func (m *MemoryStore) Failed(_ context.Context, key string, since time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.failed[key]
	return ok && t.After(since), nil
}

// Prune implements Store.
func (m *MemoryStore) Prune(_ context.Context, now, failedBefore time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, b := range m.buckets {
		if b.inFlight == 0 && !b.tat.After(now) {
			delete(m.buckets, k)
		}
	}
	for k, t := range m.failed {
		if !t.After(failedBefore) {
			delete(m.failed, k)
		}
	}
	return nil
}
