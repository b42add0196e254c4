package jobs

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/storetest"
)

// fakeSender records what it sends, failing while fail is set.
type fakeSender struct {
	sent []string
	fail error
}

func (f *fakeSender) Send(_ context.Context, to, subject, _ string) error {
	if f.fail != nil {
		return f.fail
	}
	f.sent = append(f.sent, to+": "+subject)
	return nil
}

// TestMailerRetriesThenSends: a failed email waits and is tried again; a
// sent one is not sent twice; it survives in the table meanwhile.
func TestMailerRetriesThenSends(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	store, err := models.Open(context.Background(), storetest.Target(t), models.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx := context.Background()
	if err := store.QueueMail(ctx, &models.Mail{To: "a@example.com", Subject: "Hi", Body: "x"}); err != nil {
		t.Fatal(err)
	}
	sender := &fakeSender{fail: errors.New("421 try later")}
	m := &Mailer{Store: store, Sender: sender, Log: slog.New(slog.DiscardHandler), Now: clk.Now}
	m.RunOnce(ctx)
	sender.fail = nil
	m.RunOnce(ctx) // not due yet
	if len(sender.sent) != 0 {
		t.Fatalf("sent before its retry time: %v", sender.sent)
	}
	clk.Advance(2 * time.Minute)
	m.RunOnce(ctx)
	clk.Advance(time.Hour)
	m.RunOnce(ctx)
	if len(sender.sent) != 1 || sender.sent[0] != "a@example.com: Hi" {
		t.Errorf("sent %v", sender.sent)
	}
}

// TestSMTPSender speaks SMTP to a small server on loopback (no STARTTLS,
// which only a local server may lack) and checks the message it got.
func TestSMTPSender(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 1)
	go serveOneSMTP(ln, got)
	s, err := NewSMTPSender("smtp://"+ln.Addr().String(), "blog@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), "ann@example.com", "Réinitialiser", "Line one\n.dot line"); err != nil {
		t.Fatal(err)
	}
	msg := <-got
	for _, want := range []string{"MAIL FROM:<blog@example.com>", "RCPT TO:<ann@example.com>", "Subject: =?utf-8?q?R=C3=A9initialiser?=",
		"Content-Type: text/plain; charset=utf-8", "Line one\r\n..dot line\r\n"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if _, err := NewSMTPSender("http://x", "a@b"); err == nil {
		t.Error("an http URL was taken")
	}
	remote, _ := NewSMTPSender("smtp://user:pw@192.0.2.1:1", "a@b")
	if !strings.HasSuffix(remote.addr(), ":1") || isLocal("192.0.2.1") {
		t.Errorf("addr %s", remote.addr())
	}
}

// serveOneSMTP answers one session and sends everything it read to got.
func serveOneSMTP(ln net.Listener, got chan<- string) {
	conn, err := ln.Accept()
	if err != nil {
		return
	}
	defer conn.Close()
	tp := textproto.NewConn(conn)
	var all strings.Builder
	_ = tp.PrintfLine("220 test ESMTP")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			break
		}
		all.WriteString(line + "\r\n")
		switch cmd := strings.ToUpper(strings.Fields(line + " x")[0]); cmd {
		case "EHLO", "HELO":
			_ = tp.PrintfLine("250 test")
		case "DATA":
			_ = tp.PrintfLine("354 go on")
			for {
				l, err := tp.ReadLine()
				if err != nil || l == "." {
					break
				}
				all.WriteString(l + "\r\n")
			}
			_ = tp.PrintfLine("250 queued")
		case "QUIT":
			_ = tp.PrintfLine("221 bye")
			got <- all.String()
			return
		default:
			_ = tp.PrintfLine("250 ok")
		}
	}
	got <- all.String()
}
