package syncer

import (
	"net/http"
	"strings"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/webhook"
	woosim "github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woo"
)

// A block-checkout sale on WooCommerce ≥ 9.2 delivers rest_no_route in place
// of the product (issue 9 item 1): the change reaches OnCloudWine at once
// through the catch-up, not with the 5-minute poll (an hour here).
func TestE2ERESTErrorDeliveryCatchesUpAtOnce(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{})
	lab := learnLab(t, x.woo)
	x.runSync()
	x.start()
	eventually(t, "start-up reconcile read the trash", func() bool { return reconcileReads(x.woo, "status=trash") > 0 })
	if err := x.woo.UpdateProduct(lab.pinotID, func(p *woosim.Product) { p.RegularPrice = "36.00" }); err != nil {
		t.Fatal(err)
	}
	body := `{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, x.edge.URL+"/v1/webhooks/woocommerce", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(webhook.HeaderTopic, "product.updated")
	req.Header.Set(webhook.HeaderID, "3")
	req.Header.Set(webhook.HeaderSignature, webhook.Sign([]byte(body), []byte(e2eShared)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("REST error delivery answered %d, want 200", resp.StatusCode)
	}
	eventually(t, "price 36.00 caught up", func() bool { return x.ocw.Variants()[labPinotSKU].Price == "36.00" })
	if x.store.InboxDepth() != 0 {
		t.Error("the REST error was queued as a product")
	}
}
