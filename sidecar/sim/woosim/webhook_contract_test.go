package woosim

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
)

// transportHeaders are set by the HTTP layer, not by WooCommerce.
var transportHeaders = map[string]bool{"Host": true, "Content-Length": true, "Connection": true}

func signatureOK(body []byte, secret, sig string) bool {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal([]byte(base64.StdEncoding.EncodeToString(m.Sum(nil))), []byte(sig))
}

// TestCapturedDeliveriesSigned checks the premise: every captured delivery is
// signed base64(HMAC-SHA256(raw body, secret)), and phpJSON re-encodes each
// captured raw body byte for byte.
func TestCapturedDeliveriesSigned(t *testing.T) {
	for _, version := range []string{"10.0.2", "6.9.0"} {
		for _, c := range loadCaptures(t, version, "webhook-") {
			if strings.Contains(c.name, "creation-ping") {
				continue
			}
			t.Run(version+"/"+c.name, func(t *testing.T) {
				sig := c.reqHeader("X-WC-Webhook-Signature")
				switch {
				case strings.Contains(c.Request.RawBody, "REDACTED"):
					// The order key was redacted after signing; the lab checked
					// the signature on the original bytes.
					if !c.SignatureCheck.Matches {
						t.Errorf("lab's signature check failed for %s", c.name)
					}
				case !signatureOK([]byte(c.Request.RawBody), labSecret, sig):
					t.Errorf("captured signature %q does not verify", sig)
				}
				v, err := decodeOrdered([]byte(c.Request.RawBody))
				if err != nil {
					t.Fatal(err)
				}
				if got := phpJSON(v); !bytes.Equal(got, []byte(c.Request.RawBody)) {
					t.Errorf("phpJSON re-encoding differs:\n got  %.200s\n want %.200s", got, c.Request.RawBody)
				}
			})
		}
	}
}

// decodeOrdered decodes JSON keeping key order and number text.
func decodeOrdered(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, fmt.Errorf("decodeOrdered: %w", err)
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch x := tok.(type) {
	case json.Delim:
		if x == '{' {
			o := obj{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				o = append(o, kv{kt.(string), v})
			}
			_, err := dec.Token()
			if len(o) == 0 {
				return emptyObject{}, err
			}
			return o, err
		}
		l := []any{}
		for dec.More() {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		_, err := dec.Token()
		return l, err
	case json.Number:
		return rawJSON(x.String()), nil
	default:
		return x, nil
	}
}

// TestWebhookDeliveriesMatchCaptures makes the store changes of the lab's
// webhook experiments and checks each captured delivery has a simulator
// counterpart with the same headers, a verifying signature and the same
// body shape; and the creation ping looks like the captured one.
func TestWebhookDeliveriesMatchCaptures(t *testing.T) {
	for _, version := range []string{"10.0.2", "6.9.0"} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			env := newSimEnv(t, Options{WCVersion: version})
			recv := env.receive
			hooks := map[string]int64{}
			for _, topic := range []string{"product.created", "product.updated", "product.deleted", "order.created", "order.updated"} {
				resp, body := env.do(t, http.MethodPost, "/wp-json/wc/v3/webhooks",
					fmt.Sprintf(`{"name":"lab %s","topic":%q,"delivery_url":%q,"secret":%q,"status":"active"}`, topic, topic, recv.srv.URL+"/hook", labSecret))
				if resp.StatusCode != http.StatusCreated {
					t.Fatalf("create webhook: %d %v", resp.StatusCode, body)
				}
				hooks[topic] = int64(body.(map[string]any)["id"].(float64))
			}
			pings := recv.all()
			if len(pings) != 5 {
				t.Fatalf("got %d pings, want 5", len(pings))
			}
			checkPing(t, version, pings[0], hooks["product.created"])
			for _, w := range env.sim.Webhooks() {
				if w.PendingDelivery {
					t.Errorf("webhook %d still pending_delivery after a 200 ping", w.ID)
				}
			}
			runLabEvents(t, env)
			deliveries := recv.all()[5:]
			if len(deliveries) != 16 {
				t.Errorf("%d deliveries, want 16", len(deliveries))
			}
			for _, c := range loadCaptures(t, version, "webhook-") {
				if strings.Contains(c.name, "creation-ping") {
					continue
				}
				t.Run(c.name, func(t *testing.T) {
					matchDelivery(t, env, c, deliveries, hooks)
				})
			}
			checkBatchDeliveryIDs(t, deliveries)
		})
	}
}

