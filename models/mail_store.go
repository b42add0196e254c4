package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Mail is one email in the outbox (mail_outbox): queued by a request (or
// with the write that causes it) and sent by the mail worker, so a slow
// or failing mail server never holds up a page and nothing is lost on a
// restart.
type Mail struct {
	ID        int64
	To        string `gorm:"column:to_addr"`
	Subject   string
	Body      string
	Attempts  int
	NextAt    time.Time
	SentAt    *time.Time
	LastError string
	CreatedAt time.Time
}

// TableName is the table's name for gorm.
func (Mail) TableName() string { return "mail_outbox" }

// MailStore is the mail outbox.
type MailStore interface {
	QueueMail(ctx context.Context, m *Mail) error
	// ClaimMail leases up to limit due emails for lease: another worker
	// does not take them meanwhile.
	ClaimMail(ctx context.Context, limit int, lease time.Duration) ([]Mail, error)
	// MailSent marks an email sent; MailFailed schedules another try at
	// retryAt, or gives up (no more tries) when retryAt is zero.
	MailSent(ctx context.Context, id int64) error
	MailFailed(ctx context.Context, id int64, msg string, retryAt time.Time) error
}

var _ MailStore = (*Store)(nil)

// QueueMail adds an email to the outbox, due now.
func (s *Store) QueueMail(ctx context.Context, m *Mail) error {
	m.NextAt, m.CreatedAt = s.now(), s.now()
	return translate(s.db.WithContext(ctx).Create(m).Error, "queue mail")
}

// ClaimMail leases due emails by moving their next try past the lease.
func (s *Store) ClaimMail(ctx context.Context, limit int, lease time.Duration) ([]Mail, error) {
	var due []Mail
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.skipLocked(tx).Where("sent_at IS NULL AND next_at <= ? AND attempts >= 0", s.now()).
			Order("next_at, id").Limit(limit).Find(&due).Error; err != nil {
			return err
		}
		claimed := due[:0]
		for _, m := range due {
			res := tx.Model(&Mail{}).Where("id = ? AND next_at = ?", m.ID, m.NextAt).
				Updates(map[string]any{"next_at": s.now().Add(lease), "attempts": gorm.Expr("attempts + 1")})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 1 {
				m.Attempts++
				claimed = append(claimed, m)
			}
		}
		due = claimed
		return nil
	})
	return due, translate(err, "claim mail")
}

// MailSent marks an email sent.
func (s *Store) MailSent(ctx context.Context, id int64) error {
	err := s.db.WithContext(ctx).Model(&Mail{}).Where("id = ?", id).
		Updates(map[string]any{"sent_at": s.now(), "last_error": ""}).Error
	return translate(err, "mail sent")
}

// MailFailed records a failed try; a zero retryAt gives up (attempts is
// set to -1 so the email is never claimed again and stays for the record).
func (s *Store) MailFailed(ctx context.Context, id int64, msg string, retryAt time.Time) error {
	upd := map[string]any{"last_error": truncateUTF8(msg, 500), "next_at": retryAt.UTC()}
	if retryAt.IsZero() {
		upd["attempts"], upd["next_at"] = -1, s.now()
	}
	return translate(s.db.WithContext(ctx).Model(&Mail{}).Where("id = ?", id).Updates(upd).Error, "mail failed")
}
