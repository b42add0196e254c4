package handlers

import (
	"encoding/json"
	"time"
)

// jsonFeed is JSON Feed 1.1 (https://jsonfeed.org/version/1.1).
type jsonFeed struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Description string         `json:"description,omitempty"`
	Favicon     string         `json:"favicon,omitempty"`
	Language    string         `json:"language"`
	Authors     []jsonAuthor   `json:"authors,omitempty"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonFeedItem struct {
	ID            string   `json:"id"`
	URL           string   `json:"url"`
	Title         string   `json:"title"`
	ContentHTML   string   `json:"content_html"`
	Summary       string   `json:"summary,omitempty"`
	DatePublished string   `json:"date_published"`
	DateModified  string   `json:"date_modified,omitempty"`
	Tags          []string `json:"tags,omitempty"`
}

// jsonFeed writes the channel as JSON Feed 1.1; favicon is the site icon.
func (ch feedChannel) jsonFeed(favicon string) ([]byte, error) {
	doc := jsonFeed{Version: "https://jsonfeed.org/version/1.1", Title: ch.Title, HomePageURL: ch.Link,
		FeedURL: ch.Self, Description: ch.Description, Favicon: favicon, Language: "en",
		Authors: []jsonAuthor{{Name: ch.Author, URL: ch.Link}}, Items: []jsonFeedItem{}}
	for _, it := range ch.Items {
		item := jsonFeedItem{ID: it.Link, URL: it.Link, Title: it.Title, ContentHTML: it.ContentHTML,
			Summary: it.Summary, DatePublished: it.Published.UTC().Format(time.RFC3339)}
		if !it.Updated.IsZero() {
			item.DateModified = it.Updated.UTC().Format(time.RFC3339)
		}
		for _, t := range it.Tags {
			item.Tags = append(item.Tags, t.Name)
		}
		doc.Items = append(doc.Items, item)
	}
	return json.MarshalIndent(doc, "", "  ")
}
