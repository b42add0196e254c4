package models

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkSearch10k searches 10,000 published posts of about 120 words:
// a word in every post (ranked over the first MaxSearchRanked matches), a
// word in 1 post in 100, and a prefix.
func BenchmarkSearch10k(b *testing.B) {
	s, clock := newTestStore(b)
	u := mustUser(b, s)
	words := "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua "
	rows := make([]Post, 0, 500)
	for i := range 10000 {
		at := clock.Now().Add(-time.Duration(i) * time.Hour)
		body := fmt.Sprintf("%s %s %s post%d %s", words, words, words, i, words)
		if i%100 == 0 {
			body += " sourdough"
		}
		rows = append(rows, Post{Kind: KindPost, AuthorID: u.ID, Title: fmt.Sprintf("Post %d", i), Slug: fmt.Sprintf("p-%d", i),
			Body: body, BodyHTML: "<p>x</p>", Status: StatusPublished, PublishedAt: &at, CreatedAt: at, UpdatedAt: at})
		if len(rows) == cap(rows) {
			if err := s.db.CreateInBatches(rows, 100).Error; err != nil {
				b.Fatal(err)
			}
			rows = rows[:0]
		}
	}
	if s.db.Name() == "postgres" { // as autovacuum would have by now: the planner needs statistics
		if err := s.db.Exec("ANALYZE").Error; err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name, q string
		min     int
	}{{"common word", "lorem", MaxSearchRanked}, {"rare word", "sourdough", 100}, {"prefix", "sourd*", 100}} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				res, err := s.Search(ctx, ParseSearch(tc.q), 0, 10)
				if err != nil || res.Total < tc.min || len(res.Hits) != 10 {
					b.Fatal(res.Total, err)
				}
			}
		})
	}
}
