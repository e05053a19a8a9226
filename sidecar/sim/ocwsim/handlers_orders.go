package ocwsim

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	defaultReleaseLimit = 50
	maxReleaseLimit     = 100
)

var (
	orderKeys      = []string{"woo_order_id", "number", "status", "currency", "total", "total_refunded", "date_paid", "customer", "billing", "shipping", "line_items"}
	wooOrderStatus = []string{"pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "checkout-draft", "trash"}
)

// applyOrders creates or updates online orders by woo_order_id. Callers hold s.mu.
func (s *Sim) applyOrders(_ *http.Request, body []byte, _ time.Time) (any, *apiError) {
	if e := requireKeys(body, "orders", orderKeys...); e != nil {
		return nil, e
	}
	var req struct {
		Orders []Order `json:"orders"`
	}
	if e := decodeStrict(body, &req); e != nil {
		return nil, e
	}
	if e := batchSize("orders", len(req.Orders)); e != nil {
		return nil, e
	}
	seen := map[int64]bool{}
	for i, o := range req.Orders {
		where := fmt.Sprintf("orders[%d]", i)
		if e := validateOrder(where, o); e != nil {
			return nil, e
		}
		if seen[o.WooOrderID] {
			return nil, errorf(http.StatusBadRequest, "duplicate_order", "%s.woo_order_id %d appears twice in this request", where, o.WooOrderID)
		}
		seen[o.WooOrderID] = true
	}
	results := make([]OrderResult, len(req.Orders))
	for i, o := range req.Orders {
		rec, exists := s.orders[o.WooOrderID]
		if !exists {
			s.seq++
			rec.id = fmt.Sprintf("ocwo_%06d", s.seq)
		}
		rec.Order = o
		s.orders[o.WooOrderID] = rec
		results[i] = OrderResult{WooOrderID: o.WooOrderID, OCWOrderID: rec.id, Created: !exists}
	}
	return map[string]any{"results": results}, nil
}

func validateOrder(where string, o Order) *apiError {
	if o.WooOrderID <= 0 {
		return errorf(http.StatusBadRequest, "invalid_field", "%s.woo_order_id must be a positive integer", where)
	}
	if o.Number == "" {
		return errorf(http.StatusBadRequest, "missing_field", "%s.number is required", where)
	}
	if e := checkEnum(where+".status", o.Status, wooOrderStatus...); e != nil {
		return e
	}
	if e := checkCurrency(where+".currency", o.Currency); e != nil {
		return e
	}
	if e := checkDecimal(where+".total", o.Total, false); e != nil {
		return e
	}
	if e := checkDecimal(where+".total_refunded", o.TotalRefunded, false); e != nil {
		return e
	}
	if o.Customer.Email != "" && !strings.Contains(o.Customer.Email, "@") {
		return errorf(http.StatusBadRequest, "invalid_field", "%s.customer.email %q is not an e-mail address", where, o.Customer.Email)
	}
	if len(o.LineItems) == 0 {
		return errorf(http.StatusBadRequest, "missing_field", "%s.line_items must not be empty", where)
	}
	for j, li := range o.LineItems {
		lw := fmt.Sprintf("%s.line_items[%d]", where, j)
		if li.WooProductID < 0 || li.WooVariationID < 0 {
			return errorf(http.StatusBadRequest, "invalid_field", "%s.woo_product_id and woo_variation_id must be positive when set", lw)
		}
		if li.Quantity <= 0 {
			return errorf(http.StatusBadRequest, "invalid_field", "%s.quantity must be a positive integer", lw)
		}
		if e := checkDecimal(lw+".total", li.Total, false); e != nil {
			return e
		}
	}
	return nil
}

// handleReleaseOrders lists release orders by (updated_at, id), keyset paged.
func (s *Sim) handleReleaseOrders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k := range q {
		switch k {
		case "status", "updated_after", "after_id", "limit":
		default:
			writeError(w, errorf(http.StatusBadRequest, "unknown_parameter", "unknown query parameter %q (status, updated_after, after_id, limit)", k))
			return
		}
	}
	statuses, e := releaseStatuses(q.Get("status"))
	if e != nil {
		writeError(w, e)
		return
	}
	var after time.Time
	if v := q.Get("updated_after"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			writeError(w, errorf(http.StatusBadRequest, "invalid_parameter", "updated_after must be an RFC 3339 time, not %q", v))
			return
		}
		after = t
	}
	afterID := q.Get("after_id")
	if afterID != "" && after.IsZero() {
		writeError(w, errorf(http.StatusBadRequest, "invalid_parameter", "after_id needs updated_after"))
		return
	}
	limit := defaultReleaseLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxReleaseLimit {
			writeError(w, errorf(http.StatusBadRequest, "invalid_parameter", "limit must be an integer from 1 to %d, not %q", maxReleaseLimit, v))
			return
		}
		limit = n
	}

	s.mu.Lock()
	var list []ReleaseOrder
	for _, ro := range s.releaseOrders {
		if !statuses[ro.Status] {
			continue
		}
		if !after.IsZero() && (ro.UpdatedAt.Before(after) || (ro.UpdatedAt.Equal(after) && ro.ID <= afterID)) {
			continue
		}
		list = append(list, ro)
	}
	s.mu.Unlock()
	slices.SortFunc(list, func(a, b ReleaseOrder) int {
		return cmp.Or(a.UpdatedAt.Compare(b.UpdatedAt), strings.Compare(a.ID, b.ID))
	})
	type cursor struct {
		UpdatedAfter time.Time `json:"updated_after"`
		AfterID      string    `json:"after_id"`
	}
	var next *cursor
	if len(list) > limit {
		list = list[:limit]
		last := list[limit-1]
		next = &cursor{UpdatedAfter: last.UpdatedAt, AfterID: last.ID}
	}
	if list == nil {
		list = []ReleaseOrder{}
	}
	writeValue(w, http.StatusOK, map[string]any{"release_orders": list, "next": next})
}

