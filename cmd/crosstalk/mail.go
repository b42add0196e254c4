package main

import (
	"fmt"
	"net/url"

	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
)

// mailOutbox sets up email when --smtp-url is given: the handlers queue
// into the store's mail outbox and a.mailer sends it. Without it, nil: the
// blog sends no email (reset links come from "crosstalk user reset-link").
func (a *app) mailOutbox() (models.MailStore, error) {
	if a.cfg.SMTPURL == "" {
		return nil, nil
	}
	from := a.cfg.SMTPFrom
	if from == "" {
		u, err := url.Parse(a.cfg.BaseURL)
		if err != nil {
			return nil, err
		}
		from = "crosstalk@" + u.Hostname()
	}
	sender, err := jobs.NewSMTPSender(a.cfg.SMTPURL, from)
	if err != nil {
		return nil, fmt.Errorf("--smtp-url: %w", err)
	}
	a.mailer = &jobs.Mailer{Store: a.store, Sender: sender, Log: a.log}
	return a.store, nil
}
