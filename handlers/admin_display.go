package handlers

import (
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// displayForm reads the time zone, date format and icon choice from the
// settings form into site; the icon itself is uploaded on its own form
// (uploadMedia with purpose=icon) and kept unless removed here.
func (s *Server) displayForm(c *gin.Context, site *models.Site, ve *models.ValidationError) {
	tz := strings.TrimSpace(c.PostForm("timezone"))
	if tz == "UTC" {
		tz = ""
	}
	if err := site.SetTimezone(tz); err != nil {
		ve.Add("timezone", models.FieldErrors(err)["timezone"])
	}
	site.DateFormat = c.PostForm("date_format")
	if current, err := s.site.get(c.Request.Context()); err == nil && c.PostForm("remove_icon") == "" {
		site.Icon = current.Icon
	}
}

// displayChoices fills the settings page's lists: zones to suggest, and
// each date format shown with today's date.
func displayChoices(page *views.SettingsPage, now time.Time) {
	page.Timezones = commonTimezones
	for _, layout := range models.DateFormats {
		page.DateFormats = append(page.DateFormats, views.DateFormatChoice{Layout: layout, Example: now.Format(layout),
			Selected: layout == page.Form.DateFormat})
	}
}

// commonTimezones are suggested in the settings; any IANA name is accepted.
var commonTimezones = []string{"UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome",
	"Europe/Amsterdam", "Europe/Stockholm", "Europe/Warsaw", "Europe/Athens", "Europe/Moscow", "Africa/Cairo",
	"Africa/Johannesburg", "Africa/Lagos", "Asia/Dubai", "Asia/Kolkata", "Asia/Bangkok", "Asia/Shanghai",
	"Asia/Singapore", "Asia/Tokyo", "Asia/Seoul", "Australia/Sydney", "Australia/Perth", "Pacific/Auckland",
	"America/Sao_Paulo", "America/Argentina/Buenos_Aires", "America/New_York", "America/Chicago",
	"America/Denver", "America/Los_Angeles", "America/Anchorage", "America/Mexico_City", "America/Toronto",
	"Pacific/Honolulu"}

// useAsIcon makes an uploaded image the site icon.
func (s *Server) useAsIcon(c *gin.Context, m *models.Media) {
	if !strings.HasPrefix(m.Mime, "image/") {
		s.flash(c, "The site icon must be an image.")
		redirect(c, "/admin/settings")
		return
	}
	if err := s.Settings.SetSettings(c.Request.Context(), map[string]string{models.SettingIcon: m.Path()}); err != nil {
		s.renderError(c, err)
		return
	}
	s.Changes.Changed(c.Request.Context(), models.Change{Kind: models.ChangeAll}) // every page links the icon
	s.flash(c, "The site icon is now "+m.Name+".")
	redirect(c, "/admin/settings?saved=1")
}
