package markup

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
)

// bareLinkPara is a paragraph holding one link and nothing else, as the
// sanitiser writes a URL alone on its line.
var bareLinkPara = regexp.MustCompile(`<p><a href="([^"<>]+)"(?: rel="[^"]*")?>([^<]+)</a></p>`)

var (
	youTubeID  = regexp.MustCompile(`^[A-Za-z0-9_-]{11}$`)
	vimeoID    = regexp.MustCompile(`^/(\d{1,12})/?$`)
	mastodonPt = regexp.MustCompile(`^/@[A-Za-z0-9_]{1,30}(?:@[A-Za-z0-9.-]{1,253})?/(\d{1,20})/?$`)
	hostName   = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,62}\.)+[a-z]{2,63}$`)
)

// Embed is a video or a post from another site that a link stands for.
type Embed struct {
	Provider string // YouTube, Vimeo, Mastodon
	Src      string // the iframe's address, privacy-friendly where the site has one
	Title    string
}

// embedFor finds the embed a link stands for: YouTube and Vimeo videos
// and Mastodon posts, over https only.
func embedFor(raw string) (Embed, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.User != nil || u.Port() != "" {
		return Embed{}, false
	}
	host := strings.ToLower(u.Hostname())
	switch host {
	case "youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be":
		id := u.Query().Get("v")
		switch {
		case host == "youtu.be":
			id = strings.Trim(u.Path, "/")
		case strings.HasPrefix(u.Path, "/shorts/"), strings.HasPrefix(u.Path, "/embed/"), strings.HasPrefix(u.Path, "/live/"):
			id = u.Path[strings.LastIndex(strings.TrimSuffix(u.Path, "/"), "/")+1:]
		case u.Path != "/watch":
			return Embed{}, false
		}
		if !youTubeID.MatchString(id) {
			return Embed{}, false
		}
		return Embed{Provider: "YouTube", Title: "YouTube video", Src: "https://www.youtube-nocookie.com/embed/" + id}, true
	case "vimeo.com", "www.vimeo.com":
		m := vimeoID.FindStringSubmatch(u.Path)
		if m == nil {
			return Embed{}, false
		}
		return Embed{Provider: "Vimeo", Title: "Vimeo video", Src: "https://player.vimeo.com/video/" + m[1] + "?dnt=1"}, true
	}
	// Mastodon (and compatible servers) on any host: /@user/123456.
	if hostName.MatchString(host) && mastodonPt.MatchString(u.Path) {
		return Embed{Provider: "Mastodon", Title: "Post on " + host,
			Src: "https://" + host + strings.TrimSuffix(u.Path, "/") + "/embed"}, true
	}
	return Embed{}, false
}

// embeds turns a YouTube, Vimeo or Mastodon link alone on its line into a
// click-to-load placeholder: nothing is fetched from the other site until
// the reader presses the button (app.js then adds the iframe). Without
// script the link stays a link. It runs on sanitised HTML and writes only
// markup it builds itself, so the sanitiser still removes every iframe a
// writer types.
func embeds(sanitised string) string {
	if !strings.Contains(sanitised, "<p><a href=\"https://") {
		return sanitised
	}
	return bareLinkPara.ReplaceAllStringFunc(sanitised, func(para string) string {
		m := bareLinkPara.FindStringSubmatch(para)
		href, text := html.UnescapeString(m[1]), html.UnescapeString(m[2])
		if strings.TrimSpace(text) != href {
			return para // a link with words of its own stays a link
		}
		e, ok := embedFor(href)
		if !ok {
			return para
		}
		what := "video"
		if e.Provider == "Mastodon" {
			what = "post"
		}
		src, _ := url.Parse(e.Src)
		return fmt.Sprintf(`<figure class="embed embed-%s" data-embed-src="%s" data-embed-title="%s">`+
			`<p class="embed-note">%s %s. Loading it connects to %s, which then sees your visit.</p>`+
			`<p><button type="button" class="embed-load" hidden>Load %s</button></p>`+
			`<figcaption><a href="%s">%s</a></figcaption></figure>`,
			strings.ToLower(e.Provider), html.EscapeString(e.Src), html.EscapeString(e.Title),
			html.EscapeString(e.Provider), what, html.EscapeString(src.Host), what,
			m[1], m[2])
	})
}

// EmbedHosts lists the hosts of the click-to-load embeds in page (the
// frame-src a page needs), without repeats.
func EmbedHosts(page []byte) []string {
	const attr = `data-embed-src="https://`
	var hosts []string
	seen := map[string]bool{}
	s := string(page)
	for {
		i := strings.Index(s, attr)
		if i < 0 {
			return hosts
		}
		s = s[i+len(attr):]
		end := strings.IndexAny(s, `/"?`)
		if end < 0 {
			return hosts
		}
		if h := s[:end]; hostName.MatchString(h) && !seen[h] {
			seen[h] = true
			hosts = append(hosts, h)
		}
	}
}
