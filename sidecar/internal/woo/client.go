package woo

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"
	"golang.org/x/time/rate"
)

// Auth methods, as reported in StoreInfo.AuthMethod.
const (
	AuthBasic  = "basic"
	AuthQuery  = "query"
	AuthOAuth1 = "oauth1"
)

const (
	pluginUnknown int32 = iota
	pluginPresent
	pluginAbsent
)

// Client talks to one WooCommerce store. It is safe for concurrent use.
type Client struct {
	cfg   Config
	base  *url.URL // store URL without trailing slash
	rc    *resty.Client
	log   *slog.Logger
	sem   chan struct{} // bounds requests in flight
	https bool

	authMode atomic.Value // string: AuthBasic, AuthQuery or AuthOAuth1
	plugin   atomic.Int32 // pluginUnknown / pluginPresent / pluginAbsent

	discMu sync.Mutex                // serialises discovery
	disc   atomic.Pointer[discovery] // nil until discovered
}

// New builds a client. It refuses an http:// store unless AllowHTTP is set
// (ErrHTTPSRequired) and an unreadable CAFile (ErrTLS). It makes no request.
func New(cfg Config) (*Client, error) {
	cfg.applyDefaults()
	base, err := cfg.parseStoreURL()
	if err != nil {
		return nil, err
	}
	transport := cfg.Transport
	if transport == nil {
		tlsCfg, err := cfg.tlsConfig()
		if err != nil {
			return nil, err
		}
		transport = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSClientConfig:       tlsCfg,
			TLSHandshakeTimeout:   10 * time.Second,
			MaxIdleConns:          cfg.MaxConcurrency * 2,
			MaxIdleConnsPerHost:   cfg.MaxConcurrency * 2,
			IdleConnTimeout:       90 * time.Second,
			ExpectContinueTimeout: time.Second,
			ForceAttemptHTTP2:     true,
		}
	}
	if cfg.RateLimit > 0 {
		transport = &limitedTransport{next: transport, lim: rate.NewLimiter(rate.Limit(cfg.RateLimit), cfg.MaxConcurrency)}
	}
	hc := &http.Client{
		Transport: transport,
		// Never follow redirects: /wp-json/ redirecting to itself is how
		// plain permalinks show, and a redirect on a write must not be
		// replayed as a GET.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	c := &Client{
		cfg:   cfg,
		base:  base,
		log:   cfg.Logger.With(slog.String("component", "woo")),
		sem:   make(chan struct{}, cfg.MaxConcurrency),
		https: base.Scheme == "https",
	}
	c.rc = resty.NewWithClient(hc).
		SetLogger(restyLogger{c.log}).
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", "ocw-sidecar (OnCloudWine for WooCommerce)").
		SetRetryCount(0). // retries are ours: reads only, Retry-After, fake sleeper in tests
		OnBeforeRequest(c.signOAuth1)
	if c.https {
		c.authMode.Store(AuthBasic)
	} else {
		c.authMode.Store(AuthOAuth1)
	}
	return c, nil
}

// AuthMethod returns the authentication that currently works: "basic";
// "query" when Basic got lost on the way (FastCGI); "oauth1" over plain
// HTTP, or over HTTPS when a TLS-terminating proxy hides HTTPS from PHP
// (WooCommerce then only runs OAuth 1.0a).
func (c *Client) AuthMethod() string { return c.authMode.Load().(string) }

// Close releases idle connections. The client stays usable.
func (c *Client) Close() { c.rc.GetClient().CloseIdleConnections() }

// MaxConcurrency returns the bound on requests in flight.
func (c *Client) MaxConcurrency() int { return c.cfg.MaxConcurrency }

// restyLogger sends resty's own warnings to slog.
type restyLogger struct{ l *slog.Logger }

func (r restyLogger) Errorf(format string, v ...any) {
	r.l.Error("resty", "msg", fmt.Sprintf(format, v...))
}
func (r restyLogger) Warnf(format string, v ...any) {
	r.l.Warn("resty", "msg", fmt.Sprintf(format, v...))
}
func (r restyLogger) Debugf(format string, v ...any) {
	r.l.Debug("resty", "msg", fmt.Sprintf(format, v...))
}

// limitedTransport spends a rate-limiter token per attempt. It sits under
// the retry loop, so retries spend tokens too.
type limitedTransport struct {
	next http.RoundTripper
	lim  *rate.Limiter
}

func (t *limitedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := t.lim.Wait(r.Context()); err != nil {
		return nil, fmt.Errorf("woo rate limit: %w", err)
	}
	return t.next.RoundTrip(r)
}
