package models

import "context"

// Months counts published posts per month (UTC), newest first, for the
// archive list. The counts are kept by triggers in the transaction that
// publishes, unpublishes, moves or deletes a post (migration 0014), so this
// reads one small row per month, however many posts there are.
func (s *Store) Months(ctx context.Context) ([]MonthCount, error) {
	var rows []MonthCount
	err := s.db.WithContext(ctx).Table("post_months").Select("year, month, n AS count").
		Where("n > 0").Order("year DESC, month DESC").Scan(&rows).Error
	return rows, translate(err, "months")
}
