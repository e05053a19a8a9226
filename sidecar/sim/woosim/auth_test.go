package woosim

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/json"
	"hash"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// oauthURL signs path?query for a GET over plain HTTP, as a client of
// WooCommerce must: over the home host:port with scheme http.
func oauthURL(env *simEnv, h func() hash.Hash, method, path string, extra url.Values, nonce string, ts int64, signBase string) string {
	params := map[string]string{}
	for k, v := range extra {
		params[k] = v[0]
	}
	params["oauth_consumer_key"] = testCK
	params["oauth_nonce"] = nonce
	params["oauth_signature_method"] = map[bool]string{true: "HMAC-SHA1", false: "HMAC-SHA256"}[h().Size() == sha1.Size]
	params["oauth_timestamp"] = strconv.FormatInt(ts, 10)
	if signBase == "" {
		signBase = OAuthBaseURL(env.sim.HomeURL(), path)
	}
	sig := OAuthSignature(h, method, signBase, params, testCS)
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var q []string
	for _, k := range keys {
		q = append(q, url.QueryEscape(k)+"="+url.QueryEscape(params[k]))
	}
	q = append(q, "oauth_signature="+url.QueryEscape(sig))
	return env.plain.URL + path + "?" + strings.Join(q, "&")
}

type wcError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func send(t *testing.T, c *http.Client, req *http.Request) (int, wcError, http.Header) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e wcError
	if resp.StatusCode >= 400 {
		_ = json.Unmarshal(raw, &e)
	}
	return resp.StatusCode, e, resp.Header
}

