package handlers

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// postPassPrefix names the cookie that unlocks one password-protected post
// (WordPress's wp-postpass, per post here).
const postPassPrefix = "ct_postpass_"

// postPassDays is how long an entered password is remembered, as WordPress does.
const postPassDays = 10

// postPassToken is the cookie's value: a hash of the post and its password,
// so changing the password locks the post again.
func postPassToken(p *models.Post) string {
	sum := sha256.Sum256([]byte("crosstalk postpass\x00" + strconv.FormatInt(p.ID, 10) + "\x00" + p.Password))
	return hex.EncodeToString(sum[:])
}

// unlocked reports whether the reader may see p's text: it has no
// password, the reader is logged in, or entered the password.
func unlocked(c *gin.Context, p *models.Post) bool {
	if !p.Protected() || userOf(c) != nil {
		return true
	}
	v, err := c.Cookie(postPassPrefix + strconv.FormatInt(p.ID, 10))
	return err == nil && subtle.ConstantTimeCompare([]byte(v), []byte(postPassToken(p))) == 1
}

// hasPostPass reports whether the request carries an entered password:
// such a reader's pages are their own, never the page cache's.
func hasPostPass(r *http.Request) bool {
	for _, ck := range r.Cookies() {
		if strings.HasPrefix(ck.Name, postPassPrefix) {
			return true
		}
	}
	return false
}

// renderLocked shows a protected post's title and the password form, and
// nothing of its text, excerpt or comments.
func (s *Server) renderLocked(c *gin.Context, p *models.Post, status int, wrong bool) {
	l := s.layout(c, p.Title)
	l.Canonical = s.BaseURL + p.Path()
	l.NoIndex = true
	s.render(c, status, "post_password", views.PasswordPage{Layout: l, Post: p,
		Action: "/postpass/" + strconv.FormatInt(p.ID, 10), Wrong: wrong})
}

// postPassword checks a password entered for a protected post and
// remembers it in a cookie for that post.
func (s *Server) postPassword(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.renderError(c, models.ErrNotFound)
		return
	}
	p, err := s.Posts.PostByID(c.Request.Context(), id)
	if err == nil && (!readable(c, p) || !p.Protected()) {
		err = models.ErrNotFound
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	given := c.PostForm("post_password")
	if subtle.ConstantTimeCompare([]byte(given), []byte(p.Password)) != 1 {
		s.renderLocked(c, p, http.StatusForbidden, true)
		return
	}
	// Secure as the session cookie is: only when the blog is served over HTTPS.
	http.SetCookie(c.Writer, &http.Cookie{ //nolint:gosec // G124: HttpOnly and SameSite set; Secure follows the blog's scheme
		Name: postPassPrefix + strconv.FormatInt(p.ID, 10), Value: postPassToken(p),
		Path: "/", MaxAge: postPassDays * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: strings.HasPrefix(s.BaseURL, "https://")})
	redirect(c, p.Path())
}
