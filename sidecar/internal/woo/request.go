package woo

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
)

// request is one logical call; it may take several attempts.
type request struct {
	method string
	route  string     // REST route, e.g. "/wc/v3/products" ("/" = index)
	query  url.Values // without auth parameters
	body   any        // JSON body or nil
	write  bool       // never retried
	noAuth bool       // anonymous
	plain  bool       // force the ?rest_route= form (discovery)
}

// response is a raw answer.
type response struct {
	status int
	header http.Header
	body   []byte
	url    *url.URL // the URL requested
}

func (r request) what() string { return r.route }

// send performs req and maps any non-2xx answer to an *Error.
func (c *Client) send(ctx context.Context, req request) (*response, error) {
	resp, err := c.exchange(ctx, req)
	if err != nil {
		return nil, err
	}
	if resp.status < 200 || resp.status > 299 {
		return resp, c.mapResponse(req, resp)
	}
	return resp, nil
}

// getJSON GETs route and decodes a 2xx answer into out.
func (c *Client) getJSON(ctx context.Context, route string, q url.Values, out any) (*response, error) {
	resp, err := c.send(ctx, request{method: http.MethodGet, route: route, query: q})
	if err != nil {
		return resp, err
	}
	return resp, decodeJSON(resp, req2what(http.MethodGet, route), out)
}

func req2what(method, route string) string { return method + " " + route }

func decodeJSON(resp *response, what string, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.body, out); err != nil {
		snippet := string(resp.body)
		if len(snippet) > 120 {
			snippet = snippet[:120] + "…"
		}
		return newError(ErrBadResponse, resp.status, "", fmt.Sprintf("%s: the answer is not the expected JSON (%v): %q.", what, err, snippet), err)
	}
	return nil
}

// mapResponse turns a non-2xx answer into an *Error.
func (c *Client) mapResponse(req request, resp *response) *Error {
	what := req.what()
	if resp.status >= 300 && resp.status < 400 && isWordPressSelfRedirect(resp) {
		c.disc.Store(nil) // permalinks changed: rediscover on the next call
		return newError(ErrPlainPermalinks, resp.status, "", fmt.Sprintf("%s %s redirected to itself (plain permalinks).", req.method, what), nil)
	}
	if resp.status >= 300 && resp.status < 400 {
		loc := resp.header.Get("Location")
		if resp.url != nil {
			if u, err := resp.url.Parse(loc); err == nil {
				loc = redactURL(u.String())
			}
		}
		return &Error{Status: resp.status, Code: CodeBadResponse,
			Message: fmt.Sprintf("%s %s: the store redirected to %s.", req.method, what, loc),
			Fix:     "Set the store URL to the address the site redirects to (check https and www)."}
	}
	var body wooErrorBody
	_ = json.Unmarshal(resp.body, &body)
	e := mapStatus(resp.status, body, req.method, what)
	if e.Code == CodeRateLimited {
		if ra, ok := backoff.RetryAfter(resp.header.Get("Retry-After"), c.cfg.Now()); ok {
			e.Message += fmt.Sprintf(" Retry after %s.", ra.Round(time.Second))
		}
	}
	return e
}

// isWordPressSelfRedirect: plain permalinks make /wp-json/… answer 301 to
// itself (or to itself with a trailing slash) with X-Redirect-By: WordPress.
// The host may change to the home URL's (redirect_canonical); a REST
// request with pretty permalinks never reaches redirect_canonical, so a
// WordPress redirect of a /wp-json path to the same path means plain
// permalinks. Server-level redirects (http → https in nginx) carry no
// X-Redirect-By and are reported as redirects.
func isWordPressSelfRedirect(resp *response) bool {
	if !strings.EqualFold(resp.header.Get("X-Redirect-By"), "WordPress") || resp.url == nil {
		return false
	}
	loc, err := resp.url.Parse(resp.header.Get("Location"))
	if err != nil {
		return false
	}
	return strings.Contains(loc.Path, "/wp-json") &&
		strings.TrimSuffix(loc.Path, "/") == strings.TrimSuffix(resp.url.Path, "/")
}

// authFallback runs when Basic over HTTPS arrived anonymous (401
// woocommerce_rest_cannot_view): WooCommerce reads Basic only from
// PHP_AUTH_USER, which FastCGI hosts lose. It tries the key as query
// parameters, then — for a TLS-terminating proxy that hides HTTPS from PHP,
// where WooCommerce only runs OAuth 1.0a — an OAuth 1.0a signature. The
// first that is not anonymous becomes the client's auth method. A 401 means
// WooCommerce did nothing, so this is safe for writes too.
func (c *Client) authFallback(ctx context.Context, req request, resp *response) (*response, error) {
	for _, mode := range []string{AuthQuery, AuthOAuth1} {
		next, err := c.attempt(ctx, req, mode)
		if err != nil {
			return nil, err
		}
		resp = next
		if resp.status == http.StatusUnauthorized && basicLost(resp) {
			continue // still anonymous
		}
		if resp.status != http.StatusUnauthorized && c.authMode.CompareAndSwap(AuthBasic, mode) {
			c.log.WarnContext(ctx, "woo: Basic auth did not reach WooCommerce; switched auth method", "auth_method", mode)
		}
		return resp, nil
	}
	return resp, nil
}

