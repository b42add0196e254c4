package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

// Sender delivers one email (SMTPSender; tests use a fake that records).
type Sender interface {
	Send(ctx context.Context, to, subject, body string) error
}

// mailTries is how many times an email is tried before it is given up.
const mailTries = 6

// Mailer sends the mail outbox (models.MailStore): each email is leased,
// sent, and marked sent, or tried again later with a growing pause.
type Mailer struct {
	Store  models.MailStore
	Sender Sender
	Log    *slog.Logger
	Now    func() time.Time
}

// Run sends due emails every 15 seconds until ctx ends.
func (m *Mailer) Run(ctx context.Context) { every(ctx, 15*time.Second, m.RunOnce) }

// RunOnce sends the emails due now.
func (m *Mailer) RunOnce(ctx context.Context) {
	now := m.Now
	if now == nil {
		now = time.Now
	}
	due, err := m.Store.ClaimMail(ctx, 20, 5*time.Minute)
	if err != nil {
		if ctx.Err() == nil {
			m.Log.Error("claim mail", "err", err)
		}
		return
	}
	for _, mail := range due {
		sendCtx, cancel := context.WithTimeout(ctx, time.Minute)
		err := m.Sender.Send(sendCtx, mail.To, mail.Subject, mail.Body)
		cancel()
		if err == nil {
			err = m.Store.MailSent(ctx, mail.ID)
			if err != nil {
				m.Log.Error("mark mail sent", "id", mail.ID, "err", err)
			}
			continue
		}
		var retry time.Time
		if mail.Attempts < mailTries {
			retry = now().Add(time.Duration(mail.Attempts*mail.Attempts) * time.Minute)
		}
		m.Log.Warn("send mail", "id", mail.ID, "attempt", mail.Attempts, "err", err)
		if err := m.Store.MailFailed(ctx, mail.ID, err.Error(), retry); err != nil {
			m.Log.Error("record mail failure", "id", mail.ID, "err", err)
		}
	}
}
