package jobs

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/storetest"
)

// smtpServer is a one-message SMTP server on loopback: its URL and what it got.
func smtpServer(t *testing.T) (string, <-chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got := make(chan string, 1)
	go serveOneSMTP(ln, got)
	return "smtp://" + ln.Addr().String(), got
}

// TestMailerFollowsTheSettings: the mail worker reads the mail server from
// the settings at each send, so a change on the Settings page applies to
// the next email without a restart; with no server it sends nothing and
// tries again later; a --smtp-url flag wins over the settings.
func TestMailerFollowsTheSettings(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	store, err := models.Open(context.Background(), storetest.Target(t), models.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx := context.Background()
	sender := &ConfiguredSender{Settings: store, DefaultFrom: "crosstalk@blog.example"}
	m := &Mailer{Store: store, Sender: sender, Log: slog.New(slog.DiscardHandler), Now: clk.Now}
	send := func(subject string) {
		t.Helper()
		if err := store.QueueMail(ctx, &models.Mail{To: "ann@example.com", Subject: subject, Body: "x"}); err != nil {
			t.Fatal(err)
		}
		m.RunOnce(ctx)
	}
	if err := sender.Send(ctx, "ann@example.com", "x", "x"); !errors.Is(err, ErrNoMailServer) {
		t.Errorf("send with no server: %v", err)
	}

	first, gotFirst := smtpServer(t)
	if err := store.SetSettings(ctx, models.MailSettings{SMTPURL: first}.Settings()); err != nil {
		t.Fatal(err)
	}
	send("One")
	if msg := <-gotFirst; !strings.Contains(msg, "Subject: One") || !strings.Contains(msg, "MAIL FROM:<crosstalk@blog.example>") {
		t.Errorf("first server got %q", msg)
	}

	second, gotSecond := smtpServer(t)
	if err := store.SetSettings(ctx, models.MailSettings{SMTPURL: second, From: "news@blog.example"}.Settings()); err != nil {
		t.Fatal(err)
	}
	send("Two")
	if msg := <-gotSecond; !strings.Contains(msg, "Subject: Two") || !strings.Contains(msg, "MAIL FROM:<news@blog.example>") {
		t.Errorf("second server got %q", msg)
	}

	flagged, gotFlagged := smtpServer(t)
	sender.Flags = models.MailSettings{SMTPURL: flagged}
	send("Three") // the settings still name the second server
	if msg := <-gotFlagged; !strings.Contains(msg, "Subject: Three") || !strings.Contains(msg, "MAIL FROM:<news@blog.example>") {
		t.Errorf("the flag's server got %q", msg)
	}
}
