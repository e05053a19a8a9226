package store

// Key layout of sidecar.db, every bucket. Sequences (seq) and ids are
// big-endian uint64, so a cursor walks them in numeric order and the keys
// sharing a prefix are one contiguous range.
//
//	meta          "schema_version"                 → decimal SchemaVersion
//	inbox         seq                              → webhook Event (codec.go: format byte, header length, JSON header, body)
//	inbox_dedupe  resource+"\x00"+id               → seq (8 bytes) + content sum (16 bytes) of the last delivery
//	items         kind+"\x00"+key                  → Item (JSON); kind "variant" keys are SKUs or "woo-<id>"
//	cursors       name                             → value (e.g. "products" → RFC 3339 time)
//	settings      "overrides"                      → Settings (JSON)
//	settings      "connection"                     → Connection with its key pair (JSON)
//	jobs          seq                              → Job (JSON)
//	activity      seq                              → Activity (JSON)
//	mappings      "syncer.entity\x00"+id           → the sync engine's record of a WooCommerce product or variation (JSON)
//	mappings      "syncer.child\x00"+parent id+id  → empty (the variations of a variable product)
//	mappings      "syncer.sku\x00"+SKU             → id of the entity that owns the SKU in OnCloudWine (8 bytes)
//	outbox        "variant\x00"+SKU                → the pending change for the SKU (JSON); the bucket's sequence versions it
//	outbox        "sending\x00"+id                 → a batch being sent to OnCloudWine, as sent (JSON), until its outcome is recorded
//	sent_hashes   "variant\x00"+SKU                → what OnCloudWine last accepted or refused for the SKU (JSON)
//	stock         "mark\x00"+holder id             → newest WooCommerce stock reading applied for the holder (stock.go, binary)
//	stock         "level\x00"+SKU                  → stock level OnCloudWine last accepted for the SKU (stock.go, binary)
//	mappings      "woo_order\x00"+order id         → OrderState of a WooCommerce order (JSON, orders.go)
//	outbox        "woo_order\x00"+order id         → QueuedOrder: the order change waiting for OnCloudWine (JSON, orders.go)
//	items         "order\x00"+order id (decimal)   → Item of an online order
//
// The record values of mappings, outbox and sent_hashes belong to the sync
// engine (package syncer), which encodes them; the keys are built here only
// (catalog.go).
var (
	prefixEntity  = []byte("syncer.entity\x00")
	prefixChild   = []byte("syncer.child\x00")
	prefixSKU     = []byte("syncer.sku\x00")
	prefixVariant = []byte("variant\x00")
	prefixSending = []byte("sending\x00")
)
