package jobs

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// SMTPSender sends email through one mail server, named by a URL:
// smtp://user:pass@host:587 (STARTTLS, required unless the host is the
// local machine) or smtps://user:pass@host:465 (TLS from the start).
type SMTPSender struct {
	server *url.URL
	from   string
	// TLSConfig, if set, replaces the default (tests trust their own server).
	TLSConfig *tls.Config
}

// NewSMTPSender checks the URL and the sender address.
func NewSMTPSender(rawURL, from string) (*SMTPSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, errors.New("the SMTP URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465")
	}
	if from == "" || strings.ContainsAny(from, "\r\n") {
		return nil, errors.New("an SMTP sender address (From) is required")
	}
	return &SMTPSender{server: u, from: from}, nil
}

func (s *SMTPSender) addr() string {
	port := s.server.Port()
	if port == "" {
		port = map[string]string{"smtp": "587", "smtps": "465"}[s.server.Scheme]
	}
	return net.JoinHostPort(s.server.Hostname(), port)
}

func (s *SMTPSender) tlsConfig() *tls.Config {
	if s.TLSConfig != nil {
		return s.TLSConfig
	}
	return &tls.Config{ServerName: s.server.Hostname(), MinVersion: tls.VersionTLS12}
}

// Send delivers one plain-text email.
func (s *SMTPSender) Send(ctx context.Context, to, subject, body string) error {
	if strings.ContainsAny(to, "\r\n") {
		return errors.New("smtp: bad recipient")
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.addr())
	if err != nil {
		return err
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	if s.server.Scheme == "smtps" {
		conn = tls.Client(conn, s.tlsConfig())
	}
	c, err := smtp.NewClient(conn, s.server.Hostname())
	if err != nil {
		return errors.Join(err, conn.Close())
	}
	defer func() { _ = c.Close() }() // after Quit it is closed already
	if s.server.Scheme == "smtp" {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tlsConfig()); err != nil {
				return err
			}
		} else if !isLocal(s.server.Hostname()) {
			return errors.New("smtp: the server offers no STARTTLS; refusing to send the password in clear")
		}
	}
	if user := s.server.User; user != nil {
		pass, _ := user.Password()
		if err := c.Auth(smtp.PlainAuth("", user.Username(), pass, s.server.Hostname())); err != nil {
			return err
		}
	}
	if err := c.Mail(s.from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(message(s.from, to, subject, body, time.Now())); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

func isLocal(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// message formats a UTF-8 plain-text email with CRLF line ends.
func message(from, to, subject, body string, now time.Time) []byte {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	domain := from[strings.LastIndex(from, "@")+1:]
	var m strings.Builder
	fmt.Fprintf(&m, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@%s>\r\n",
		from, to, mime.QEncoding.Encode("utf-8", subject), now.Format(time.RFC1123Z), hex.EncodeToString(b), domain)
	m.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n")
	// Lines starting with a dot are escaped by net/smtp's data writer.
	for _, line := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		m.WriteString(line + "\r\n")
	}
	return []byte(m.String())
}
