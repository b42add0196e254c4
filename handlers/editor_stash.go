package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/views"
)

// stashedForm is a form that failed to save with its messages.
type stashedForm struct {
	Form   views.PostForm    `json:"form"`
	Errors map[string]string `json:"errors"`
}

// unsavedRedirect answers a save that failed validation with a redirect to
// the editor (POST, redirect, GET): the form and its messages are kept in
// the database under a token in the address, so reloading that page shows
// them again and resubmits nothing.
func (s *Server) unsavedRedirect(c *gin.Context, form views.PostForm, errs map[string]string) {
	raw, err := json.Marshal(stashedForm{Form: form, Errors: errs})
	var token string
	if err == nil {
		token, err = s.Posts.StashEditorForm(c.Request.Context(), userOf(c).ID, string(raw), s.PostService.Now())
	}
	if err != nil { // keep the text on the page, whatever the address
		s.Log.WarnContext(c.Request.Context(), "stash editor form", "err", err)
		s.renderEditor(c, http.StatusBadRequest, form, nil, errs, false)
		return
	}
	to := "/admin/posts/new"
	if form.ID != 0 {
		to = fmt.Sprintf("/admin/posts/%d/edit", form.ID)
	}
	q := url.Values{"unsaved": {token}}
	if form.ID == 0 && form.Kind != "post" {
		q.Set("kind", form.Kind)
	}
	redirect(c, to+"?"+q.Encode())
}

// stashedEditor shows the stashed form the address names, and reports
// whether there was one (else the caller shows the stored post).
func (s *Server) stashedEditor(c *gin.Context, id int64) bool {
	token := c.Query("unsaved")
	if token == "" {
		return false
	}
	raw, err := s.Posts.StashedEditorForm(c.Request.Context(), userOf(c).ID, token, s.PostService.Now())
	var st stashedForm
	if err != nil || json.Unmarshal([]byte(raw), &st) != nil || st.Form.ID != id {
		return false
	}
	s.renderEditor(c, http.StatusOK, st.Form, nil, st.Errors, false)
	return true
}
