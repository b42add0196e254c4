package models

import (
	"context"
	"database/sql"
)

// OutboxDepth counts the notifications waiting or on their way, by state
// (queued, working, sending; a state with none is 0): one indexed COUNT,
// cheap enough for every metrics scrape.
func (s *Store) OutboxDepth(ctx context.Context) (map[NotificationState]int64, error) {
	var rows []struct {
		State NotificationState
		N     int64
	}
	inFlight := []NotificationState{NotifyQueued, NotifyWorking, NotifySending}
	if err := s.db.WithContext(ctx).Model(&Notification{}).Select("state, COUNT(*) AS n").
		Where("state IN ?", inFlight).Group("state").Scan(&rows).Error; err != nil {
		return nil, translate(err, "outbox depth")
	}
	out := make(map[NotificationState]int64, len(inFlight))
	for _, st := range inFlight {
		out[st] = 0
	}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, nil
}

// DeliveryDepth counts the fediverse deliveries waiting (queued) or held
// by a process (sending), in the whole database: the delivery outbox's
// queue depth, for metrics.
func (s *Store) DeliveryDepth(ctx context.Context) (map[NotificationState]int64, error) {
	var rows []struct {
		State NotificationState
		N     int64
	}
	inFlight := []NotificationState{NotifyQueued, NotifySending}
	if err := s.db.WithContext(ctx).Model(&APDelivery{}).Select("state, COUNT(*) AS n").
		Where("state IN ?", inFlight).Group("state").Scan(&rows).Error; err != nil {
		return nil, translate(err, "delivery depth")
	}
	out := map[NotificationState]int64{NotifyQueued: 0, NotifySending: 0}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, nil
}

// Pools are the store's connection pools by name, for their statistics:
// "writer" and "readers" on SQLite, "postgres" on PostgreSQL.
func (s *Store) Pools() map[string]*sql.DB {
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil
	}
	if s.readers == nil {
		if s.db.Name() == "postgres" {
			return map[string]*sql.DB{"postgres": sqlDB}
		}
		return map[string]*sql.DB{"writer": sqlDB}
	}
	return map[string]*sql.DB{"writer": sqlDB, "readers": s.readers}
}
