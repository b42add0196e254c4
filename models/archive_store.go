package models

import "context"

// Months counts published posts per month, newest first, for the archive list.
func (s *Store) Months(ctx context.Context) ([]MonthCount, error) {
	var rows []MonthCount
	err := s.db.WithContext(ctx).Model(&Post{}).
		Select(s.yearExpr()+" AS year, "+s.monthExpr()+" AS month, COUNT(*) AS count").
		Where("kind = ? AND status = ?", KindPost, StatusPublished).
		Group("year, month").Order("year DESC, month DESC").Scan(&rows).Error
	return rows, translate(err, "months")
}

// yearExpr and monthExpr are the only dialect-specific SQL in the store.
func (s *Store) yearExpr() string {
	if s.db.Name() == "postgres" {
		return "CAST(EXTRACT(YEAR FROM published_at) AS INTEGER)"
	}
	return "CAST(strftime('%Y', published_at) AS INTEGER)"
}

func (s *Store) monthExpr() string {
	if s.db.Name() == "postgres" {
		return "CAST(EXTRACT(MONTH FROM published_at) AS INTEGER)"
	}
	return "CAST(strftime('%m', published_at) AS INTEGER)"
}
