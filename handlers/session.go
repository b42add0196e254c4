package handlers

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/sessions"

	"github.com/crosstalk/crosstalk/models"
)

const (
	sessionName  = "crosstalk"
	keyUserID    = "uid"
	keyCSRF      = "csrf"
	keyLoginTime = "login_at"
	keyFlash     = "flash"
	keyGen       = "gen"
	ctxUser      = "user"
	ctxSession   = "session"
)

// session loads the cookie session and, if it belongs to a live login, the user.
func (s *Server) session() gin.HandlerFunc {
	return func(c *gin.Context) {
		sess, err := s.Sessions.Get(c.Request, sessionName)
		if err != nil { // a bad or old cookie: start afresh
			sess, _ = s.Sessions.New(c.Request, sessionName)
		}
		c.Set(ctxSession, sess)
		if uid, ok := sess.Values[keyUserID].(int64); ok && s.loginFresh(sess) {
			gen, _ := sess.Values[keyGen].(int)
			u, err := s.Users.UserByID(c.Request.Context(), uid)
			switch {
			case err == nil:
				if u.SessionGeneration == gen {
					c.Set(ctxUser, u)
				}
			case errors.Is(err, models.ErrNotFound):
				// The account is gone: the visitor is anonymous.
			default:
				// The database failed: the login may well be valid, so the
				// session (and its cookie) is kept and the request fails.
				c.Abort()
				s.renderError(c, err)
				return
			}
		}
		c.Next()
	}
}

func (s *Server) loginFresh(sess *sessions.Session) bool {
	at, ok := sess.Values[keyLoginTime].(int64)
	return ok && s.Now().Sub(time.Unix(at, 0)) < s.sessionTTL
}

func sessionOf(c *gin.Context) *sessions.Session {
	sess, _ := c.MustGet(ctxSession).(*sessions.Session)
	return sess
}

func userOf(c *gin.Context) *models.User {
	u, _ := c.Get(ctxUser)
	user, _ := u.(*models.User)
	return user
}

// csrfToken returns the session's form token, creating and saving one if needed.
func (s *Server) csrfToken(c *gin.Context) string {
	sess := sessionOf(c)
	tok, _ := sess.Values[keyCSRF].(string)
	if tok == "" {
		tok = randomHex(32)
		sess.Values[keyCSRF] = tok
		s.saveSession(c, sess)
	}
	return tok
}

// checkCSRF requires the session's token in every state-changing form.
func (s *Server) checkCSRF() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
			c.Next()
			return
		}
		if formTooLarge(c) {
			s.tooLarge(c)
			return
		}
		want, _ := sessionOf(c).Values[keyCSRF].(string)
		got := c.PostForm("csrf_token")
		if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
			s.csrfFailed(c)
			c.Abort()
			return
		}
		c.Next()
	}
}

func (s *Server) saveSession(c *gin.Context, sess *sessions.Session) {
	if err := sess.Save(c.Request, c.Writer); err != nil {
		s.Log.ErrorContext(c.Request.Context(), "save session", "err", err)
	}
}

// logIn starts a fresh session for u: a new token, so one fixed before login is useless.
func (s *Server) logIn(c *gin.Context, u *models.User) {
	sess := sessionOf(c)
	sess.Values = map[any]any{keyUserID: u.ID, keyLoginTime: s.Now().Unix(), keyCSRF: randomHex(32), keyGen: u.SessionGeneration}
	s.saveSession(c, sess)
	c.Set(ctxUser, u)
}

// logOut ends this session and, by bumping the generation, every copy of
// it: a cookie saved before logout no longer works.
func (s *Server) logOut(c *gin.Context) {
	if u := userOf(c); u != nil {
		if err := s.Users.EndSessions(c.Request.Context(), u.ID); err != nil {
			s.Log.ErrorContext(c.Request.Context(), "end sessions", "err", err)
		}
	}
	sess := sessionOf(c)
	sess.Values = map[any]any{}
	sess.Options.MaxAge = -1
	s.saveSession(c, sess)
}

// flash stores a one-time message shown on the next page.
func (s *Server) flash(c *gin.Context, msg string) {
	sess := sessionOf(c)
	sess.Values[keyFlash] = msg
	s.saveSession(c, sess)
}

func (s *Server) takeFlash(c *gin.Context) string {
	sess := sessionOf(c)
	msg, _ := sess.Values[keyFlash].(string)
	if msg != "" {
		delete(sess.Values, keyFlash)
		s.saveSession(c, sess)
	}
	return msg
}
