// Package woosim is a WooCommerce REST v3 simulator that answers like the real
// WooCommerce 10.0.2 and 6.9.0 captured in testdata/woocommerce: the same routes,
// JSON shapes, paging headers, errors and authentication rules, a plain-permalinks
// mode, the OnCloudWine plugin's read routes, fault and latency injection, and a
// webhook sender that delivers, signs, coalesces and disables webhooks the way
// WooCommerce does.
//
// Use it in-process (New, then serve Handler with httptest) or through the
// ocw-woo-sim binary. Store-side actions (UpdateProduct, SetStock, PlaceOrder, …)
// change the catalog the way a shop manager would and fire the same webhooks.
//
// Faithful where WooCommerce surprises:
//   - Basic auth (and consumer_key/consumer_secret query parameters) only over
//     HTTPS (r.TLS != nil); over plain HTTP only OAuth 1.0a, signed over the
//     store's home host:port with scheme http (see OAuthBaseURL and
//     OAuthSignature); keys are checked only when the request URI contains
//     "wp-json/wc/" (the ?rest_route= quirk).
//   - A variation without its own SKU reports its parent's; a variation whose
//     parent manages stock reports manage_stock "parent" and the parent's
//     quantity; products?sku= finds variations; the default list is every
//     status but trash; a page past the end is 200 [].
//   - Webhook deliveries are PHP json_encode bytes, signed
//     base64(HMAC-SHA256(body, secret)), with a delivery id that repeats
//     within a second; a pending delivery absorbs later changes of the same
//     resource; the 7th consecutive failure disables the webhook; a force
//     delete fires nothing.
//
// The trimmed index and system_status answers under assets/ are generated
// from the captures by scripts/woo-sim-trim-index.py.
package woosim
