// Package mirror mirrors OnCloudWine's paid release orders into WooCommerce
// as "processing", paid orders, exactly once: the opposite direction of
// package syncer, with its own poll cursor, a state machine per release
// order (PENDING → CREATING → SYNCED | FAILED, kept in package store and
// recorded before and after every WooCommerce call) and the customer
// mapping (a WooCommerce customer per e-mail, or one "OnCloudWine"
// customer).
//
// A retry after a crash or an ambiguous failure (timeout, 5xx, connection
// cut once the request went out) first looks the order up through the
// plugin's orders/by-release route (or, without the plugin, lists the
// orders modified since the first attempt and matches the meta) and
// creates only when the order is truly absent. Cancellations and refunds
// made in OnCloudWine after mirroring move the WooCommerce order to
// cancelled / refunded once.
package mirror