func checkPing(t *testing.T, version string, got received, webhookID int64) {
	t.Helper()
	c := loadCaptures(t, version, "webhook-creation-ping")[0]
	if want := "webhook_id=" + strconv.FormatInt(webhookID, 10); string(got.body) != want {
		t.Errorf("ping body %q, want %q", got.body, want)
	}
	for k := range c.Request.Headers {
		if !transportHeaders[k] && got.header.Get(k) == "" {
			t.Errorf("ping lacks header %s", k)
		}
	}
	if got.header.Get("X-WC-Webhook-Signature") != "" || got.header.Get("X-WC-Webhook-Topic") != "" {
		t.Error("ping carries webhook headers; WooCommerce's does not")
	}
	if ua := got.header.Get("User-Agent"); ua != c.reqHeader("User-Agent") {
		t.Errorf("User-Agent %q, captured %q", ua, c.reqHeader("User-Agent"))
	}
}

// runLabEvents replays the store actions of webhook-findings.json.
func runLabEvents(t *testing.T, env *simEnv) {
	t.Helper()
	sim := env.sim
	settled := 5 // the creation pings
	settle := func(n int) {
		t.Helper()
		settled += n
		testutil.Eventually(t, fmt.Sprintf("%d deliveries", settled), func() bool { return len(env.receive.all()) >= settled })
		env.clock.Advance(2e9)
	}
	expect := func(resp *http.Response, want int) {
		t.Helper()
		if resp.StatusCode != want {
			t.Fatalf("status %d, want %d", resp.StatusCode, want)
		}
	}
	// product-created: POST /products (simple) → product.created
	resp, body := env.do(t, http.MethodPost, "/wp-json/wc/v3/products", `{"name":"Webhook Test Merlot","type":"simple","sku":"WINE-WHK-1","regular_price":"12.00","manage_stock":true,"stock_quantity":5}`)
	expect(resp, http.StatusCreated)
	created := int64(body.(map[string]any)["id"].(float64))
	settle(1)
	cab, _ := sim.ProductBySKU("WINE-CAB-2021-750")
	pin, _ := sim.ProductBySKU("WINE-PIN-2022-750")
	mal, _ := sim.ProductBySKU("WINE-MAL-2021-750")
	zin, _ := sim.ProductBySKU("WINE-ZIN-2020-750")
	cabr, _ := sim.ProductBySKU("WINE-CABR")
	v750, _ := sim.ProductBySKU("WINE-CABR-2019-750")
	// product-price-edit: PUT /products/<id> → product.updated
	resp, _ = env.do(t, http.MethodPut, "/wp-json/wc/v3/products/"+strconv.FormatInt(pin.ID, 10), `{"regular_price":"30.50"}`)
	expect(resp, http.StatusOK)
	settle(1)
	// stock-wc_update_product_stock → product.updated
	if err := sim.SetStock(mal.ID, 33); err != nil {
		t.Fatal(err)
	}
	settle(1)
	// order-created-pending → order.created + order.updated; then paid → order.updated + product.updated
	resp, body = env.do(t, http.MethodPost, "/wp-json/wc/v3/orders", fmt.Sprintf(`{"status":"pending","billing":{"first_name":"Hook","email":"hook.lab@example.test"},"line_items":[{"product_id":%d,"quantity":2}]}`, zin.ID))
	expect(resp, http.StatusCreated)
	pending := int64(body.(map[string]any)["id"].(float64))
	settle(2)
	resp, _ = env.do(t, http.MethodPut, "/wp-json/wc/v3/orders/"+strconv.FormatInt(pending, 10), `{"set_paid":true}`)
	expect(resp, http.StatusOK)
	settle(2)
	// variation-edit → one product.updated carrying the variation
	resp, _ = env.do(t, http.MethodPut, fmt.Sprintf("/wp-json/wc/v3/products/%d/variations/%d", cabr.ID, v750.ID), `{"regular_price":"49.00"}`)
	expect(resp, http.StatusOK)
	settle(1)
	// order-created-processing (paid, variation line) → order.created, order.updated, product.updated
	v1500, _ := sim.ProductBySKU("WINE-CABR-2021-1500")
	resp, body = env.do(t, http.MethodPost, "/wp-json/wc/v3/orders", fmt.Sprintf(`{"status":"processing","set_paid":true,"billing":{"first_name":"Hook","email":"hook.lab@example.test"},"line_items":[{"product_id":%d,"variation_id":%d,"quantity":1}],"meta_data":[{"key":"external_order_id","value":"EXT-WH-1"}]}`, cabr.ID, v1500.ID))
	expect(resp, http.StatusCreated)
	processing := int64(body.(map[string]any)["id"].(float64))
	settle(3)
	// order-completed → order.updated
	if err := sim.SetOrderStatus(processing, "completed"); err != nil {
		t.Fatal(err)
	}
	settle(1)
	// product-trashed → product.deleted {"id": N}
	if err := sim.TrashProduct(created); err != nil {
		t.Fatal(err)
	}
	settle(1)
	// batch-update-3-products → three product.updated in one second, one delivery id
	resp, _ = env.do(t, http.MethodPost, "/wp-json/wc/v3/products/batch",
		fmt.Sprintf(`{"update":[{"id":%d,"sale_price":"17.00"},{"id":%d,"regular_price":"21"},{"id":%d,"regular_price":"22"}]}`, cab.ID, cab.ID+10, cab.ID+9))
	expect(resp, http.StatusOK)
	settle(3)
}

