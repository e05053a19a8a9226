package ocwsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

var (
	variantKeys = []string{"sku", "woo_product_id", "woo_variation_id", "product_name", "variant_name", "attributes",
		"status", "price", "regular_price", "sale_price", "currency", "weight", "weight_unit", "woo_modified_at"}
	stockKeys = []string{"sku", "manage_stock", "on_hand", "reserved", "available", "stock_status", "observed_at"}
)

func (s *Sim) handlePing(w http.ResponseWriter, _ *http.Request) {
	writeValue(w, http.StatusOK, map[string]any{"organization": s.org, "ok": true})
}

// applyConnection records the connection report. Callers hold s.mu.
func (s *Sim) applyConnection(_ *http.Request, body []byte, now time.Time) (any, *apiError) {
	if e := requireObjectKeys(body, "status", "store_url", "wc_version"); e != nil {
		return nil, e
	}
	var c Connection
	if e := decodeStrict(body, &c); e != nil {
		return nil, e
	}
	if e := checkEnum("status", c.Status, "ACTIVE", "ERROR", "DISCONNECTED"); e != nil {
		return nil, e
	}
	if c.StoreURL != "" || c.Status != "DISCONNECTED" {
		if e := checkURL("store_url", c.StoreURL); e != nil {
			return nil, e
		}
	}
	if c.Status == "ACTIVE" && c.WCVersion == "" {
		return nil, errorf(http.StatusBadRequest, "missing_field", "wc_version is required when status is ACTIVE")
	}
	s.connection = &c
	return map[string]any{"status": c.Status, "store_url": c.StoreURL, "wc_version": c.WCVersion, "received_at": now.UTC()}, nil
}

// applyVariants creates or updates variants by SKU. Callers hold s.mu.
func (s *Sim) applyVariants(_ *http.Request, body []byte, _ time.Time) (any, *apiError) {
	if e := requireKeys(body, "variants", variantKeys...); e != nil {
		return nil, e
	}
	var req struct {
		Variants []Variant `json:"variants"`
	}
	if e := decodeStrict(body, &req); e != nil {
		return nil, e
	}
	if e := batchSize("variants", len(req.Variants)); e != nil {
		return nil, e
	}
	seen := map[string]int{}
	for i, v := range req.Variants {
		if e := validateVariant(fmt.Sprintf("variants[%d]", i), v); e != nil {
			return nil, e
		}
		if j, dup := seen[v.SKU]; dup {
			return nil, errorf(http.StatusBadRequest, "duplicate_sku", "variants[%d] and variants[%d] have the same sku %q", j, i, v.SKU)
		}
		seen[v.SKU] = i
	}
	s.variantsApplied += len(req.Variants)
	results := make([]VariantResult, len(req.Variants))
	for i, v := range req.Variants {
		v.WooModifiedAt = v.WooModifiedAt.UTC()
		rec, exists := s.variants[v.SKU]
		if !exists {
			s.seq++
			rec.id = fmt.Sprintf("ocwv_%06d", s.seq)
		}
		rec.Variant = v
		s.variants[v.SKU] = rec
		s.appliedLog = append(s.appliedLog, cloneVariant(v))
		delete(s.archived, v.SKU)
		results[i] = VariantResult{SKU: v.SKU, OCWVariantID: rec.id, Created: !exists}
	}
	return map[string]any{"results": results}, nil
}

// countReceivedVariants counts the variants of a variants:upsert body,
// whatever happens to it next. Callers hold s.mu.
func (s *Sim) countReceivedVariants(body []byte) {
	var req struct {
		Variants []json.RawMessage `json:"variants"`
	}
	if json.Unmarshal(body, &req) == nil {
		s.variantsReceived += len(req.Variants)
	}
}

