package ocwsim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// adminRoutes registers the test/demo surface under /_sim/ (same bearer
// token as the API; no faults, no latency, not counted in Calls).
func (s *Sim) adminRoutes(mux *http.ServeMux) {
	s.admin(mux, "GET /_sim/state", s.handleState)
	s.admin(mux, "POST /_sim/release-orders", s.handleAddReleaseOrder)
	s.admin(mux, "POST /_sim/release-orders/{id}/status", s.handleReleaseOrderStatus)
	s.admin(mux, "PUT /_sim/reservations/{sku}", s.handleSetReservation)
	s.admin(mux, "POST /_sim/faults", s.handleAddFault)
	s.admin(mux, "DELETE /_sim/faults", func(w http.ResponseWriter, _ *http.Request) {
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
}

func (s *Sim) admin(mux *http.ServeMux, pattern string, h http.HandlerFunc) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			writeError(w, errorf(http.StatusUnauthorized, "unauthorized", "The API key is missing, invalid or revoked"))
			return
		}
		h(w, r)
	})
}

// State is everything the simulator holds, as GET /_sim/state answers it.
type State struct {
	Variants         map[string]Variant      `json:"variants"`
	Archived         []string                `json:"archived"`
	Stock            map[string]StockLevel   `json:"stock"`
	Orders           map[int64]Order         `json:"orders"`
	Connection       *Connection             `json:"connection"`
	ReleaseOrders    map[string]ReleaseOrder `json:"release_orders"`
	MirrorReports    map[string]MirrorReport `json:"mirror_reports"`
	Reservations     []Reservation           `json:"reservations"`
	Calls            map[string]int          `json:"calls"`
	VariantsReceived int                     `json:"variants_received"`
	VariantsApplied  int                     `json:"variants_applied"`
}

// Snapshot returns the whole state.
func (s *Sim) Snapshot() State {
	st := State{
		Variants:         s.Variants(),
		Archived:         s.Archived(),
		Stock:            s.Stock(),
		Orders:           s.Orders(),
		ReleaseOrders:    s.ReleaseOrders(),
		MirrorReports:    s.MirrorReports(),
		Reservations:     s.Reservations(),
		VariantsReceived: s.VariantsReceived(),
		VariantsApplied:  s.VariantsApplied(),
	}
	if c, ok := s.Connection(); ok {
		st.Connection = &c
	}
	s.mu.Lock()
	st.Calls = make(map[string]int, len(s.calls))
	for k, v := range s.calls {
		st.Calls[k] = v
	}
	s.mu.Unlock()
	return st
}

func (s *Sim) handleState(w http.ResponseWriter, _ *http.Request) {
	writeValue(w, http.StatusOK, s.Snapshot())
}

func readAdminBody(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		writeError(w, errorf(http.StatusBadRequest, "invalid_request", "read body: %v", err))
		return false
	}
	if e := decodeStrict(body, v); e != nil {
		writeError(w, e)
		return false
	}
	return true
}

func (s *Sim) handleAddReleaseOrder(w http.ResponseWriter, r *http.Request) {
	var ro ReleaseOrder
	if !readAdminBody(w, r, &ro) {
		return
	}
	for i, li := range ro.LineItems {
		if e := checkSKU(fmt.Sprintf("line_items[%d]", i), li.SKU); e != nil {
			writeError(w, e)
			return
		}
		if li.Quantity <= 0 {
			writeError(w, errorf(http.StatusBadRequest, "invalid_field", "line_items[%d].quantity must be positive", i))
			return
		}
		if e := checkDecimal(fmt.Sprintf("line_items[%d].unit_price", i), li.UnitPrice, false); e != nil {
			writeError(w, e)
			return
		}
	}
	writeValue(w, http.StatusCreated, s.AddReleaseOrder(ro))
}

func (s *Sim) handleReleaseOrderStatus(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Status string `json:"status"`
	}
	if !readAdminBody(w, r, &body) {
		return
	}
	ro, err := s.SetReleaseOrderStatus(r.PathValue("id"), body.Status)
	if err != nil {
		writeError(w, errorf(http.StatusBadRequest, "invalid_field", "%v", err))
		return
	}
	writeValue(w, http.StatusOK, ro)
}

func (s *Sim) handleSetReservation(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Quantity int `json:"quantity"`
	}
	if !readAdminBody(w, r, &body) {
		return
	}
	sku := r.PathValue("sku")
	s.SetReservation(sku, body.Quantity)
	writeValue(w, http.StatusOK, Reservation{SKU: sku, Quantity: max(body.Quantity, 0)})
}

// faultJSON is a Fault over HTTP, durations as Go strings ("2s", "500ms").
type faultJSON struct {
	Kind       FaultKind `json:"kind"`
	Path       string    `json:"path"`
	Requests   int       `json:"requests"`
	For        string    `json:"for"`
	RetryAfter string    `json:"retry_after"`
	Delay      string    `json:"delay"`
}

func (s *Sim) handleAddFault(w http.ResponseWriter, r *http.Request) {
	var fj faultJSON
	if !readAdminBody(w, r, &fj) {
		return
	}
	f := Fault{Kind: fj.Kind, Path: fj.Path, Requests: fj.Requests}
	for _, d := range []struct {
		name string
		in   string
		out  *time.Duration
	}{{"for", fj.For, &f.For}, {"retry_after", fj.RetryAfter, &f.RetryAfter}, {"delay", fj.Delay, &f.Delay}} {
		if d.in == "" {
			continue
		}
		v, err := time.ParseDuration(d.in)
		if err != nil {
			writeError(w, errorf(http.StatusBadRequest, "invalid_field", "%s must be a duration like \"2s\", not %q", d.name, d.in))
			return
		}
		*d.out = v
	}
	if err := s.InjectFault(f); err != nil {
		writeError(w, errorf(http.StatusBadRequest, "invalid_fault", "%v", err))
		return
	}
	b, _ := json.Marshal(fj)
	writeJSON(w, http.StatusCreated, b)
}