// exchange performs req with auth, the concurrency bound, the per-attempt
// timeout, the Basic → query → OAuth 1.0a fallback, and (reads only) retries
// with backoff that honours Retry-After. Any HTTP status is returned as a
// response; only transport failures are errors.
func (c *Client) exchange(ctx context.Context, req request) (*response, error) {
	if !req.noAuth {
		if err := c.ensureDiscovered(ctx); err != nil {
			return nil, err
		}
	}
	triedFallback := false
	for attempt := 0; ; attempt++ {
		mode := c.AuthMethod()
		resp, err := c.attempt(ctx, req, mode)
		if !triedFallback && err == nil && !req.noAuth && mode == AuthBasic && resp.status == http.StatusUnauthorized && basicLost(resp) {
			triedFallback = true
			resp, err = c.authFallback(ctx, req, resp)
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("woo %s %s: %w", req.method, req.what(), context.Cause(ctx))
		}
		wait, retry := c.shouldRetry(req, resp, err, attempt)
		if !retry {
			if err != nil {
				return nil, mapTransportError(err, req)
			}
			return resp, nil
		}
		attrs := []any{slog.String("method", req.method), slog.String("route", req.route), slog.Int("attempt", attempt+1), slog.Duration("wait", wait)}
		if err != nil {
			attrs = append(attrs, slog.String("error", err.Error()))
		} else {
			attrs = append(attrs, slog.Int("status", resp.status))
		}
		c.log.InfoContext(ctx, "woo: retrying read", attrs...)
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("woo %s %s: %w", req.method, req.what(), err)
		}
	}
}

// attempt sends req once with the given auth mode.
func (c *Client) attempt(ctx context.Context, req request, mode string) (*response, error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
	defer func() { <-c.sem }()

	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	if req.noAuth {
		mode = ""
	}
	actx = withAuthMode(actx, mode)
	r := c.rc.R().SetContext(actx)
	if req.body != nil {
		r.SetHeader("Content-Type", "application/json").SetBody(req.body)
	}
	extra := url.Values{}
	if !req.noAuth {
		switch mode {
		case AuthBasic:
			r.SetBasicAuth(c.cfg.ConsumerKey, c.cfg.ConsumerSecret)
		case AuthQuery:
			extra.Set("consumer_key", c.cfg.ConsumerKey)
			extra.Set("consumer_secret", c.cfg.ConsumerSecret)
		}
	}
	rawURL := c.buildURL(req.route, req.query, extra, req.plain)
	start := time.Now()
	resp, err := r.Execute(req.method, rawURL)
	if err != nil {
		c.log.DebugContext(ctx, "woo request failed", "method", req.method, "route", req.route, "auth", mode, "duration", time.Since(start))
		return nil, err
	}
	c.log.DebugContext(ctx, "woo request", "method", req.method, "route", req.route, "auth", mode, "status", resp.StatusCode(), "duration", time.Since(start))
	out := &response{status: resp.StatusCode(), header: resp.Header(), body: resp.Body()}
	if resp.RawResponse != nil && resp.RawResponse.Request != nil {
		out.url = resp.RawResponse.Request.URL
	}
	return out, nil
}

// buildURL builds the request URL. Pretty permalinks: /wp-json/<route>.
// Plain permalinks: /?rest_route=<route>&…&wp-json/wc/ — WooCommerce runs
// its key authentication only when the request URI contains "wp-json/wc/",
// so the marker is added as a dummy parameter.
func (c *Client) buildURL(route string, q, extra url.Values, plain bool) string {
	if d := c.disc.Load(); d != nil && d.plain {
		plain = true
	}
	var parts []string
	u := c.base.String() + "/wp-json" + route
	if plain {
		u = c.base.String() + "/"
		parts = append(parts, "rest_route="+route)
	}
	if len(q) > 0 {
		parts = append(parts, q.Encode())
	}
	if len(extra) > 0 {
		parts = append(parts, extra.Encode())
	}
	if plain && strings.HasPrefix(route, "/wc/") {
		parts = append(parts, "wp-json/wc/")
	}
	if len(parts) == 0 {
		return u
	}
	return u + "?" + strings.Join(parts, "&")
}