func validateVariant(where string, v Variant) *apiError {
	if e := checkSKU(where, v.SKU); e != nil {
		return e
	}
	if v.WooProductID <= 0 {
		return errorf(http.StatusBadRequest, "invalid_field", "%s.woo_product_id must be a positive integer", where)
	}
	if v.WooVariationID < 0 {
		return errorf(http.StatusBadRequest, "invalid_field", "%s.woo_variation_id must be 0 (simple product) or a variation id", where)
	}
	if v.ProductName == "" {
		return errorf(http.StatusBadRequest, "missing_field", "%s.product_name is required", where)
	}
	if v.Attributes == nil {
		return errorf(http.StatusBadRequest, "invalid_field", "%s.attributes must be an object (use {} when there are none)", where)
	}
	for name := range v.Attributes {
		if name == "" {
			return errorf(http.StatusBadRequest, "invalid_field", "%s.attributes has an empty name", where)
		}
	}
	if e := checkEnum(where+".status", v.Status, "publish", "private", "draft", "pending"); e != nil {
		return e
	}
	for _, p := range []struct{ name, v string }{{"price", v.Price}, {"regular_price", v.RegularPrice}, {"sale_price", v.SalePrice}} {
		if e := checkDecimal(where+"."+p.name, p.v, true); e != nil {
			return e
		}
	}
	if e := checkCurrency(where+".currency", v.Currency); e != nil {
		return e
	}
	if e := checkDecimal(where+".weight", v.Weight, true); e != nil {
		return e
	}
	if v.Weight != "" || v.WeightUnit != "" {
		if e := checkEnum(where+".weight_unit", v.WeightUnit, "kg", "g", "lbs", "oz"); e != nil {
			return e
		}
	}
	if v.WooModifiedAt.IsZero() {
		return errorf(http.StatusBadRequest, "missing_field", "%s.woo_modified_at is required (RFC 3339)", where)
	}
	return nil
}

// applyArchive archives known SKUs. Callers hold s.mu.
func (s *Sim) applyArchive(_ *http.Request, body []byte, _ time.Time) (any, *apiError) {
	var req struct {
		SKUs []string `json:"skus"`
	}
	if e := requireObjectKeys(body, "skus"); e != nil {
		return nil, e
	}
	if e := decodeStrict(body, &req); e != nil {
		return nil, e
	}
	if e := batchSize("skus", len(req.SKUs)); e != nil {
		return nil, e
	}
	for i, sku := range req.SKUs {
		if e := checkSKU(fmt.Sprintf("skus[%d]", i), sku); e != nil {
			return nil, e
		}
	}
	archived, unknown := 0, []string{}
	for _, sku := range req.SKUs {
		if _, ok := s.variants[sku]; !ok {
			unknown = append(unknown, sku)
			continue
		}
		s.archived[sku] = true
		archived++
	}
	return map[string]any{"archived": archived, "unknown": unknown}, nil
}

// applyStock stores stock levels; a level observed before the stored one is
// stale and ignored. Callers hold s.mu.
func (s *Sim) applyStock(_ *http.Request, body []byte, _ time.Time) (any, *apiError) {
	if e := requireKeys(body, "levels", stockKeys...); e != nil {
		return nil, e
	}
	var req struct {
		Levels []StockLevel `json:"levels"`
	}
	if e := decodeStrict(body, &req); e != nil {
		return nil, e
	}
	if e := batchSize("levels", len(req.Levels)); e != nil {
		return nil, e
	}
	seen := map[string]bool{}
	for i, l := range req.Levels {
		where := fmt.Sprintf("levels[%d]", i)
		if e := validateStock(where, l); e != nil {
			return nil, e
		}
		if seen[l.SKU] {
			return nil, errorf(http.StatusBadRequest, "duplicate_sku", "%s.sku %q appears twice in this request", where, l.SKU)
		}
		seen[l.SKU] = true
	}
	updated, stale := 0, 0
	for _, l := range req.Levels {
		l.ObservedAt = l.ObservedAt.UTC()
		if old, ok := s.stock[l.SKU]; ok && old.ObservedAt.After(l.ObservedAt) {
			stale++
			continue
		}
		s.stock[l.SKU] = l
		updated++
	}
	return map[string]any{"updated": updated, "stale": stale}, nil
}

func validateStock(where string, l StockLevel) *apiError {
	if e := checkSKU(where, l.SKU); e != nil {
		return e
	}
	if e := checkEnum(where+".stock_status", l.StockStatus, "instock", "outofstock", "onbackorder"); e != nil {
		return e
	}
	if l.Reserved < 0 || l.Available < 0 {
		return errorf(http.StatusBadRequest, "invalid_field", "%s.reserved and .available must not be negative", where)
	}
	if l.ManageStock && l.Available != max(0, l.OnHand-l.Reserved) {
		return errorf(http.StatusBadRequest, "inconsistent_stock", "%s.available is %d but max(0, on_hand %d - reserved %d) is %d",
			where, l.Available, l.OnHand, l.Reserved, max(0, l.OnHand-l.Reserved))
	}
	if l.ObservedAt.IsZero() {
		return errorf(http.StatusBadRequest, "missing_field", "%s.observed_at is required (RFC 3339)", where)
	}
	return nil
}
