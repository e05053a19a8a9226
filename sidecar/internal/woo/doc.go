// Package woo is the sidecar's WooCommerce REST v3 client.
//
// It authenticates like WooCommerce expects (Basic over HTTPS with a
// query-parameter fallback, OAuth 1.0a over plain HTTP when the operator
// allows it), pages through products and variations with a bounded number
// of requests in flight, streams results to callbacks instead of holding the
// catalog in memory, retries reads (never writes) with exponential backoff
// and jitter while honouring Retry-After, and maps every failure to an
// *Error carrying a stable code and the fix shown to the user.
//
// When the OnCloudWine plugin is installed its bulk routes
// (docs/plugin-routes.md) are used for the catalog and stock levels; without
// it the client falls back to plain REST v3.
package woo
