package mirror

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// What a mirrored order says about itself.
const (
	PaymentMethod      = "oncloudwine"
	PaymentMethodTitle = "OnCloudWine release"
	CreatedVia         = "oncloudwine"
	ShippingMethodID   = "oncloudwine"
)

// inputError is a release order that cannot become a WooCommerce order as
// it is (an unknown SKU); msg is what the store admin reads.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

// UnknownSKUMessage is the FAILED reason of a line whose SKU WooCommerce
// does not have.
func UnknownSKUMessage(sku string) string {
	return fmt.Sprintf("SKU %s is not in WooCommerce — sync products first", sku)
}

// orderInput builds the WooCommerce order of a release order: processing
// and paid, lines by SKU at the release's unit prices, its shipping,
// addresses, currency, the two metas and a note naming the release.
func (m *Mirror) orderInput(ctx context.Context, wc Woo, ro oncloudwine.ReleaseOrder) (woo.OrderInput, error) {
	if len(ro.LineItems) == 0 {
		return woo.OrderInput{}, &inputError{"The release order has no lines."}
	}
	lines := make([]woo.LineItemInput, 0, len(ro.LineItems))
	for i, li := range ro.LineItems {
		ref, err := m.resolveSKU(ctx, wc, li.SKU)
		if err != nil {
			return woo.OrderInput{}, err
		}
		total, err := lineTotal(li)
		if err != nil {
			return woo.OrderInput{}, &inputError{fmt.Sprintf("line %d (SKU %s): %v", i+1, li.SKU, err)}
		}
		lines = append(lines, woo.LineItemInput{ProductID: ref.ProductID, VariationID: ref.VariationID, Quantity: li.Quantity, Subtotal: total, Total: total})
	}
	customerID, err := m.customerFor(ctx, wc, ro)
	if err != nil {
		return woo.OrderInput{}, err
	}
	billing, shipping := address(ro.Billing), address(ro.Shipping)
	if billing.Email == "" {
		billing.Email = ro.Customer.Email
	}
	if billing.Phone == "" {
		billing.Phone = ro.Customer.Phone
	}
	in := woo.OrderInput{
		Status: "processing", SetPaid: true, CustomerID: customerID,
		PaymentMethod: PaymentMethod, PaymentMethodTitle: PaymentMethodTitle, TransactionID: ro.ID,
		Currency: ro.Currency, CreatedVia: CreatedVia,
		CustomerNote: fmt.Sprintf("OnCloudWine release %s, release order %s", ro.ReleaseID, ro.Number),
		Billing:      &billing, Shipping: &shipping, LineItems: lines,
		MetaData: []woo.MetaInput{{Key: woo.ReleaseOrderMeta, Value: ro.ID}, {Key: woo.ReleaseMeta, Value: ro.ReleaseID}},
	}
	if ro.ShippingTotal != "" {
		ship, err := woo.ParseDecimal(ro.ShippingTotal)
		if err != nil {
			return woo.OrderInput{}, &inputError{fmt.Sprintf("shipping_total %q: %v", ro.ShippingTotal, err)}
		}
		in.ShippingLines = []woo.ShippingLineInput{{MethodID: ShippingMethodID, MethodTitle: "OnCloudWine release shipping", Total: ship}}
	}
	return in, nil
}

// lineTotal is quantity × unit price, exact, with the unit price's
// decimals (at least 2).
func lineTotal(li oncloudwine.ReleaseLineItem) (woo.Decimal, error) {
	if li.Quantity <= 0 {
		return woo.Decimal{}, errors.New("quantity must be positive")
	}
	unit, ok := new(big.Rat).SetString(li.UnitPrice)
	if !ok {
		return woo.Decimal{}, fmt.Errorf("unit_price %q is not a decimal", li.UnitPrice)
	}
	decimals := 2
	if _, frac, found := strings.Cut(li.UnitPrice, "."); found && len(frac) > decimals {
		decimals = len(frac)
	}
	return woo.ParseDecimal(unit.Mul(unit, big.NewRat(int64(li.Quantity), 1)).FloatString(decimals))
}

func address(a oncloudwine.Address) woo.Address {
	return woo.Address{FirstName: a.FirstName, LastName: a.LastName, Company: a.Company, Address1: a.Address1, Address2: a.Address2,
		City: a.City, State: a.State, Postcode: a.Postcode, Country: a.Country, Email: a.Email, Phone: a.Phone}
}

// skuRef is a resolved SKU.
type skuRef = woo.ProductRef

// skuCache remembers the product of each SKU seen, so a release of 1,000
// orders over three wines asks WooCommerce three times. An unknown SKU is
// not remembered (it is asked again on the retry, and found once the
// product exists); a refused product forgets everything.
type skuCache struct {
	mu   sync.Mutex
	refs map[string]skuRef
}

func (c *skuCache) get(sku string) (skuRef, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.refs[sku]
	return r, ok
}

func (c *skuCache) put(sku string, r skuRef) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refs[sku] = r
}

func (c *skuCache) forgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.refs)
}

func (m *Mirror) resolveSKU(ctx context.Context, wc Woo, sku string) (skuRef, error) {
	sku = strings.TrimSpace(sku)
	if r, ok := m.skus.get(sku); ok {
		return r, nil
	}
	r, found, err := wc.ProductBySKU(ctx, sku)
	if err != nil {
		return skuRef{}, err
	}
	if !found {
		return skuRef{}, &inputError{UnknownSKUMessage(sku)}
	}
	m.skus.put(sku, r)
	return r, nil
}

// wooText is the text a store admin reads for a WooCommerce failure.
func wooText(err error) string {
	var we *woo.Error
	if errors.As(err, &we) {
		return "WooCommerce said: " + we.Error()
	}
	return err.Error()
}

// definite reports whether a failed create certainly created nothing: a
// 4xx answer. A timeout, a cut connection, a 5xx or an unreadable 2xx may
// have created the order.
func definite(err error) bool {
	var we *woo.Error
	return errors.As(err, &we) && we.Status >= 400 && we.Status < 500
}

func refusedCustomer(err error) bool {
	var we *woo.Error
	return errors.As(err, &we) && we.Status == http.StatusBadRequest && we.WooCode == "woocommerce_rest_invalid_customer_id"
}

func refusedProduct(err error) bool {
	var we *woo.Error
	return errors.As(err, &we) && we.Status == http.StatusBadRequest && strings.Contains(we.WooCode, "invalid_product")
}
