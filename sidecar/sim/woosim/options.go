package woosim

import (
	"log/slog"
	"net/http"
	"time"
)

// Options configure a simulator. The zero value is a 10.0.2 store with the
// lab's small wine catalog, pretty permalinks and the plugin's routes.
type Options struct {
	ConsumerKey, ConsumerSecret string // the REST key accepted (read/write)
	ReadOnlyKey                 bool   // the key may only read: writes answer 401 like WooCommerce
	WCVersion                   string // default "10.0.2"; "6.9.0" answers with the 6.9 shapes; "5.9.0" for the < 6 error
	PlainPermalinks             bool   // /wp-json/... answers 301 to itself; ?rest_route= works
	NoPlugin                    bool   // hide the plugin's routes (→ 404 rest_no_route)
	// DropBasicAuth: the web server in front of PHP (FastCGI without
	// CGIPassAuthorization, some proxies) drops the Authorization header, so
	// Basic credentials never reach WooCommerce; consumer_key and
	// consumer_secret query parameters still do.
	DropBasicAuth bool
	// TLSTerminatedByProxy: HTTPS ends at a proxy and PHP sees plain HTTP
	// (is_ssl() false), so WooCommerce takes only OAuth 1.0a, even on https URLs.
	TLSTerminatedByProxy bool
	// HomeURL is the store's home URL (scheme://host:port) used for links, the
	// webhook source and the OAuth 1.0a base URL; when empty it is taken from
	// the first request's Host and TLS.
	HomeURL string
	Latency time.Duration // added to every REST request
	// WeightUnit is the store's woocommerce_weight_unit setting (default "kg").
	WeightUnit string
	// LatencyPerItem is added per object returned by a list (products, variations, orders).
	LatencyPerItem time.Duration
	// Products × Variations is the generated catalog (variable wines, Size ×
	// Vintage), added after the lab catalog and its edge cases; 0,0 = the lab
	// catalog alone (22 simple incl. a draft and a trashed one, 10 variable
	// with 60 variations, 1 uncategorized). Products > 0 with Variations 0
	// means 4 variations each.
	Products, Variations int
	Seed                 int64
	WebhookDelay         time.Duration // delivery delay (0 = as soon as the sender runs)
	// WebhooksOnTraffic holds deliveries until a later request reaches the
	// store, like WooCommerce's Action Scheduler driven by WP-Cron on a store
	// whose webhooks are not made prompt by the plugin (a quiet store then
	// delivers nothing until its next visitor).
	WebhooksOnTraffic bool
	WebhookClient     *http.Client // used to deliver webhooks (default: 10 s timeout)
	// RefuseUnsafeWebhookURLs makes deliveries to ports other than 80, 443,
	// 8080 and the home port fail like WordPress' wp_safe_remote_request does
	// when the plugin does not allow its sidecar's URL.
	RefuseUnsafeWebhookURLs bool
	Logger                  *slog.Logger
	Now                     func() time.Time // clock (default time.Now)
}

// WordPress versions that shipped with the captured WooCommerce versions.
func wpVersionFor(wc string) string {
	switch wc {
	case "10.0.2":
		return "6.8.8"
	case "6.9.0":
		return "6.1.12"
	case "5.9.0":
		return "5.8.3"
	}
	return "6.8.8"
}

// modern reports whether the version renders 10.x shapes (brands,
// global_unique_id, variation name/type/parent_id, targetHints in links).
func (s *Sim) modern() bool { return versionAtLeast(s.opts.WCVersion, 7) }

// versionAtLeast compares the major version of v with major.
func versionAtLeast(v string, major int) bool {
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n >= major
}
