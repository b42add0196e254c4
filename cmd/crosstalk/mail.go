package main

import (
	"fmt"
	"net/url"

	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
)

// mailFlags is the email configuration of --smtp-url and --smtp-from;
// where given they win over the settings' Email fieldset.
func (a *app) mailFlags() models.MailSettings {
	return models.MailSettings{SMTPURL: a.cfg.SMTPURL, From: a.cfg.SMTPFrom}
}

// mailOutbox sets up email: the handlers queue into the store's mail
// outbox and a.mailer sends it through the mail server configured at each
// send (the flags, else the settings), so email can be turned on from
// the Settings page without a restart. While neither names a server the
// handlers queue nothing (reset links come from "crosstalk user reset-link").
func (a *app) mailOutbox() (models.MailStore, error) {
	flags := a.mailFlags()
	if flags.On() { // a wrong flag stops the start, as before
		from := flags.From
		if from == "" {
			from = "check@example.com" // the default is made from the base URL
		}
		if _, err := jobs.NewSMTPSender(flags.SMTPURL, from); err != nil {
			return nil, fmt.Errorf("--smtp-url: %w", err)
		}
	}
	u, err := url.Parse(a.cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	sender := &jobs.ConfiguredSender{Flags: flags, Settings: a.store, DefaultFrom: "crosstalk@" + u.Hostname()}
	a.mailer = &jobs.Mailer{Store: a.store, Sender: sender, Log: a.log}
	return a.store, nil
}
