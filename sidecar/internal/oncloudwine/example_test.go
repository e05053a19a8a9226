package oncloudwine_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
)

// A client against the in-process simulator: the first upsert of a SKU
// creates it, the second updates it.
func ExampleClient_UpsertVariants() {
	sim := ocwsim.New(ocwsim.Options{Token: "ock_example"})
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()

	client, err := oncloudwine.New(oncloudwine.Config{BaseURL: srv.URL, Token: "ock_example", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		fmt.Println(err)
		return
	}
	v := oncloudwine.Variant{
		SKU: "WINE-PIN-2022-750", WooProductID: 13, ProductName: "Pinot Noir 2022", Status: "publish",
		Price: "30.50", RegularPrice: "30.50", Currency: "EUR", WooModifiedAt: time.Date(2026, 11, 27, 2, 1, 14, 0, time.UTC),
	}
	ctx := context.Background()
	for range 2 {
		res, err := client.UpsertVariants(ctx, []oncloudwine.Variant{v})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(res[0].SKU, res[0].OCWVariantID, "created:", res[0].Created)
		v.Price, v.WooModifiedAt = "28.00", v.WooModifiedAt.Add(time.Hour)
	}

	v.Currency = "euro"
	_, err = client.UpsertVariants(ctx, []oncloudwine.Variant{v})
	fmt.Println(err)
	// Output:
	// WINE-PIN-2022-750 ocwv_000001 created: true
	// WINE-PIN-2022-750 ocwv_000001 created: false
	// OnCloudWine said: variants[0].currency must be an ISO 4217 code like "EUR", not "euro" (invalid_field)
}
