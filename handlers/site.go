package handlers

import (
	"context"
	"sync"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

// siteCache keeps the parsed settings for a few seconds: every page needs
// them, and several instances sharing one database see a change soon enough.
type siteCache struct {
	store models.SettingStore
	ttl   time.Duration
	now   func() time.Time

	mu      sync.Mutex
	site    models.Site
	fetched time.Time
}

func newSiteCache(store models.SettingStore, ttl time.Duration, now func() time.Time) *siteCache {
	return &siteCache{store: store, ttl: ttl, now: now}
}

func (c *siteCache) get(ctx context.Context) (models.Site, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fetched.IsZero() && c.now().Sub(c.fetched) < c.ttl {
		return c.site, nil
	}
	raw, err := c.store.Settings(ctx)
	if err != nil {
		return models.Site{}, err
	}
	c.site, c.fetched = models.SiteFromSettings(raw), c.now()
	return c.site, nil
}

// invalidate forces the next get to read the database.
func (c *siteCache) invalidate() {
	c.mu.Lock()
	c.fetched = time.Time{}
	c.mu.Unlock()
}
