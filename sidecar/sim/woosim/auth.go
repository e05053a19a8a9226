package woosim

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"hash"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// oauthParams are the parameters WooCommerce requires for OAuth 1.0a.
var oauthParams = []string{"oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method"}

// authenticate is WC_REST_Authentication: Basic auth (or consumer_key and
// consumer_secret query parameters) only when the request is HTTPS, OAuth 1.0a
// only when it is not. It reports whether the request carries a valid key,
// or the error WooCommerce answers.
func (s *Sim) authenticate(r *http.Request, q query, method, home string) (bool, *restError) {
	var ck, cs string
	if r.TLS != nil && !s.opts.TLSTerminatedByProxy {
		if u, p, ok := r.BasicAuth(); ok && u != "" && !s.opts.DropBasicAuth {
			ck, cs = u, p
		} else if k, ok := q.get("consumer_key"); ok {
			ck, cs = k, q.value("consumer_secret")
		}
		if ck == "" {
			return false, nil
		}
		if !s.keyMatches(ck) {
			return false, errAuth("Consumer key is invalid.")
		}
		if subtle.ConstantTimeCompare([]byte(cs), []byte(s.opts.ConsumerSecret)) != 1 {
			return false, errAuth("Consumer secret is invalid.")
		}
		return s.checkPermission(method)
	}
	params := map[string]string{}
	for _, p := range q {
		params[p.key] = p.value
	}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "OAuth ") && !s.opts.DropBasicAuth {
		for _, part := range strings.Split(strings.TrimPrefix(h, "OAuth "), ",") {
			k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok {
				continue
			}
			v, _ = url.QueryUnescape(strings.Trim(v, `"`))
			params[k] = v
		}
	}
	found := false
	var missing []string
	for _, name := range oauthParams {
		if params[name] != "" {
			found = true
		} else {
			missing = append(missing, name)
		}
	}
	if !found {
		return false, nil
	}
	if len(missing) > 0 {
		return false, &restError{401, "woocommerce_rest_authentication_missing_parameter", "Missing OAuth parameter " + strings.Join(missing, ", "), nil}
	}
	if !s.keyMatches(params["oauth_consumer_key"]) {
		return false, errAuth("Consumer key is invalid.")
	}
	if e := s.checkOAuthSignature(r, method, home, params); e != nil {
		return false, e
	}
	ts, err := strconv.ParseInt(params["oauth_timestamp"], 10, 64)
	now := s.now().Unix()
	const window = 15 * 60
	if err != nil || ts < now-window || ts > now+window {
		return false, errAuth("Invalid timestamp.")
	}
	s.mu.Lock()
	nonce := params["oauth_nonce"]
	_, used := s.st.nonces[nonce]
	if !used {
		s.st.nonces[nonce] = time.Unix(ts, 0)
		for n, at := range s.st.nonces { // WooCommerce forgets nonces older than the window
			if at.Unix() < now-window {
				delete(s.st.nonces, n)
			}
		}
	}
	s.mu.Unlock()
	if used {
		return false, errAuth("Invalid nonce - nonce has already been used.")
	}
	return s.checkPermission(method)
}

func (s *Sim) keyMatches(ck string) bool {
	return s.opts.ConsumerKey != "" && subtle.ConstantTimeCompare([]byte(ck), []byte(s.opts.ConsumerKey)) == 1
}

// checkPermission is WC_REST_Authentication::check_permissions for the key.
func (s *Sim) checkPermission(method string) (bool, *restError) {
	if !s.opts.ReadOnlyKey {
		return true, nil
	}
	switch method {
	case http.MethodHead, http.MethodGet, http.MethodOptions:
		return true, nil
	}
	return false, errAuth("The API key provided does not have write permissions.")
}

// checkOAuthSignature recomputes the signature over WooCommerce's base string:
// METHOD & rawurlencode(get_home_url(null, path, "http")) & sorted parameters.
func (s *Sim) checkOAuthSignature(r *http.Request, method, home string, params map[string]string) *restError {
	base := OAuthBaseURL(home, r.URL.EscapedPath())
	sigMethod := params["oauth_signature_method"]
	var h func() hash.Hash
	switch sigMethod {
	case "HMAC-SHA1":
		h = sha1.New
	case "HMAC-SHA256":
		h = sha256.New
	default:
		return errAuth("Invalid signature - signature method is invalid.")
	}
	given := strings.ReplaceAll(params["oauth_signature"], " ", "+")
	if d, err := url.PathUnescape(given); err == nil {
		given = d
	}
	want := OAuthSignature(h, method, base, params, s.opts.ConsumerSecret)
	if !hmac.Equal([]byte(want), []byte(given)) {
		return errAuth("Invalid signature - provided signature does not match.")
	}
	return nil
}

// OAuthBaseURL is the URL WooCommerce signs over plain HTTP:
// get_home_url(null, request_path, "http"), where request_path is the
// requested path minus the home's path and "/" (so the home itself, as with
// plain permalinks' "/?rest_route=", is signed without a trailing slash).
func OAuthBaseURL(home, path string) string {
	hostport, homePath := home, ""
	if u, err := url.Parse(home); err == nil && u.Host != "" {
		hostport, homePath = u.Host, strings.TrimRight(u.EscapedPath(), "/")
	}
	rest := strings.TrimPrefix(path, homePath+"/")
	base := "http://" + hostport + homePath
	if rest != "" {
		base += "/" + strings.TrimLeft(rest, "/")
	}
	return base
}

// OAuthSignature computes base64(HMAC(secret&, string to sign)) as WooCommerce
// does; params are every query parameter (oauth_signature is ignored).
func OAuthSignature(h func() hash.Hash, method, baseURL string, params map[string]string, secret string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "oauth_signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		// join_with_equals_sign: rawurlencode(rawurlencode(k) . "=" . rawurlencode(v))
		parts = append(parts, rawURLEncode(rawURLEncode(k)+"="+rawURLEncode(params[k])))
	}
	toSign := strings.ToUpper(method) + "&" + rawURLEncode(baseURL) + "&" + strings.Join(parts, "%26")
	m := hmac.New(h, []byte(secret+"&"))
	m.Write([]byte(toSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
