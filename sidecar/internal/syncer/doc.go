// Package syncer is the product sync engine: it turns WooCommerce products
// and variations into OnCloudWine variants.
//
// Three paths feed one set of rules (rules.go) and one transactional apply
// step (apply.go): the SYNC_WOOCOMMERCE_PRODUCTS job (a full pull through the
// WooCommerce client's Catalog), webhook deliveries from the store's inbox,
// and the reconcile poller (products modified after a cursor). The apply step
// records, in one bbolt transaction, the entity it saw, the item status users
// read, and an outbox entry keyed by SKU, so a newer change replaces an older
// unsent one. The sender drains the outbox in batches of at most 100 and
// remembers a hash of what it last sent per SKU, so an unchanged variant is
// never sent twice.
package syncer
