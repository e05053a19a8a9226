package webhook

import (
	"encoding/json"
	"testing"
)

// BenchmarkParseBody reads a real 10.0.2 product.updated payload (2,234
// bytes); BenchmarkParseBodyEncodingJSON is what the same work costs with
// json.Valid + json.Unmarshal into a two-field struct.
func BenchmarkParseBody(b *testing.B) {
	body := priceEditBody(b)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var d Delivery
		if err := ParseBody(&d, body, "mac"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseBodyEncodingJSON(b *testing.B) {
	body := priceEditBody(b)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var p struct {
			ID          json.RawMessage `json:"id"`
			ModifiedGMT *string         `json:"date_modified_gmt"`
		}
		if !json.Valid(body) || json.Unmarshal(body, &p) != nil {
			b.Fatal("invalid")
		}
	}
}

func priceEditBody(b *testing.B) []byte {
	for _, d := range loadDeliveries(b) {
		if d.Name == "10.0.2/webhook-product-price-edit-1-product-updated.json" {
			return d.Body
		}
	}
	b.Fatal("price edit capture missing")
	return nil
}
