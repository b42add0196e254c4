package handlers

import (
	"context"
	"sync"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

// cached keeps a value read from the store for a while. Pages need the
// settings on every request and the home page its month archive (a GROUP BY
// over every post); several instances sharing one database see a change
// within ttl, and this instance at once where it calls invalidate.
type cached[T any] struct {
	load func(context.Context) (T, error)
	ttl  time.Duration
	now  func() time.Time

	mu      sync.Mutex // held while loading, so a burst of requests loads once
	value   T
	fetched time.Time
}

func newCached[T any](load func(context.Context) (T, error), ttl time.Duration, now func() time.Time) *cached[T] {
	return &cached[T]{load: load, ttl: ttl, now: now}
}

func (c *cached[T]) get(ctx context.Context) (T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fetched.IsZero() && c.now().Sub(c.fetched) < c.ttl {
		return c.value, nil
	}
	v, err := c.load(ctx)
	if err != nil {
		return v, err
	}
	c.value, c.fetched = v, c.now()
	return v, nil
}

// invalidate forces the next get to read the store.
func (c *cached[T]) invalidate() {
	c.mu.Lock()
	c.fetched = time.Time{}
	c.mu.Unlock()
}

func loadSite(store models.SettingStore) func(context.Context) (models.Site, error) {
	return func(ctx context.Context) (models.Site, error) {
		raw, err := store.Settings(ctx)
		if err != nil {
			return models.Site{}, err
		}
		return models.SiteFromSettings(raw), nil
	}
}
