package syncer

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// Entity kinds as the engine records them.
const (
	kindSimple    = "simple"
	kindVariable  = "variable"
	kindVariation = "variation"
	kindOther     = "other" // grouped, external, …: never synced
)

// Texts of FAILED items (a product the sync refuses); a person reads them next
// to the product.
const (
	failMissingSKU = "missing SKU — give it a SKU in WooCommerce"
	failParentSKU  = "give this variation its own SKU"
	failSKUTooLong = "SKU is longer than 100 characters — shorten the SKU in WooCommerce"
	failSKUControl = "SKU holds control characters — remove control characters from the SKU in WooCommerce"
)

// maxSKULength is WooCommerce's own limit: the sku column of its product
// lookup table is VARCHAR(100). A longer SKU cannot be looked up there, and
// one of 32 KiB or more cannot even be a key of the sidecar's store.
const maxSKULength = 100

// skuProblem returns the FAILED text of a SKU the sidecar must not use as a
// key or send, or "" for a usable one.
func skuProblem(sku string) string {
	if utf8.RuneCountInString(sku) > maxSKULength {
		return failSKUTooLong
	}
	if strings.IndexFunc(sku, unicode.IsControl) >= 0 || !utf8.ValidString(sku) {
		return failSKUControl
	}
	return ""
}

// variantStatus is the status sent for every synced variant: only published
// products and variations are synced.
const variantStatus = "publish"

// failUnpublished is the FAILED text of a variation that is not published.
func failUnpublished(status string) string {
	return fmt.Sprintf("variation is %s — publish it in WooCommerce", statusTitle(status))
}

// failDuplicate is the FAILED text of each product sharing a SKU.
func failDuplicate(sku string, other int64) string {
	return fmt.Sprintf("SKU %s is also used by product %d — give each product its own SKU", sku, other)
}

func statusTitle(s string) string {
	switch s {
	case "draft":
		return "Draft"
	case "private":
		return "Private"
	case "pending":
		return "Pending"
	case "future":
		return "Scheduled"
	case "":
		return "unpublished"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// storeUnits are the store-wide settings every variant carries.
type storeUnits struct {
	Currency, WeightUnit string
}

// plan is what the rules decided for one WooCommerce entity (a product or a
// variation): upsert Variant, report Fail, skip (neither), or Gone (trashed
// or deleted: archive what it had).
type plan struct {
	ID, ParentID int64
	Kind         string
	Status       string
	SKU          string // as WooCommerce reports it (parent's SKU on a variation without its own)
	Name         string // product name; for a variation the parent's
	ItemName     string // what a person sees in the item list
	Weight       string // a product's own weight (variations fall back to it)
	Modified     time.Time
	Variant      *oncloudwine.Variant
	Fail         string
	Gone         bool
}

// parentInfo is what a variation needs of its parent product.
type parentInfo struct {
	ID                         int64
	Kind, Status, SKU, Name, W string
}

func kindOf(typ string) string {
	switch typ {
	case "simple":
		return kindSimple
	case "variable":
		return kindVariable
	case "variation":
		return kindVariation
	}
	return kindOther
}

// planProduct applies the rules to a product and, for a variable product,
// to the variations given (vars nil = variations not known here).
func planProduct(p woo.Product, vars []woo.Variation, u storeUnits) []plan {
	pl := plan{
		ID: p.ID, Kind: kindOf(p.Type), Status: p.Status, SKU: strings.TrimSpace(p.SKU),
		Name: p.Name, ItemName: p.Name, Weight: p.Weight.String(), Modified: p.DateModifiedGMT.Time,
	}
	out := make([]plan, 0, 1+len(vars))
	switch {
	case p.Status == "trash":
		pl.Gone = true
	case pl.Kind == kindSimple && p.Status == "publish":
		if pl.SKU == "" {
			pl.Fail = failMissingSKU
		} else if bad := skuProblem(pl.SKU); bad != "" {
			pl.Fail = bad
		} else {
			v := variantOf(pl.SKU, p.ID, 0, p.Name, p.Name, simpleAttributes(p.Attributes), p.Price, p.RegularPrice, p.SalePrice, pl.Weight, pl.Modified, u)
			pl.Variant = &v
		}
	}
	out = append(out, pl)
	if pl.Kind != kindVariable {
		return out
	}
	parent := parentInfo{ID: p.ID, Kind: pl.Kind, Status: p.Status, SKU: pl.SKU, Name: p.Name, W: pl.Weight}
	for _, v := range vars {
		out = append(out, planVariation(v, parent, u))
	}
	return out
}

// planVariation applies the rules to one variation of parent.
func planVariation(v woo.Variation, parent parentInfo, u storeUnits) plan {
	attrs := map[string]string{}
	var opts []string
	for _, a := range v.Attributes {
		if a.Option == "" || a.Name == "" {
			continue
		}
		attrs[a.Name] = a.Option
		opts = append(opts, a.Option)
	}
	label := strings.Join(opts, ", ")
	itemName := parent.Name
	if label != "" {
		itemName += " — " + label
	}
	if parent.Name == "" {
		itemName = v.Name
	}
	pl := plan{
		ID: v.ID, ParentID: parent.ID, Kind: kindVariation, Status: v.Status, SKU: strings.TrimSpace(v.SKU),
		Name: parent.Name, ItemName: itemName, Modified: v.DateModifiedGMT.Time,
	}
	if pl.ParentID == 0 {
		pl.ParentID = v.ParentID
	}
	switch {
	case v.Status == "trash" || parent.Status == "trash":
		pl.Gone = true
	case parent.Status != "publish":
		// The product is not published: its variations are not synced.
	case v.Status != "publish":
		pl.Fail = failUnpublished(v.Status)
	case pl.SKU == "":
		pl.Fail = failMissingSKU
	case parent.SKU != "" && pl.SKU == parent.SKU:
		pl.Fail = failParentSKU
	case skuProblem(pl.SKU) != "":
		pl.Fail = skuProblem(pl.SKU)
	default:
		weight := v.Weight.String()
		if weight == "" {
			weight = parent.W
		}
		name := parent.Name
		if name == "" {
			name = v.Name
		}
		variantName := label
		if variantName == "" {
			variantName = name
		}
		vr := variantOf(pl.SKU, pl.ParentID, v.ID, name, variantName, attrs, v.Price, v.RegularPrice, v.SalePrice, weight, pl.Modified, u)
		pl.Variant = &vr
	}
	return pl
}

// simpleAttributes keeps the attributes of a simple product that have one
// value (Vintage 2022); lists of values describe choices, not this bottle.
func simpleAttributes(in []woo.Attribute) map[string]string {
	out := map[string]string{}
	for _, a := range in {
		if a.Name != "" && len(a.Options) == 1 && a.Options[0] != "" {
			out[a.Name] = a.Options[0]
		}
	}
	return out
}

func variantOf(sku string, productID, variationID int64, productName, variantName string, attrs map[string]string,
	price, regular, sale woo.Decimal, weight string, modified time.Time, u storeUnits) oncloudwine.Variant {
	v := oncloudwine.Variant{
		SKU: sku, WooProductID: productID, WooVariationID: variationID,
		ProductName: productName, VariantName: variantName, Attributes: attrs, Status: variantStatus,
		Price: price.String(), RegularPrice: regular.String(), SalePrice: sale.String(),
		Currency: u.Currency, Weight: weight, WooModifiedAt: modified.UTC(),
	}
	switch {
	case u.WeightUnit == "":
		v.Weight = "" // a weight without its unit means nothing (and OnCloudWine refuses it)
	case weight != "":
		v.WeightUnit = u.WeightUnit
	}
	return v
}
