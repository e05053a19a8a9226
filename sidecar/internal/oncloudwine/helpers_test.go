package oncloudwine

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
)

const testToken = "ock_test_0123456789"

// fakeSleeper records the waits the client asks for and returns at once
// (or ctx.Err() when the context is already done).
type fakeSleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fakeSleeper) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.waits = append(f.waits, d)
	f.mu.Unlock()
	return ctx.Err()
}

func (f *fakeSleeper) Waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

type fixture struct {
	client *Client
	sim    *ocwsim.Sim
	sleep  *fakeSleeper
	srv    *httptest.Server
}

// setup starts a simulator and a client with a fake sleeper. wrap (may be
// nil) wraps the simulator's handler; edit (may be nil) changes the
// client's Config before New.
func setup(t *testing.T, wrap func(http.Handler) http.Handler, edit func(*Config)) fixture {
	t.Helper()
	sim := ocwsim.New(ocwsim.Options{Token: testToken, Logger: slog.New(slog.DiscardHandler)})
	h := sim.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	fs := &fakeSleeper{}
	cfg := Config{
		BaseURL:      srv.URL,
		Token:        testToken,
		HTTPClient:   srv.Client(),
		Logger:       slog.New(slog.DiscardHandler),
		RetryMax:     3,
		RetryWaitMin: 100 * time.Millisecond,
		RetryWaitMax: 2 * time.Second,
		Sleep:        fs.Sleep,
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return fixture{client: c, sim: sim, sleep: fs, srv: srv}
}

func testVariant(sku string) Variant {
	return Variant{
		SKU: sku, WooProductID: 40, WooVariationID: 41, ProductName: "Cabernet Reserve", VariantName: "750ml, 2021",
		Attributes: map[string]string{"Size": "750ml", "Vintage": "2021"}, Status: "publish",
		Price: "45.00", RegularPrice: "45.00", SalePrice: "", Currency: "EUR", Weight: "1.3", WeightUnit: "kg",
		WooModifiedAt: time.Date(2026, 11, 27, 2, 1, 14, 0, time.UTC),
	}
}

func testOrder(id int64) Order {
	paid := time.Date(2026, 11, 27, 2, 30, 0, 0, time.UTC)
	addr := Address{FirstName: "Ana", LastName: "Lima", Address1: "Rua 1", City: "Porto", Postcode: "4000-001", Country: "PT", Email: "ana@example.com"}
	return Order{
		WooOrderID: id, Number: "1001", Status: "processing", Currency: "EUR", Total: "91.00", DatePaid: &paid,
		Customer: Customer{Email: "ana@example.com", FirstName: "Ana", LastName: "Lima"},
		Billing:  addr, Shipping: addr,
		LineItems: []OrderLineItem{{SKU: "WINE-CAB-2021-750", Quantity: 2, Total: "90.00"}},
	}
}

func variants(n int) []Variant {
	out := make([]Variant, n)
	for i := range out {
		out[i] = testVariant(fmt.Sprintf("WINE-%04d", i))
	}
	return out
}
