package syncer_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/syncer"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// shop is a two-product WooCommerce catalog (the real engine gets a *woo.Client).
type shop struct{}

func (shop) Catalog(_ context.Context, fn func(woo.Product, []woo.Variation) error) error {
	if err := fn(woo.Product{ID: 13, Name: "Pinot Noir 2022", Type: "simple", Status: "publish", SKU: "WINE-PIN-2022-750",
		Price: woo.MustDecimal("30.50"), RegularPrice: woo.MustDecimal("30.50")}, nil); err != nil {
		return err
	}
	return fn(woo.Product{ID: 29, Name: "House Red", Type: "simple", Status: "publish", Price: woo.MustDecimal("11.00")}, nil)
}
func (shop) Products(context.Context, woo.ProductQuery, func(woo.Product) error) error { return nil }
func (shop) Variations(context.Context, int64, func(woo.Variation) error) error        { return nil }
func (shop) Product(context.Context, int64) (woo.Product, error)                       { return woo.Product{}, nil }

// account stands in for OnCloudWine (the real engine gets an *oncloudwine.Client).
type account struct{}

func (account) UpsertVariants(_ context.Context, vs []oncloudwine.Variant) ([]oncloudwine.VariantResult, error) {
	out := make([]oncloudwine.VariantResult, len(vs))
	for i, v := range vs {
		fmt.Printf("upsert %s %s %s\n", v.SKU, v.Price, v.Currency)
		out[i] = oncloudwine.VariantResult{SKU: v.SKU, Created: true}
	}
	return out, nil
}
func (account) ArchiveVariants(context.Context, []string) error { return nil }

// RunJob runs SYNC_WOOCOMMERCE_PRODUCTS to its end, as `ocw-sidecar sync
// products` and the demo do; the items tell what synced and what failed.
func ExampleEngine_RunJob() {
	dir, _ := os.MkdirTemp("", "syncer-example-*")
	defer os.RemoveAll(dir)
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	_ = st.PutConnection(store.Connection{Status: store.ConnActive, Currency: "USD", WeightUnit: "kg"})

	eng, err := syncer.New(syncer.Config{Store: st, Woo: shop{}, OCW: account{}})
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Stop()
	job, err := eng.RunJob(context.Background(), store.JobSyncProducts, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(job.Type, job.State, job.Progress.Done, "/", job.Progress.Total)
	items, _, _ := st.ListItems(store.ItemFilter{Kind: syncer.ItemKind}, 10, "")
	for _, it := range items {
		fmt.Println(strings.TrimSpace(it.Key + " " + it.Status + " " + it.Error))
	}
	// Output:
	// upsert WINE-PIN-2022-750 30.50 USD
	// SYNC_WOOCOMMERCE_PRODUCTS succeeded 2 / 2
	// WINE-PIN-2022-750 SYNCED
	// woo-29 FAILED missing SKU — give it a SKU in WooCommerce
}
