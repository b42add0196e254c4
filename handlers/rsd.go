package handlers

import (
	"encoding/xml"
	"net/http"

	"github.com/gin-gonic/gin"
)

// rsdDoc is Really Simple Discovery: it tells blog editors where the
// XML-RPC endpoint is and which APIs it speaks.
type rsdDoc struct {
	XMLName xml.Name `xml:"rsd"`
	Version string   `xml:"version,attr"`
	NS      string   `xml:"xmlns,attr"`
	Engine  string   `xml:"service>engineName"`
	Home    string   `xml:"service>homePageLink"`
	APIs    []rsdAPI `xml:"service>apis>api"`
}

type rsdAPI struct {
	Name      string `xml:"name,attr"`
	BlogID    string `xml:"blogID,attr"`
	Preferred bool   `xml:"preferred,attr"`
	APILink   string `xml:"apiLink,attr"`
}

// rsd serves /rsd.xml, linked from every page's head as EditURI.
func (s *Server) rsd(c *gin.Context) {
	endpoint := s.BaseURL + "/xmlrpc"
	doc := rsdDoc{Version: "1.0", NS: "http://archipelago.phrasewise.com/rsd", Engine: "Crosstalk", Home: s.BaseURL + "/"}
	for _, name := range []string{"MetaWeblog", "MovableType", "Blogger", "WordPress"} {
		doc.APIs = append(doc.APIs, rsdAPI{Name: name, BlogID: blogID, Preferred: name == "MetaWeblog", APILink: endpoint})
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "application/rsd+xml; charset=utf-8", append([]byte(xml.Header), out...))
}
