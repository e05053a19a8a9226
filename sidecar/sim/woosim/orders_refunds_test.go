package woosim

import (
	"fmt"
	"net/http"
	"testing"
)

func TestRefundsTrashAndCreatedAfter(t *testing.T) {
	env := newSimEnv(t, Options{})
	sim := env.sim
	v, _ := sim.ProductBySKU("WINE-CABR-2021-750")
	id, err := sim.PlaceOrder(NewOrder{Billing: Address{FirstName: "Guest", Email: "guest@example.test"}, Lines: []OrderLine{{ProductID: v.ID, Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/wp-json/wc/v3/orders/%d", id)
	_, o := env.do(t, http.MethodGet, path, "")
	total := o.(map[string]any)["total"].(string)

	// A partial refund through REST: listed negative on the order, status kept.
	resp, r := env.do(t, http.MethodPost, path+"/refunds", `{"amount":"5.00","reason":"broken cork"}`)
	if resp.StatusCode != http.StatusCreated || r.(map[string]any)["amount"] != "5.00" {
		t.Fatalf("refund: %d %v", resp.StatusCode, r)
	}
	_, o = env.do(t, http.MethodGet, path, "")
	order := o.(map[string]any)
	refunds := order["refunds"].([]any)
	if len(refunds) != 1 || refunds[0].(map[string]any)["total"] != "-5.00" || order["status"] != "processing" {
		t.Fatalf("after partial refund: status %v refunds %v", order["status"], refunds)
	}
	// More than what remains is refused; the rest makes the order refunded.
	if resp, e := env.do(t, http.MethodPost, path+"/refunds", `{"amount":"100000.00"}`); resp.StatusCode != 500 || e.(map[string]any)["code"] != "woocommerce_rest_cannot_create_order_refund" {
		t.Fatalf("over-refund: %d %v", resp.StatusCode, e)
	}
	rest := money(cents(total) - 500)
	if _, err := sim.RefundOrder(id, rest, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := sim.Order(id); got.Status != "refunded" || len(got.Refunds) != 2 {
		t.Fatalf("after full refund: %+v", got)
	}
	// Newest refund first, as WooCommerce lists them.
	_, o = env.do(t, http.MethodGet, path, "")
	if first := o.(map[string]any)["refunds"].([]any)[0].(map[string]any)["total"]; first != "-"+rest {
		t.Errorf("first refund total %v, want -%s", first, rest)
	}

	// Trash: gone from the default list, listed with status=trash.
	if resp, _ := env.do(t, http.MethodDelete, path, ""); resp.StatusCode != 200 {
		t.Fatalf("trash: %d", resp.StatusCode)
	}
	_, list := env.do(t, http.MethodGet, "/wp-json/wc/v3/orders?per_page=100", "")
	for _, it := range list.([]any) {
		if int64(it.(map[string]any)["id"].(float64)) == id {
			t.Fatal("trashed order in the default list")
		}
	}
	_, trash := env.do(t, http.MethodGet, "/wp-json/wc/v3/orders?status=trash", "")
	if l := trash.([]any); len(l) != 1 || l[0].(map[string]any)["status"] != "trash" {
		t.Fatalf("status=trash list: %v", l)
	}

	// after= filters by creation date.
	_, none := env.do(t, http.MethodGet, "/wp-json/wc/v3/orders?after=2999-01-01T00:00:00&dates_are_gmt=true", "")
	if l := none.([]any); len(l) != 0 {
		t.Fatalf("after the future: %d orders", len(l))
	}
	if resp, e := env.do(t, http.MethodGet, "/wp-json/wc/v3/orders?after=yesterday", ""); resp.StatusCode != 400 {
		t.Fatalf("bad after: %d %v", resp.StatusCode, e)
	}
}
