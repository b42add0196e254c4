package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// CreateUser stores a new account; a taken name is ErrConflict. A user
// created without a role is an administrator, as the first user is.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	if u.Role == "" {
		u.Role = RoleAdministrator
	}
	return translate(s.db.WithContext(ctx).Create(u).Error, "create user")
}

// UserByID finds an account by id.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	var u User
	if err := s.db.WithContext(ctx).First(&u, id).Error; err != nil {
		return nil, translate(err, "user by id")
	}
	return &u, nil
}

// UserByLogin finds an account by its name or, failing that, its email.
func (s *Store) UserByLogin(ctx context.Context, nameOrEmail string) (*User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("name = ?", nameOrEmail).
		Or("lower(email) = ?", strings.ToLower(nameOrEmail)).Order("id").First(&u).Error
	if err != nil {
		return nil, translate(err, "user by login")
	}
	return &u, nil
}

// SetPasswordHash replaces an account's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	res := s.db.WithContext(ctx).Model(&User{}).Where("id = ?", id).
		Updates(map[string]any{"password_hash": hash, "updated_at": s.now(),
			"session_generation": gorm.Expr("session_generation + 1")})
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(ErrNotFound, "set password")
	}
	return translate(res.Error, "set password")
}

// EndSessions bumps the user's session generation, ending every login; an
// unknown account is ErrNotFound.
func (s *Store) EndSessions(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Model(&User{}).Where("id = ?", id).
		Update("session_generation", gorm.Expr("session_generation + 1"))
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(ErrNotFound, "end sessions")
	}
	return translate(res.Error, "end sessions")
}

// CountUsers counts accounts; zero means the blog still needs its setup.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&User{}).Count(&n).Error
	return n, translate(err, "count users")
}
