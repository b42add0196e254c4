package xmlrpcapi

import (
	"encoding/xml"
	"net/http"
	"strconv"
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

// RSD serves /rsd.xml, linked from every page's head as EditURI.
func (a *API) RSD(w http.ResponseWriter, _ *http.Request) {
	endpoint := a.BaseURL + "/xmlrpc"
	doc := rsdDoc{Version: "1.0", NS: "http://archipelago.phrasewise.com/rsd", Engine: "Crosstalk", Home: a.BaseURL + "/"}
	for _, name := range []string{"MetaWeblog", "MovableType", "Blogger", "WordPress"} {
		doc.APIs = append(doc.APIs, rsdAPI{Name: name, BlogID: blogID, Preferred: name == "MetaWeblog", APILink: endpoint})
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil { // a struct of strings always marshals
		a.Log.Error("rsd", "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	body := append([]byte(xml.Header), out...)
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("Content-Type", "application/rsd+xml; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