func TestAuthentication(t *testing.T) {
	env := newSimEnv(t, Options{})
	ro := newSimEnv(t, Options{ReadOnlyKey: true})
	now := env.clock.Now().Unix()
	products := "/wp-json/wc/v3/products"
	q := url.Values{"per_page": {"2"}, "_fields": {"id,sku"}}
	tests := []struct {
		name     string
		env      *simEnv
		build    func() *http.Request
		tls      bool
		wantCode int
		wantErr  string
		wantMsg  string
	}{
		{"https basic", env, func() *http.Request {
			r, _ := http.NewRequest("GET", env.tls.URL+products, nil)
			r.SetBasicAuth(testCK, testCS)
			return r
		}, true, 200, "", ""},
		{"https query keys", env, func() *http.Request {
			r, _ := http.NewRequest("GET", env.tls.URL+products+"?consumer_key="+testCK+"&consumer_secret="+testCS, nil)
			return r
		}, true, 200, "", ""},
		{"https anonymous", env, func() *http.Request {
			r, _ := http.NewRequest("GET", env.tls.URL+products, nil)
			return r
		}, true, 401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources."},
		{"https wrong secret", env, func() *http.Request {
			r, _ := http.NewRequest("GET", env.tls.URL+products, nil)
			r.SetBasicAuth(testCK, "cs_nope")
			return r
		}, true, 401, "woocommerce_rest_authentication_error", "Consumer secret is invalid."},
		{"https wrong key", env, func() *http.Request {
			r, _ := http.NewRequest("GET", env.tls.URL+products, nil)
			r.SetBasicAuth("ck_nope", testCS)
			return r
		}, true, 401, "woocommerce_rest_authentication_error", "Consumer key is invalid."},
		{"http basic is ignored", env, func() *http.Request {
			r, _ := http.NewRequest("GET", env.plain.URL+products, nil)
			r.SetBasicAuth(testCK, testCS)
			return r
		}, false, 401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources."},
		{"http oauth1 sha256", env, func() *http.Request {
			r, _ := http.NewRequest("GET", oauthURL(env, sha256.New, "GET", products, q, "n1", now, ""), nil)
			return r
		}, false, 200, "", ""},
		{"http oauth1 sha1", env, func() *http.Request {
			r, _ := http.NewRequest("GET", oauthURL(env, sha1.New, "GET", products, q, "n2", now, ""), nil)
			return r
		}, false, 200, "", ""},
		{"http oauth1 reused nonce", env, func() *http.Request {
			r, _ := http.NewRequest("GET", oauthURL(env, sha1.New, "GET", products, q, "n2", now, ""), nil)
			return r
		}, false, 401, "woocommerce_rest_authentication_error", "Invalid nonce - nonce has already been used."},
		{"http oauth1 signed over the requested URL", env, func() *http.Request {
			r, _ := http.NewRequest("GET", oauthURL(env, sha256.New, "GET", products, q, "n3", now, env.plain.URL+products), nil)
			return r
		}, false, 401, "woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match."},
		{"http oauth1 stale timestamp", env, func() *http.Request {
			r, _ := http.NewRequest("GET", oauthURL(env, sha256.New, "GET", products, q, "n4", now-16*60, ""), nil)
			return r
		}, false, 401, "woocommerce_rest_authentication_error", "Invalid timestamp."},
		{"http oauth1 missing parameter", env, func() *http.Request {
			r, _ := http.NewRequest("GET", env.plain.URL+products+"?oauth_consumer_key="+testCK, nil)
			return r
		}, false, 401, "woocommerce_rest_authentication_missing_parameter", "Missing OAuth parameter oauth_timestamp, oauth_nonce, oauth_signature, oauth_signature_method"},
		{"rest_route without the wp-json/wc/ marker", env, func() *http.Request {
			r, _ := http.NewRequest("GET", env.tls.URL+"/?rest_route=/wc/v3/products", nil)
			r.SetBasicAuth(testCK, testCS)
			return r
		}, true, 401, "woocommerce_rest_cannot_view", ""},
		{"rest_route with the marker", env, func() *http.Request {
			r, _ := http.NewRequest("GET", env.tls.URL+"/?rest_route=/wc/v3/products&wp-json/wc/", nil)
			r.SetBasicAuth(testCK, testCS)
			return r
		}, true, 200, "", ""},
		{"read-only key writes", ro, func() *http.Request {
			r, _ := http.NewRequest("POST", ro.tls.URL+products+"/batch", strings.NewReader("{}"))
			r.SetBasicAuth(testCK, testCS)
			return r
		}, true, 401, "woocommerce_rest_authentication_error", "The API key provided does not have write permissions."},
		{"read-only key reads", ro, func() *http.Request {
			r, _ := http.NewRequest("GET", ro.tls.URL+products, nil)
			r.SetBasicAuth(testCK, testCS)
			return r
		}, true, 200, "", ""},
		{"read/write key empty batch probe", env, func() *http.Request {
			r, _ := http.NewRequest("POST", env.tls.URL+products+"/batch", strings.NewReader("{}"))
			r.SetBasicAuth(testCK, testCS)
			return r
		}, true, 200, "", ""},
		{"index needs no key", env, func() *http.Request {
			r, _ := http.NewRequest("GET", env.tls.URL+"/wp-json/", nil)
			return r
		}, true, 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.env.plainC
			if tt.tls {
				c = tt.env.tlsC
			}
			code, e, _ := send(t, c, tt.build())
			if code != tt.wantCode || e.Code != tt.wantErr || (tt.wantMsg != "" && e.Message != tt.wantMsg) {
				t.Fatalf("got %d %q %q, want %d %q %q", code, e.Code, e.Message, tt.wantCode, tt.wantErr, tt.wantMsg)
			}
		})
	}
}

func TestOAuthNonceForgottenAfterWindow(t *testing.T) {
	env := newSimEnv(t, Options{})
	path := "/wp-json/wc/v3/products"
	u := oauthURL(env, sha256.New, "GET", path, nil, "same", env.clock.Now().Unix(), "")
	if code, e, _ := send(t, env.plainC, mustReq(t, "GET", u)); code != 200 {
		t.Fatalf("first use: %d %v", code, e)
	}
	env.clock.Advance(20 * time.Minute)
	// WooCommerce purges expired nonces after checking the current one, so
	// another request has to come first.
	u = oauthURL(env, sha256.New, "GET", path, nil, "other", env.clock.Now().Unix(), "")
	if code, e, _ := send(t, env.plainC, mustReq(t, "GET", u)); code != 200 {
		t.Fatalf("other nonce: %d %v", code, e)
	}
	u = oauthURL(env, sha256.New, "GET", path, nil, "same", env.clock.Now().Unix(), "")
	if code, e, _ := send(t, env.plainC, mustReq(t, "GET", u)); code != 200 {
		t.Fatalf("nonce reused after the 15 min window: %d %v", code, e)
	}
}

func mustReq(t *testing.T, method, u string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestOAuthPlainPermalinksSignsHomeURL: with plain permalinks the request
// path is the home's "/", which WooCommerce strips before
// get_home_url(null, "", "http"): the signed base URL has no trailing slash.
func TestOAuthPlainPermalinksSignsHomeURL(t *testing.T) {
	env := newSimEnv(t, Options{PlainPermalinks: true})
	params := map[string]string{
		"rest_route": "/wc/v3/products", "wp-json/wc/": "", // WooCommerce authenticates only when the URI holds wp-json/wc/
		"oauth_consumer_key": testCK, "oauth_nonce": "plain-1", "oauth_signature_method": "HMAC-SHA256",
		"oauth_timestamp": strconv.FormatInt(env.clock.Now().Unix(), 10),
	}
	sig := OAuthSignature(sha256.New, "GET", "http://"+env.tls.Listener.Addr().String(), params, testCS)
	u := env.plain.URL + "/?rest_route=%2Fwc%2Fv3%2Fproducts&oauth_consumer_key=" + testCK + "&oauth_nonce=plain-1" +
		"&oauth_signature_method=HMAC-SHA256&oauth_timestamp=" + params["oauth_timestamp"] +
		"&oauth_signature=" + url.QueryEscape(sig) + "&wp-json/wc/"
	if code, e, _ := send(t, env.plainC, mustReq(t, "GET", u)); code != 200 {
		t.Fatalf("signed like WooCommerce: %d %v", code, e)
	}
}

func TestOAuthBaseURLLikeWooCommerce(t *testing.T) {
	for _, tt := range []struct{ home, path, want string }{
		{"https://127.0.0.1:8443", "/wp-json/wc/v3/products", "http://127.0.0.1:8443/wp-json/wc/v3/products"},
		{"https://127.0.0.1:8443", "/", "http://127.0.0.1:8443"},
		{"https://shop.example.com/wine", "/wine/wp-json/wc/v3/products", "http://shop.example.com/wine/wp-json/wc/v3/products"},
		{"https://shop.example.com/wine", "/wine/", "http://shop.example.com/wine"},
	} {
		if got := OAuthBaseURL(tt.home, tt.path); got != tt.want {
			t.Errorf("OAuthBaseURL(%s, %s) = %s, want %s", tt.home, tt.path, got, tt.want)
		}
	}
}
