package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// change is one version of a simple product as a webhook tells it.
type change struct {
	id       int64
	sku      string
	name     string
	price    string
	modified time.Time
}

// body is the product.updated payload WooCommerce would send for c (the
// fields the sidecar reads, in WooCommerce's shapes).
func (c change) body() []byte {
	p := map[string]any{
		"id": c.id, "name": c.name, "slug": "p-" + strconv.FormatInt(c.id, 10), "type": "simple", "status": "publish",
		"sku": c.sku, "price": c.price, "regular_price": c.price, "sale_price": "",
		"date_modified": c.modified.Format("2006-01-02T15:04:05"), "date_modified_gmt": c.modified.Format("2006-01-02T15:04:05"),
		"manage_stock": false, "stock_quantity": nil, "stock_status": "instock", "weight": "", "attributes": []any{}, "variations": []any{},
		"parent_id": 0,
	}
	data, _ := json.Marshal(p)
	return data
}

// sign is WooCommerce's X-WC-Webhook-Signature of body.
func sign(body []byte, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// webhookHeaders are the headers of a delivery of topic, signed with the
// suite's secret.
func webhookHeaders(topic string, body []byte) http.Header {
	h := http.Header{}
	resource, event, _ := strings.Cut(topic, ".")
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "WooCommerce/10.0.2 Hookshot (WordPress/6.8.8)")
	h.Set("X-WC-Webhook-Source", "https://shop.example/")
	h.Set("X-WC-Webhook-Topic", topic)
	h.Set("X-WC-Webhook-Resource", resource)
	h.Set("X-WC-Webhook-Event", event)
	h.Set("X-WC-Webhook-ID", "7")
	h.Set("X-WC-Webhook-Delivery-ID", strconv.FormatInt(time.Now().Unix(), 16))
	h.Set("X-WC-Webhook-Signature", sign(body, testSecret))
	return h
}

// postWebhook sends one request to the webhook route and returns the status
// and the answer's body.
func postWebhook(ctx context.Context, c *http.Client, addr string, h http.Header, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/v1/webhooks/woocommerce", bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header = h
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return resp.StatusCode, data, err
}

// deliverUntilAcknowledged sends c until the sidecar answers 200 (through
// restarts: a refused connection is retried after a short pause). It returns
// how many attempts it took.
func deliverUntilAcknowledged(ctx context.Context, client *http.Client, side *sidecar, c change) (int, error) {
	body := c.body()
	for attempt := 1; ; attempt++ {
		code, _, err := postWebhook(ctx, client, side.addr, webhookHeaders("product.updated", body), body)
		if err == nil && code == http.StatusOK {
			return attempt, nil
		}
		if ctx.Err() != nil {
			return attempt, ctx.Err()
		}
		if err == nil && code != http.StatusServiceUnavailable {
			return attempt, fmt.Errorf("delivery of %s answered %d", c.sku, code)
		}
		select { // the sidecar is restarting or busy: ask again shortly
		case <-ctx.Done():
			return attempt, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// samePrice compares two decimal strings by value ("12" = "12.00").
func samePrice(a, b string) bool {
	x, okA := new(big.Rat).SetString(a)
	y, okB := new(big.Rat).SetString(b)
	return okA && okB && x.Cmp(y) == 0
}

// contentKey identifies a variant's content: two applied upserts with the
// same key sent the same thing twice.
func contentKey(v ocwsim.Variant) string {
	v.WooModifiedAt = v.WooModifiedAt.UTC()
	data, _ := json.Marshal(v)
	return string(data)
}

// duplicatesOf counts variants applied more than once with the same
// content, with up to three examples.
func duplicatesOf(applied []ocwsim.Variant) (int, []string) {
	seen := map[string]int{}
	dups := 0
	var examples []string
	for i, v := range applied {
		k := contentKey(v)
		if first, ok := seen[k]; ok {
			dups++
			if len(examples) < 3 {
				examples = append(examples, fmt.Sprintf("%s price %s @%s applied as upsert #%d and #%d", v.SKU, v.Price, v.WooModifiedAt.Format(time.RFC3339), first+1, i+1))
			}
			continue
		}
		seen[k] = i
	}
	return dups, examples
}

// newSimple adds a published simple product to the store and returns its id.
func newSimple(w *woosim.Sim, sku, price string, stock *int) (int64, error) {
	p := woosim.Product{Type: "simple", Status: "publish", Name: "Reliability " + sku, SKU: sku, RegularPrice: price}
	if stock != nil {
		p.ManageStock, p.StockQuantity = true, stock
	}
	return w.CreateProduct(p)
}
