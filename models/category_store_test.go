package models

import (
	"context"
	"errors"
	"testing"
)

func TestCategoriesFileAndReloadPosts(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	if u.Role != RoleAdministrator {
		t.Errorf("a user created without a role is %q, want administrator", u.Role)
	}
	now := clock.Now()
	p := newPost(u.ID, "Filed", StatusPublished, &now)
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	food := &Category{Name: "Café & Küche"}
	if err := s.SaveCategory(ctx, food); err != nil {
		t.Fatal(err)
	}
	soup := &Category{Name: "Soup", ParentID: &food.ID}
	if err := s.SaveCategory(ctx, soup); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveCategory(ctx, &Category{Name: "Other", Slug: soup.Slug}); !errors.Is(err, ErrConflict) {
		t.Errorf("taken slug: got %v, want ErrConflict", err)
	}
	if err := s.SetPostCategories(ctx, p.ID, []int64{soup.ID, food.ID, soup.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.LoadCategories(ctx, []*Post{p}); err != nil {
		t.Fatal(err)
	}
	if len(p.Categories) != 2 || p.Categories[0].Name != "Café & Küche" || p.Categories[1].ParentID == nil || *p.Categories[1].ParentID != food.ID {
		t.Fatalf("categories = %+v, want Café & Küche and Soup under it", p.Categories)
	}
	got, err := s.CategoryBySlug(ctx, soup.Slug)
	if err != nil || got.ID != soup.ID {
		t.Fatalf("by slug: %+v %v", got, err)
	}
	if err := s.SetPostCategories(ctx, p.ID, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.LoadCategories(ctx, []*Post{p}); err != nil || len(p.Categories) != 0 {
		t.Fatalf("after clearing: %+v %v", p.Categories, err)
	}
}
