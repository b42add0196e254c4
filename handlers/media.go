package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

const mediaPageSize = 50

// serveMedia serves an uploaded file at /media/ID/name. Its bytes never
// change under an id, so it may be cached for a year; the sniffed type is
// sent and nosniff keeps browsers from guessing another.
func (s *Server) serveMedia(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.renderError(c, models.ErrNotFound)
		return
	}
	if w := c.Query("w"); w != "" {
		s.serveMediaVariant(c, id, w)
		return
	}
	m, err := s.Media.MediaByID(c.Request.Context(), id)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if c.Param("name") != m.Name {
		c.Redirect(http.StatusMovedPermanently, m.Path())
		return
	}
	serveImmutable(c, m.Mime, m.SHA256, m.Name, m.CreatedAt, m.Data)
}

// serveMediaVariant serves the resized copy ?w=WIDTH of file id, made at
// upload for srcset. Like the original, it never changes.
func (s *Server) serveMediaVariant(c *gin.Context, id int64, width string) {
	w, err := strconv.Atoi(width)
	if err != nil || w <= 0 {
		s.renderError(c, models.ErrNotFound)
		return
	}
	v, err := s.Media.MediaVariant(c.Request.Context(), id, w)
	if err != nil {
		s.renderError(c, err)
		return
	}
	sum := sha256.Sum256(v.Data)
	serveImmutable(c, v.Mime, hex.EncodeToString(sum[:]), c.Param("name"), time.Time{}, v.Data)
}

// mediaPage lists uploads, newest first, with the upload form.
func (s *Server) mediaPage(c *gin.Context) {
	s.renderMedia(c, http.StatusOK, "")
}

// renderMedia shows the media page, or answers the editor's script in JSON.
func (s *Server) renderMedia(c *gin.Context, status int, problem string) {
	if wantsJSON(c) && problem != "" {
		c.JSON(status, gin.H{"error": problem})
		return
	}
	page := pageNumber(c)
	list, err := s.Media.MediaList(c.Request.Context(), (page-1)*mediaPageSize, mediaPageSize+1)
	if err != nil {
		s.renderError(c, err)
		return
	}
	data := views.MediaPage{Layout: s.adminLayout(c, "Media"), Error: problem, MaxUpload: models.FormatBytes(s.MaxUploadBytes)}
	if len(list) > mediaPageSize {
		list = list[:mediaPageSize]
		data.NextURL = fmt.Sprintf("/admin/media?page=%d", page+1)
	}
	if page > 1 {
		data.PrevURL = fmt.Sprintf("/admin/media?page=%d", page-1)
	}
	for _, m := range list {
		data.Items = append(data.Items, views.MediaItem{ID: m.ID, Name: m.Name, URL: s.BaseURL + m.Path(),
			Type: m.Mime, Size: m.Size, Uploaded: m.CreatedAt.UTC().Format("2006-01-02 15:04 MST")})
	}
	s.render(c, status, "admin_media", data)
}

// limitUpload refuses an upload larger than the configured cap before the
// form is read, and caps what is read.
func (s *Server) limitUpload() gin.HandlerFunc {
	limit := s.MaxUploadBytes + 64<<10 // room for the multipart envelope and the token
	return func(c *gin.Context) {
		if c.Request.ContentLength > limit {
			s.renderMedia(c, http.StatusRequestEntityTooLarge,
				"The file is larger than the limit of "+models.FormatBytes(s.MaxUploadBytes)+".")
			c.Abort()
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		c.Next()
	}
}

// uploadMedia stores a file sent from the media page.
func (s *Server) uploadMedia(c *gin.Context) {
	file, header, err := c.Request.FormFile("file")
	if err != nil {
		s.renderMedia(c, http.StatusBadRequest, "Choose an image to upload.")
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, s.MaxUploadBytes+1))
	if err != nil {
		s.renderError(c, err)
		return
	}
	m, err := models.NewMedia(header.Filename, data, s.MaxUploadBytes)
	if fields := models.FieldErrors(err); fields != nil {
		s.renderMedia(c, http.StatusBadRequest, fields["file"])
		return
	}
	if err == nil {
		_, err = s.Media.AddMedia(c.Request.Context(), m)
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	if c.PostForm("purpose") == "icon" { // from the settings page
		s.useAsIcon(c, m)
		return
	}
	if wantsJSON(c) { // the editor inserts ![name](url) itself
		c.JSON(http.StatusCreated, gin.H{"url": m.Path(), "name": m.Name})
		return
	}
	s.flash(c, "Uploaded "+m.Name+".")
	redirect(c, "/admin/media")
}

func (s *Server) deleteMedia(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		err = models.ErrNotFound
	} else {
		err = s.Media.DeleteMedia(c.Request.Context(), id)
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.flash(c, "Deleted.")
	redirect(c, "/admin/media")
}
