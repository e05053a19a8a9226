package syncer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// Online orders: the rules that decide whether a WooCommerce order goes to
// OnCloudWine and what it says there.

// metaReleaseOrderID marks the orders the sidecar created as release-order
// mirrors; they are never sent back.
const metaReleaseOrderID = "_oncloudwine_release_order_id"

// orderPaid is the rule for a first send: status processing or completed
// with a paid date, whatever the payment method.
func orderPaid(o woo.Order) bool {
	return (o.Status == "processing" || o.Status == "completed") && !o.DatePaidGMT.IsZero()
}

// isMirror reports whether the order carries the release-order meta.
func isMirror(o woo.Order) bool {
	_, ok := o.Meta(metaReleaseOrderID)
	return ok
}

// orderNumber is the number the customer saw, the id when WooCommerce sent
// none.
func orderNumber(o woo.Order) string {
	if n := strings.TrimSpace(o.Number); n != "" {
		return n
	}
	return fmt.Sprint(o.ID)
}

// orderLabel names an order for people: "Order #1234".
func orderLabel(number string) string { return "Order #" + number }

// mapOrder builds the OnCloudWine order. An error is a FAILED text: the
// order cannot be sent as WooCommerce has it. Totals go through as the
// decimal strings WooCommerce sent, never through float64.
func mapOrder(o woo.Order) (oncloudwine.Order, error) {
	out := oncloudwine.Order{
		WooOrderID: o.ID, Number: orderNumber(o), Status: o.Status, Currency: o.Currency,
		Total:    o.Total.String(),
		Customer: oncloudwine.Customer{Email: o.Billing.Email, FirstName: o.Billing.FirstName, LastName: o.Billing.LastName},
		Billing:  address(o.Billing), Shipping: address(o.Shipping),
	}
	if !o.Total.Valid() {
		return out, fmt.Errorf("order total %q is not a decimal number", o.Total.String())
	}
	refunded, err := o.RefundedTotal()
	if err != nil {
		return out, fmt.Errorf("refunded amount: %w", err)
	}
	out.TotalRefunded = refunded.String()
	if !o.DatePaidGMT.IsZero() {
		t := o.DatePaidGMT.UTC()
		out.DatePaid = &t
	}
	if !o.DateModifiedGMT.IsZero() {
		t := o.DateModifiedGMT.UTC()
		out.WooModifiedAt = &t
	}
	var warnings []string
	for _, li := range o.LineItems {
		line := oncloudwine.OrderLineItem{
			SKU: strings.TrimSpace(li.SKU), Name: li.Name, WooProductID: li.ProductID, WooVariationID: li.VariationID,
			Quantity: li.Quantity, Total: li.Total.String(),
		}
		if li.Quantity <= 0 {
			return out, fmt.Errorf("line %q has quantity %d", li.Name, li.Quantity)
		}
		if !li.Total.Valid() {
			return out, fmt.Errorf("line %q: total %q is not a decimal number", li.Name, li.Total.String())
		}
		if line.SKU == "" {
			warnings = append(warnings, noSKUWarning(li))
		}
		out.LineItems = append(out.LineItems, line)
	}
	if len(out.LineItems) == 0 {
		return out, errors.New("the order has no product lines")
	}
	out.Warning = strings.Join(warnings, "; ")
	return out, nil
}

// noSKUWarning names the product to fix for a line without SKU.
func noSKUWarning(li woo.LineItem) string {
	id := li.ProductID
	what := "product"
	if li.VariationID != 0 {
		id, what = li.VariationID, "variation"
	}
	return fmt.Sprintf("line %q (%s %d) has no SKU — give the %s a SKU in WooCommerce", li.Name, what, id, what)
}

func address(a woo.Address) oncloudwine.Address {
	return oncloudwine.Address{
		FirstName: a.FirstName, LastName: a.LastName, Company: a.Company, Address1: a.Address1, Address2: a.Address2,
		City: a.City, State: a.State, Postcode: a.Postcode, Country: a.Country, Email: a.Email, Phone: a.Phone,
	}
}

// hashOrder is the content hash that keeps the same order from being sent
// twice. The modification date is left out: a save that changed nothing
// OnCloudWine keeps is not sent again.
func hashOrder(o oncloudwine.Order) string {
	o.WooModifiedAt = nil
	b, _ := json.Marshal(o)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}
