package jobs

import (
	"context"
	"crypto/tls"
	"errors"

	"github.com/crosstalk/crosstalk/models"
)

// ErrNoMailServer is a send tried while no mail server is configured.
var ErrNoMailServer = errors.New("no mail server is configured (--smtp-url or Settings → Email)")

// ConfiguredSender sends through the mail server configured at the time
// of each send: Flags (--smtp-url, --smtp-from) where given, else the
// settings' Email fieldset, read per send, so a change on the Settings
// page (on any instance) applies to the next email without a restart.
type ConfiguredSender struct {
	Flags    models.MailSettings
	Settings interface {
		Settings(ctx context.Context) (map[string]string, error)
	}
	// DefaultFrom is the sender address when neither names one.
	DefaultFrom string
	// TLSConfig, if set, replaces the default (tests trust their own server).
	TLSConfig *tls.Config
}

// Config is the mail configuration in force now.
func (c *ConfiguredSender) Config(ctx context.Context) (models.MailSettings, error) {
	cfg := c.Flags
	if !cfg.On() || cfg.From == "" {
		stored, err := c.Settings.Settings(ctx)
		if err != nil {
			return cfg, err
		}
		cfg = cfg.Or(models.MailSettingsFrom(stored))
	}
	if cfg.From == "" {
		cfg.From = c.DefaultFrom
	}
	return cfg, nil
}

// Send delivers one email through the mail server configured now.
func (c *ConfiguredSender) Send(ctx context.Context, to, subject, body string) error {
	cfg, err := c.Config(ctx)
	if err != nil {
		return err
	}
	if !cfg.On() {
		return ErrNoMailServer
	}
	s, err := NewSMTPSender(cfg.SMTPURL, cfg.From)
	if err != nil {
		return err
	}
	s.TLSConfig = c.TLSConfig
	return s.Send(ctx, to, subject, body)
}
