package ocwsim

import (
	"fmt"
	"maps"
	"math/big"
	"slices"
	"time"
)

// AddReleaseOrder stores a release order (replacing one with the same ID)
// and returns it as stored. Defaults: ID "ro_NNNNNN", Number from the ID,
// Status "paid", UpdatedAt now, PaidAt = UpdatedAt for a paid order,
// Currency "EUR", ShippingTotal "0.00", Total = lines + shipping.
// Its lines count as reservations until it is reported mirrored (SYNCED).
func (s *Sim) AddReleaseOrder(ro ReleaseOrder) ReleaseOrder {
	now := s.now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	if ro.ID == "" {
		s.seq++
		ro.ID = fmt.Sprintf("ro_%06d", s.seq)
	}
	if ro.Number == "" {
		ro.Number = "R-" + ro.ID
	}
	if ro.Status == "" {
		ro.Status = "paid"
	}
	if ro.UpdatedAt.IsZero() {
		ro.UpdatedAt = now
	}
	ro.UpdatedAt = ro.UpdatedAt.UTC()
	if ro.PaidAt.IsZero() && ro.Status == "paid" {
		ro.PaidAt = ro.UpdatedAt
	}
	ro.PaidAt = ro.PaidAt.UTC()
	if ro.Currency == "" {
		ro.Currency = "EUR"
	}
	if ro.ShippingTotal == "" {
		ro.ShippingTotal = "0.00"
	}
	if ro.LineItems == nil {
		ro.LineItems = []ReleaseLineItem{}
	}
	if ro.Total == "" {
		ro.Total = releaseTotal(ro)
	}
	s.releaseOrders[ro.ID] = ro
	return ro
}

// SetReleaseOrderStatus moves a release order to cancelled or refunded (or
// back to paid) with a new updated_at, so the next poll lists it again.
func (s *Sim) SetReleaseOrderStatus(id, status string) (ReleaseOrder, error) {
	if !slices.Contains(releaseOrderStatuses, status) {
		return ReleaseOrder{}, fmt.Errorf("ocwsim: status %q is not one of %v", status, releaseOrderStatuses)
	}
	now := s.now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	ro, ok := s.releaseOrders[id]
	if !ok {
		return ReleaseOrder{}, fmt.Errorf("ocwsim: no release order %q", id)
	}
	ro.Status = status
	if !now.After(ro.UpdatedAt) {
		now = ro.UpdatedAt.Add(time.Millisecond)
	}
	ro.UpdatedAt = now
	s.releaseOrders[id] = ro
	return ro, nil
}

// releaseTotal is Σ quantity × unit_price + shipping_total, exact.
func releaseTotal(ro ReleaseOrder) string {
	total := new(big.Rat)
	if v, ok := new(big.Rat).SetString(ro.ShippingTotal); ok {
		total.Add(total, v)
	}
	for _, li := range ro.LineItems {
		if v, ok := new(big.Rat).SetString(li.UnitPrice); ok {
			total.Add(total, v.Mul(v, big.NewRat(int64(li.Quantity), 1)))
		}
	}
	return total.FloatString(2)
}

// SetReservation sets the quantity OnCloudWine holds back for sku, on top of
// the lines of unmirrored paid release orders; 0 removes it.
func (s *Sim) SetReservation(sku string, qty int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if qty <= 0 {
		delete(s.reservations, sku)
		return
	}
	s.reservations[sku] = qty
}

// Reservations is what GET /v1/woocommerce/reservations answers now.
func (s *Sim) Reservations() []Reservation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reservationList()
}

// Variants returns every variant received, by SKU (archived ones included).
func (s *Sim) Variants() map[string]Variant {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]Variant, len(s.variants))
	for sku, rec := range s.variants {
		out[sku] = cloneVariant(rec.Variant)
	}
	return out
}

// VariantsReceived counts the variants in every authorized, well-formed
// variants:upsert request, whatever its answer (replays and refusals
// included): 0 after a sync that sent nothing.
func (s *Sim) VariantsReceived() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.variantsReceived
}

// VariantsApplied counts the variants applied (created or updated); a
// replayed request applies nothing.
func (s *Sim) VariantsApplied() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.variantsApplied
}

// AppliedVariants returns every variant upsert applied so far, in the order
// applied (a replayed request applies nothing and adds nothing): what tests
// read to prove a change arrived once and in order per SKU.
func (s *Sim) AppliedVariants() []Variant {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Variant, len(s.appliedLog))
	for i, v := range s.appliedLog {
		out[i] = cloneVariant(v)
	}
	return out
}

func cloneVariant(v Variant) Variant {
	v.Attributes = maps.Clone(v.Attributes)
	return v
}

// Archived returns the archived SKUs, sorted.
func (s *Sim) Archived() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.archived))
}

// Stock returns the stock levels received, by SKU.
func (s *Sim) Stock() map[string]StockLevel {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.stock)
}

// Orders returns the online orders received, by WooCommerce order id.
func (s *Sim) Orders() map[int64]Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int64]Order, len(s.orders))
	for id, rec := range s.orders {
		out[id] = rec.Order
	}
	return out
}

// ReleaseOrders returns the release orders, by ID.
func (s *Sim) ReleaseOrders() map[string]ReleaseOrder {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.releaseOrders)
}

// MirrorReports returns the last mirror report of each release order, by ID.
func (s *Sim) MirrorReports() map[string]MirrorReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.mirrors)
}

// Connection returns the last connection report, if any.
func (s *Sim) Connection() (Connection, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.connection == nil {
		return Connection{}, false
	}
	return *s.connection, true
}

// Calls counts the requests that reached an API route, whatever their
// answer (faults and auth failures included). path is the route as in the
// doc: "/v1/woocommerce/variants:upsert", "/v1/woocommerce/release-orders/{id}/mirror".
func (s *Sim) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[path]
}

// InjectFault adds a fault; faults hit requests in the order they were added.
func (s *Sim) InjectFault(f Fault) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("ocwsim.InjectFault: %w", err)
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f.activate(now))
	return nil
}

// ClearFaults removes every fault.
func (s *Sim) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}