// matchDelivery finds the simulator's delivery for a captured one and compares.
func matchDelivery(t *testing.T, env *simEnv, c *capture, got []received, hooks map[string]int64) {
	topic := c.reqHeader("X-WC-Webhook-Topic")
	var realBody map[string]any
	if err := json.Unmarshal([]byte(c.Request.RawBody), &realBody); err != nil {
		t.Fatal(err)
	}
	realKey := payloadKey(realBody)
	var cand *received
	for i := range got {
		if got[i].header.Get("X-WC-Webhook-Topic") != topic {
			continue
		}
		var b map[string]any
		if err := json.Unmarshal(got[i].body, &b); err != nil {
			t.Fatalf("delivery body is not JSON: %v", err)
		}
		if payloadKey(b) != realKey {
			continue
		}
		cand = &got[i]
		break
	}
	realType := realKey
	if cand == nil {
		t.Fatalf("no %s delivery (payload type %q) from the simulator", topic, realType)
	}
	for k, v := range c.Request.Headers {
		if transportHeaders[k] {
			continue
		}
		gv := cand.header.Get(k)
		if gv == "" {
			t.Errorf("header %s missing", k)
			continue
		}
		switch k {
		case "User-Agent", "Content-Type", "X-WC-Webhook-Topic", "X-WC-Webhook-Resource", "X-WC-Webhook-Event", "Accept":
			if gv != v {
				t.Errorf("header %s = %q, captured %q", k, gv, v)
			}
		}
	}
	if src := cand.header.Get("X-WC-Webhook-Source"); src != env.sim.HomeURL()+"/" {
		t.Errorf("X-WC-Webhook-Source %q, want home URL with a slash", src)
	}
	if id := cand.header.Get("X-WC-Webhook-ID"); id != strconv.FormatInt(hooks[topic], 10) {
		t.Errorf("X-WC-Webhook-ID %q, want %d", id, hooks[topic])
	}
	if len(cand.header.Get("X-WC-Webhook-Delivery-ID")) != 32 {
		t.Errorf("delivery id %q is not a 32-hex wp_hash", cand.header.Get("X-WC-Webhook-Delivery-ID"))
	}
	if !signatureOK(cand.body, labSecret, cand.header.Get("X-WC-Webhook-Signature")) {
		t.Error("signature does not verify")
	}
	if bytes.Contains(cand.body, []byte("://")) {
		t.Error("body has unescaped slashes; PHP json_encode writes :\\/\\/")
	}
	var simBody any
	_ = json.Unmarshal(cand.body, &simBody)
	if errs := covers(shapeOf(any(realBody)), shapeOf(simBody), "$"); len(errs) > 0 {
		t.Errorf("body shape differs:\n  %s", strings.Join(errs, "\n  "))
	}
}

// payloadKey says what kind of payload a delivery carries: a product's type,
// or an order's status and whether its first line is a variation.
func payloadKey(b map[string]any) string {
	if typ, ok := b["type"].(string); ok {
		if typ == "variation" {
			return "variation"
		}
		return "product"
	}
	st, _ := b["status"].(string)
	lines, _ := b["line_items"].([]any)
	if len(lines) > 0 {
		l, _ := lines[0].(map[string]any)
		if v, _ := l["variation_id"].(float64); v != 0 {
			return st + "/variation"
		}
	}
	return st
}

// checkBatchDeliveryIDs: the three product.updated of one batch, in one
// second, carry the same delivery id (wp_hash of webhook id and time()).
func checkBatchDeliveryIDs(t *testing.T, got []received) {
	t.Helper()
	n := len(got)
	if n < 3 {
		t.Fatalf("only %d deliveries", n)
	}
	last := got[n-3:]
	ids := map[string]bool{}
	for _, d := range last {
		if d.header.Get("X-WC-Webhook-Topic") != "product.updated" {
			t.Fatalf("last deliveries are not the batch's product.updated: %s", d.header.Get("X-WC-Webhook-Topic"))
		}
		ids[d.header.Get("X-WC-Webhook-Delivery-ID")] = true
	}
	if len(ids) != 1 {
		t.Errorf("batch deliveries in one second carry %d delivery ids, want 1 (WooCommerce repeats it)", len(ids))
	}
	if got[0].header.Get("X-WC-Webhook-Delivery-ID") == last[0].header.Get("X-WC-Webhook-Delivery-ID") {
		t.Error("deliveries seconds apart share a delivery id")
	}
}
