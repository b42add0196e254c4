// Package models holds Crosstalk's domain types, the small store interfaces the
// handlers depend on, their GORM implementation (Store), the versioned
// migrations and the domain errors that the HTTP layer maps to status codes.
//
// Every store method takes a context first and starts its query with
// db.WithContext(ctx), so a cancelled request stops its database work.
package models
