package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/postcard-ssg/postcard/functions/vote"
)

// adapter turns API Gateway proxy events into http.Requests for the vote
// handler and its answers back into proxy responses. It speaks both payload
// formats: 1.0 (REST APIs, Netlify Functions) and 2.0 (HTTP APIs, function
// URLs).
type adapter struct {
	h        http.Handler
	ipHeader string
	store    io.Closer
}

// netlifyPrefix is where Netlify serves functions; netlify.toml rewrites
// /api/* there, and the handler is mounted at /api/votes.
const netlifyPrefix = "/.netlify/functions/vote"

func (a *adapter) invoke(ctx context.Context, raw json.RawMessage) (any, error) {
	var probe struct {
		Version string `json:"version"`
	}
	json.Unmarshal(raw, &probe)
	if probe.Version == "2.0" {
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, err
		}
		return a.v2(ctx, ev), nil
	}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(raw, &ev); err != nil {
		return nil, err
	}
	return a.v1(ctx, ev), nil
}

func (a *adapter) v1(ctx context.Context, ev events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	q := url.Values{}
	for k, vs := range ev.MultiValueQueryStringParameters {
		q[k] = vs
	}
	for k, v := range ev.QueryStringParameters {
		if _, ok := q[k]; !ok {
			q.Set(k, v)
		}
	}
	header := http.Header{}
	for k, vs := range ev.MultiValueHeaders {
		for _, v := range vs {
			header.Add(k, v)
		}
	}
	for k, v := range ev.Headers {
		if header.Get(k) == "" {
			header.Set(k, v)
		}
	}
	w := a.serve(ctx, ev.HTTPMethod, ev.Path, q.Encode(), header, ev.Body, ev.IsBase64Encoded, ev.RequestContext.Identity.SourceIP)
	return events.APIGatewayProxyResponse{
		StatusCode:        w.Code,
		MultiValueHeaders: w.Header(),
		Body:              w.Body.String(),
	}
}

func (a *adapter) v2(ctx context.Context, ev events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	// Payload 2.0 joins repeated headers with commas, as HTTP allows.
	header := http.Header{}
	for k, v := range ev.Headers {
		header.Set(k, v)
	}
	if len(ev.Cookies) > 0 {
		header.Set("Cookie", strings.Join(ev.Cookies, "; "))
	}
	w := a.serve(ctx, ev.RequestContext.HTTP.Method, ev.RawPath, ev.RawQueryString, header, ev.Body, ev.IsBase64Encoded, ev.RequestContext.HTTP.SourceIP)
	h := w.Header()
	cookies := h.Values("Set-Cookie")
	h.Del("Set-Cookie")
	return events.APIGatewayV2HTTPResponse{
		StatusCode:        w.Code,
		MultiValueHeaders: h,
		Body:              w.Body.String(),
		Cookies:           cookies,
	}
}

func (a *adapter) serve(ctx context.Context, method, path, rawQuery string, header http.Header, body string, b64 bool, sourceIP string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	data := []byte(body)
	if b64 {
		var err error
		if data, err = base64.StdEncoding.DecodeString(body); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return w
		}
	}
	if p, ok := strings.CutPrefix(path, netlifyPrefix); ok {
		if strings.HasPrefix(p, "/submissions") {
			path = "/api" + p
		} else {
			path = "/api/votes" + strings.TrimPrefix(p, "/votes")
		}
	}
	u := &url.URL{Path: path, RawQuery: rawQuery}
	r, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(data))
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return w
	}
	r.Header = header
	r.Host = header.Get("Host")
	r.ContentLength = int64(len(data))
	addr, err := netip.ParseAddr(sourceIP)
	if err != nil && a.ipHeader != "" {
		addr, err = netip.ParseAddr(strings.TrimSpace(header.Get(a.ipHeader)))
	}
	if err == nil {
		r = r.WithContext(vote.WithClientAddr(ctx, addr.Unmap()))
	}
	a.h.ServeHTTP(w, r)
	return w
}
