package models

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// seedPublished stores n published posts, one per hour back from the clock.
func seedPublished(b *testing.B, s *Store, clock *testClock, n int) {
	b.Helper()
	u := mustUser(b, s)
	rows := make([]Post, 0, 1000)
	for i := 0; i < n; i++ {
		at := clock.Now().Add(-time.Duration(i) * time.Hour)
		rows = append(rows, Post{Kind: KindPost, AuthorID: u.ID, Title: "t", Slug: fmt.Sprintf("p-%d", i), BodyHTML: "<p>x</p>",
			Status: StatusPublished, PublishedAt: &at, CreatedAt: at, UpdatedAt: at})
		if len(rows) == cap(rows) || i == n-1 {
			if err := s.db.CreateInBatches(rows, 200).Error; err != nil {
				b.Fatal(err)
			}
			rows = rows[:0]
		}
	}
}

// BenchmarkHomeQueries100k is what the home page asks of the store with
// 100,000 published posts: the first page of posts and the month archive.
func BenchmarkHomeQueries100k(b *testing.B) {
	s, clock := newTestStore(b)
	seedPublished(b, s, clock, 100000)
	ctx := context.Background()
	b.Run("first page", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if posts, err := s.PublishedPosts(ctx, PostFilter{Limit: 11}); err != nil || len(posts) != 11 {
				b.Fatal(err)
			}
		}
	})
	b.Run("page 5000", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if posts, err := s.PublishedPosts(ctx, PostFilter{Limit: 11, Offset: 49990}); err != nil || len(posts) != 11 {
				b.Fatal(err)
			}
		}
	})
	b.Run("months", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if months, err := s.Months(ctx); err != nil || len(months) < 100 {
				b.Fatal(len(months), err)
			}
		}
	})
}
