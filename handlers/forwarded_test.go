package handlers

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

func TestForwardedHeadersOnlyFromTrustedProxies(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{})
	tests := []struct {
		name    string
		trusted []string
		want    string
	}{
		{"no proxy trusted", nil, "/admin"},
		{"another proxy trusted", []string{"10.0.0.0/8"}, "/admin"},
		{"this proxy trusted", []string{"127.0.0.1"}, "/blog/admin"},
		{"this network trusted", []string{"127.0.0.0/8", "::1"}, "/blog/admin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := forwardedFilter(e.engine(e.store, nil), tt.trusted)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			req, _ := http.NewRequest("GET", srv.URL+"/admin/", nil)
			req.Header.Set("X-Forwarded-Prefix", "/blog")
			res, err := e.client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if loc := res.Header.Get("Location"); res.StatusCode/100 != 3 || loc != tt.want {
				t.Errorf("%d Location %q, want %q", res.StatusCode, loc, tt.want)
			}
		})
	}
	if _, err := forwardedFilter(http.NotFoundHandler(), []string{"proxy.example"}); err == nil {
		t.Error("a host name was accepted as a trusted proxy")
	}
}
