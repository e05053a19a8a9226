package woo

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/go-resty/resty/v2"
)

// authModeKey carries the auth mode of one attempt in its context: ""
// (anonymous), AuthBasic, AuthQuery or AuthOAuth1.
type authModeKey struct{}

func withAuthMode(ctx context.Context, mode string) context.Context {
	return context.WithValue(ctx, authModeKey{}, mode)
}

func authModeOf(ctx context.Context) string { v, _ := ctx.Value(authModeKey{}).(string); return v }

// signOAuth1 is the resty OnBeforeRequest hook. It runs on every attempt,
// so each one carries a fresh nonce and timestamp (WooCommerce rejects a
// reused nonce).
func (c *Client) signOAuth1(_ *resty.Client, r *resty.Request) error {
	if authModeOf(r.Context()) != AuthOAuth1 {
		return nil
	}
	u, err := url.Parse(r.URL)
	if err != nil {
		return fmt.Errorf("oauth1: parse %q: %w", r.URL, err)
	}
	params := u.Query()
	for k, vs := range r.QueryParam {
		if !strings.HasPrefix(k, "oauth_") {
			params[k] = vs
		}
	}
	nonce, err := newNonce()
	if err != nil {
		return err
	}
	oauth := map[string]string{
		"oauth_consumer_key":     c.cfg.ConsumerKey,
		"oauth_nonce":            nonce,
		"oauth_signature_method": c.cfg.OAuthSignatureMethod,
		"oauth_timestamp":        strconv.FormatInt(c.cfg.Now().Unix(), 10),
	}
	for k, v := range oauth {
		params.Set(k, v)
	}
	baseURL := oauthBaseURL(c.homeURL(), u.EscapedPath())
	sig, err := oauth1Signature(r.Method, baseURL, params, c.cfg.ConsumerSecret, c.cfg.OAuthSignatureMethod)
	if err != nil {
		return err
	}
	for k, v := range oauth {
		r.QueryParam.Set(k, v)
	}
	r.QueryParam.Set("oauth_signature", sig)
	return nil
}

// oauthBaseURL is what WooCommerce signs over plain HTTP:
// get_home_url(null, request_path, 'http'), where request_path is the
// requested path minus the home path prefix. The home's host and port are
// used, not the address the request went to; an empty remainder gives no
// trailing slash.
func oauthBaseURL(home *url.URL, reqPath string) string {
	homePath := strings.TrimRight(home.EscapedPath(), "/")
	rest := reqPath
	if wpBase := homePath + "/"; strings.HasPrefix(rest, wpBase) {
		rest = rest[len(wpBase):]
	}
	u := "http://" + home.Host + homePath
	if rest != "" {
		u += "/" + strings.TrimLeft(rest, "/")
	}
	return u
}

// oauth1Signature computes the signature exactly like WooCommerce's
// WC_REST_Authentication::check_oauth_signature: parameters (query string,
// oauth_* except the signature) sorted by raw key, keys and values
// RFC 3986-encoded, "k=v" encoded again and joined with %26; the string
// to sign is METHOD&enc(baseURL)&that; the key is secret + "&".
func oauth1Signature(method, baseURL string, params url.Values, secret, sigMethod string) (string, error) {
	var newHash func() hash.Hash
	switch sigMethod {
	case "HMAC-SHA256":
		newHash = sha256.New
	case "HMAC-SHA1":
		newHash = sha1.New
	default:
		return "", fmt.Errorf("oauth1: unsupported signature method %q", sigMethod)
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "oauth_signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	pairs := make([]string, 0, len(keys))
	for _, k := range keys {
		vs := params[k]
		v := ""
		if len(vs) > 0 {
			v = vs[len(vs)-1] // PHP keeps the last value of a repeated key
		}
		pairs = append(pairs, rfc3986(rfc3986(k)+"="+rfc3986(v)))
	}
	toSign := strings.ToUpper(method) + "&" + rfc3986(baseURL) + "&" + strings.Join(pairs, "%26")
	mac := hmac.New(newHash, []byte(secret+"&"))
	mac.Write([]byte(toSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// rfc3986 is PHP's rawurlencode: everything but A-Z a-z 0-9 - _ . ~ is %XX.
func rfc3986(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if 'A' <= ch && ch <= 'Z' || 'a' <= ch && ch <= 'z' || '0' <= ch && ch <= '9' || ch == '-' || ch == '_' || ch == '.' || ch == '~' {
			b.WriteByte(ch)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", ch)
	}
	return b.String()
}

func newNonce() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("oauth1 nonce: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}