// releaseStatuses reads the status parameter: one of paid, cancelled,
// refunded, or a comma-separated list of them (default paid).
func releaseStatuses(v string) (map[string]bool, *apiError) {
	if v == "" {
		v = "paid"
	}
	set := map[string]bool{}
	for _, st := range strings.Split(v, ",") {
		if !slices.Contains(releaseOrderStatuses, st) {
			return nil, errorf(http.StatusBadRequest, "invalid_parameter", "status must be paid, cancelled, refunded or a comma-separated list of them, not %q", v)
		}
		set[st] = true
	}
	return set, nil
}

// releaseOrderStatuses are the statuses a listed release order can have: it
// is listed once paid, and again when it is cancelled or refunded later.
var releaseOrderStatuses = []string{"paid", "cancelled", "refunded"}

// applyMirror records how mirroring a release order went; SYNCED releases
// its reservation. Callers hold s.mu.
func (s *Sim) applyMirror(r *http.Request, body []byte, now time.Time) (any, *apiError) {
	id := r.PathValue("id")
	if e := requireObjectKeys(body, "status"); e != nil {
		return nil, e
	}
	var rep MirrorReport
	if e := decodeStrict(body, &rep); e != nil {
		return nil, e
	}
	if e := checkEnum("status", rep.Status, "SYNCED", "FAILED"); e != nil {
		return nil, e
	}
	switch rep.Status {
	case "SYNCED":
		if rep.WooOrderID <= 0 {
			return nil, errorf(http.StatusBadRequest, "missing_field", "woo_order_id is required when status is SYNCED")
		}
		if rep.Error != "" {
			return nil, errorf(http.StatusBadRequest, "invalid_field", "error must be empty when status is SYNCED")
		}
	case "FAILED":
		if rep.Error == "" {
			return nil, errorf(http.StatusBadRequest, "missing_field", "error is required when status is FAILED")
		}
	}
	if _, ok := s.releaseOrders[id]; !ok {
		return nil, errorf(http.StatusNotFound, "release_order_not_found", "no release order %q", id)
	}
	if old, ok := s.mirrors[id]; ok && old.Status == "SYNCED" && (rep.Status != "SYNCED" || rep.WooOrderID != old.WooOrderID) {
		return nil, errorf(http.StatusConflict, "already_mirrored", "release order %q is already mirrored as WooCommerce order %d", id, old.WooOrderID)
	}
	s.mirrors[id] = rep
	return map[string]any{"release_order_id": id, "status": rep.Status, "woo_order_id": rep.WooOrderID, "received_at": now.UTC()}, nil
}

func (s *Sim) handleReservations(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	list := s.reservationList()
	s.mu.Unlock()
	writeValue(w, http.StatusOK, map[string]any{"reservations": list})
}

// reservationList sums the reservations set for each SKU and the lines of
// paid release orders not mirrored yet, sorted by SKU. Callers hold s.mu.
func (s *Sim) reservationList() []Reservation {
	sum := map[string]int{}
	for sku, q := range s.reservations {
		sum[sku] += q
	}
	for id, ro := range s.releaseOrders {
		if ro.Status != "paid" || s.mirrors[id].Status == "SYNCED" {
			continue
		}
		for _, li := range ro.LineItems {
			sum[li.SKU] += li.Quantity
		}
	}
	list := []Reservation{}
	for sku, q := range sum {
		if q > 0 {
			list = append(list, Reservation{SKU: sku, Quantity: q})
		}
	}
	slices.SortFunc(list, func(a, b Reservation) int { return strings.Compare(a.SKU, b.SKU) })
	return list
}
