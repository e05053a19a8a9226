package httpapi

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/webhook"
)

type recordedCatchUps struct {
	mu        sync.Mutex
	resources []string
}

func (r *recordedCatchUps) CatchUp(_ context.Context, resource string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.resources = append(r.resources, resource)
}

// WooCommerce ≥ 9.2 delivers a rest_no_route error as the body of a
// block-checkout order's webhooks (issue 9 item 1): acknowledged, recorded,
// caught up at once, never stored as the order or the product.
func TestWebhookRESTErrorIsAcknowledgedAndCaughtUp(t *testing.T) {
	h := setup(t)
	catchUps := &recordedCatchUps{}
	h.srv.deps.CatchUp = catchUps
	body := `{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`
	for _, topic := range []string{"order.created", "product.updated"} {
		headers := map[string]string{
			webhook.HeaderTopic: topic, webhook.HeaderID: "7", webhook.HeaderDeliveryID: "abc",
			webhook.HeaderSource: "https://shop.example/", webhook.HeaderSignature: webhook.Sign([]byte(body), []byte(labSecret)),
		}
		rec := h.deliver(headers, body)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"rest_error":true`) {
			t.Fatalf("%s: %d %s, want 200 rest_error", topic, rec.Code, rec.Body)
		}
	}
	if d := h.store.InboxDepth(); d != 0 {
		t.Fatalf("a REST error was stored as data: inbox depth %d", d)
	}
	if strings.Join(catchUps.resources, ",") != "order,product" {
		t.Fatalf("catch-ups asked for %v, want [order product]", catchUps.resources)
	}
	entries, err := h.store.ListActivity(10, 0)
	if err != nil {
		t.Fatal(err)
	}
	var warned []string
	for _, e := range entries {
		if e.Level == "warn" && strings.Contains(e.Message, "rest_no_route") {
			warned = append(warned, e.Message)
		}
	}
	if len(warned) != 2 || !strings.Contains(strings.Join(warned, "\n"), "Webhook order.created") ||
		!strings.Contains(strings.Join(warned, "\n"), "Webhook product.updated") {
		t.Fatalf("activity warnings = %q, want one per topic naming it and the error", warned)
	}
	// A wrong signature is still refused: the error body gets no free pass.
	rec := h.deliver(map[string]string{webhook.HeaderTopic: "order.created", webhook.HeaderSignature: webhook.Sign([]byte(body), []byte("other"))}, body)
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("unsigned REST error: %d, want 401", rec.Code)
	}
}
