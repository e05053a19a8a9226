package syncer

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/captures"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
)

func captured(t *testing.T, version, name string) (captures.Delivery, woo.Order) {
	t.Helper()
	d, err := captures.Load(version, name)
	if err != nil {
		t.Fatal(err)
	}
	var o woo.Order
	if err := json.Unmarshal(d.Body, &o); err != nil {
		t.Fatalf("%s: %v", d.Name, err)
	}
	return d, o
}

// The order deliveries captured from real WooCommerce 10.0.2 and 6.9.0: the
// pending order is not paid, the processing one is, and it maps with its
// decimal strings as WooCommerce wrote them.
func TestMapCapturedOrders(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"10.0.2", "6.9.0"} {
		t.Run(version, func(t *testing.T) {
			_, pending := captured(t, version, "webhook-order-created-pending-1-order-created.json")
			if orderPaid(pending) {
				t.Errorf("pending order %d (date_paid %v) counted as paid", pending.ID, pending.DatePaidGMT)
			}
			_, paid := captured(t, version, "webhook-order-created-processing-2-order-updated.json")
			if !orderPaid(paid) || isMirror(paid) {
				t.Fatalf("processing order with date_paid %v: paid %v mirror %v", paid.DatePaidGMT, orderPaid(paid), isMirror(paid))
			}
			got, err := mapOrder(paid)
			if err != nil {
				t.Fatal(err)
			}
			raw := map[string]any{}
			d, _ := captured(t, version, "webhook-order-created-processing-2-order-updated.json")
			if err := json.Unmarshal(d.Body, &raw); err != nil {
				t.Fatal(err)
			}
			if got.Total != raw["total"] || got.TotalRefunded != "0.00" || got.Number != raw["number"] || got.Currency != raw["currency"] {
				t.Errorf("mapped %+v; captured total %v number %v", got, raw["total"], raw["number"])
			}
			billing := raw["billing"].(map[string]any)
			if got.Customer.Email != billing["email"] || got.Customer.Email == "" {
				t.Errorf("guest order customer %+v, billing e-mail %v", got.Customer, billing["email"])
			}
			line := raw["line_items"].([]any)[0].(map[string]any)
			if len(got.LineItems) != 1 || got.LineItems[0].SKU != line["sku"] || got.LineItems[0].Total != line["total"] || got.LineItems[0].Name != line["name"] {
				t.Errorf("lines %+v; captured %v", got.LineItems, line)
			}
			if got.DatePaid == nil || got.DatePaid.Format(time.RFC3339) != raw["date_paid_gmt"].(string)+"Z" {
				t.Errorf("date_paid %v, captured %v", got.DatePaid, raw["date_paid_gmt"])
			}
			if got.WooModifiedAt == nil || got.WooModifiedAt.Format(time.RFC3339) != raw["date_modified_gmt"].(string)+"Z" {
				t.Errorf("woo_modified_at %v, captured %v", got.WooModifiedAt, raw["date_modified_gmt"])
			}
			if got.Warning != "" {
				t.Errorf("warning %q on an order whose lines all have SKUs", got.Warning)
			}
		})
	}
}

func TestMapOrderRefundsAndRefusals(t *testing.T) {
	t.Parallel()
	base := `{"id":9,"number":"9","status":"processing","currency":"EUR","total":"84.10","date_paid_gmt":"2026-11-27T02:01:26",
		"date_modified_gmt":"2026-11-27T02:05:00","billing":{"email":"a@example.test"},
		"line_items":[{"name":"Rosé","product_id":5,"variation_id":0,"quantity":1,"sku":"","total":"84.10","price":84.1}]`
	tests := []struct {
		name, tail, wantRefunded, wantErr string
	}{
		{"none", `,"refunds":[]}`, "0.00", ""},
		{"two partial", `,"refunds":[{"id":3,"reason":"","total":"-0.10"},{"id":2,"reason":"cork","total":"-5.00"}]}`, "5.10", ""},
		{"three digits", `,"refunds":[{"id":3,"reason":"","total":"-0.105"}]}`, "0.105", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var o woo.Order
			if err := json.Unmarshal([]byte(base+tt.tail), &o); err != nil {
				t.Fatal(err)
			}
			got, err := mapOrder(o)
			if err != nil {
				t.Fatal(err)
			}
			if got.TotalRefunded != tt.wantRefunded || got.Total != "84.10" {
				t.Errorf("refunded %q total %q, want %q 84.10", got.TotalRefunded, got.Total, tt.wantRefunded)
			}
			if !strings.Contains(got.Warning, `"Rosé" (product 5) has no SKU`) {
				t.Errorf("warning %q", got.Warning)
			}
		})
	}
	for _, tt := range []struct{ name, body, want string }{
		{"no lines", `{"id":9,"status":"processing","currency":"EUR","total":"0.00","line_items":[]}`, "no product lines"},
		{"bad total", `{"id":9,"status":"processing","currency":"EUR","total":"abc","line_items":[{"name":"A","quantity":1,"sku":"A","total":"1.00"}]}`, "not a decimal"},
		{"zero quantity", `{"id":9,"status":"processing","currency":"EUR","total":"1.00","line_items":[{"name":"A","quantity":0,"sku":"A","total":"1.00"}]}`, "quantity 0"},
	} {
		var o woo.Order
		if err := json.Unmarshal([]byte(tt.body), &o); err != nil {
			t.Fatal(err)
		}
		if _, err := mapOrder(o); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want %q", tt.name, err, tt.want)
		}
	}
}

// The captured deliveries, byte for byte (re-signed with the sidecar's
// secret), through the HTTP edge: the pending order's is acknowledged and
// not sent, the processing one's reaches OnCloudWine, the completed one
// updates it.
func TestE2ECapturedOrderDeliveries(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"10.0.2", "6.9.0"} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			x := newE2E(t, e2eOptions{})
			x.start()
			pending, po := captured(t, version, "webhook-order-created-pending-1-order-created.json")
			x.postRaw("order.created", pending.Body)
			paid, o := captured(t, version, "webhook-order-created-processing-2-order-updated.json")
			x.postRaw("order.updated", paid.Body)
			x.ocwOrder(o.ID, "the captured paid order", func(got ocwsim.Order) bool { return got.Status == "processing" })
			done, _ := captured(t, version, "webhook-order-completed-1-order-updated.json")
			x.postRaw("order.updated", done.Body)
			x.ocwOrder(o.ID, "the captured completion", func(got ocwsim.Order) bool { return got.Status == "completed" })
			x.settled()
			if _, ok := x.ocw.Orders()[po.ID]; ok || po.ID == o.ID {
				t.Errorf("the pending order %d was sent", po.ID)
			}
			if n := x.ocw.Calls(ordersUpsert); n != 2 {
				t.Errorf("%d orders:upsert calls, want 2 (paid, completed)", n)
			}
		})
	}
}
