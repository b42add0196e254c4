package models

import (
	"slices"
	"time"
)

// Setting keys of how the blog shows itself to readers.
const (
	SettingTimezone   = "site.timezone"
	SettingDateFormat = "site.date_format"
	SettingIcon       = "site.icon"
)

// DateFormats are the date formats the settings offer (Go layouts), the
// first being the default; WordPress offers much the same choice.
var DateFormats = []string{"2 January 2006", "January 2, 2006", "2006-01-02", "02/01/2006", "01/02/2006", "2 Jan 2006"}

// LoadTimezone reads an IANA time zone name ("Europe/Paris"); "" and
// "UTC" are UTC.
func LoadTimezone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		var ve ValidationError
		ve.Add("timezone", "Use a time zone name such as Europe/Paris or America/New_York.")
		return nil, ve.OrNil()
	}
	return loc, nil
}

// Location is the blog's time zone (UTC when unset or unknown).
func (s Site) Location() *time.Location {
	if s.location == nil {
		return time.UTC
	}
	return s.location
}

// FormatDate writes t as a date in the blog's zone and format.
func (s Site) FormatDate(t time.Time) string {
	layout := s.DateFormat
	if !slices.Contains(DateFormats, layout) {
		layout = DateFormats[0]
	}
	return t.In(s.Location()).Format(layout)
}

// readDisplay fills the display settings from raw settings.
func (s *Site) readDisplay(m map[string]string) {
	s.Timezone = m[SettingTimezone]
	if loc, err := LoadTimezone(s.Timezone); err == nil {
		s.location = loc
	} else {
		s.Timezone = ""
	}
	s.DateFormat = m[SettingDateFormat]
	if !slices.Contains(DateFormats, s.DateFormat) {
		s.DateFormat = DateFormats[0]
	}
	s.Icon = m[SettingIcon]
}

// SetTimezone sets the zone by name, refusing an unknown one.
func (s *Site) SetTimezone(name string) error {
	loc, err := LoadTimezone(name)
	if err != nil {
		return err
	}
	s.Timezone, s.location = name, loc
	return nil
}

func (s Site) displaySettings(m map[string]string) {
	m[SettingTimezone] = s.Timezone
	m[SettingDateFormat] = s.DateFormat
	m[SettingIcon] = s.Icon
}
