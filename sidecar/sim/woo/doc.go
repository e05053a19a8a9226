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
package woosim
