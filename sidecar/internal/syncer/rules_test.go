package syncer

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

func TestPlanRules(t *testing.T) {
	t.Parallel()
	u := storeUnits{Currency: "EUR", WeightUnit: "kg"}
	pub := parentInfo{ID: 20, Kind: kindVariable, Status: "publish", SKU: "WINE-CABR", Name: "Cabernet Reserve", W: "1.4"}
	draftParent := pub
	draftParent.Status = "draft"
	withStatus := func(v woo.Variation, s string) woo.Variation { v.Status = s; return v }
	withWeight := func(v woo.Variation, w string) woo.Variation { v.Weight = woo.MustDecimal(w); return v }
	tests := []struct {
		name       string
		v          woo.Variation
		parent     parentInfo
		wantSKU    string // variant SKU ("" = none)
		wantFail   string
		wantGone   bool
		wantWeight string
	}{
		{"published", variation(21, "WINE-CABR-750", "750ml", "45.00"), pub, "WINE-CABR-750", "", false, "1.4"},
		{"own weight wins", withWeight(variation(21, "WINE-CABR-750", "750ml", "45.00"), "1.35"), pub, "WINE-CABR-750", "", false, "1.35"},
		{"private", withStatus(variation(22, "WINE-CABR-375", "375ml", "25.00"), "private"), pub, "", "variation is Private — publish it in WooCommerce", false, ""},
		{"draft", withStatus(variation(22, "WINE-CABR-375", "375ml", "25.00"), "draft"), pub, "", "variation is Draft — publish it in WooCommerce", false, ""},
		{"parent's SKU", variation(23, "WINE-CABR", "1.5L", "90.00"), pub, "", "give this variation its own SKU", false, ""},
		{"no SKU at all", variation(24, "", "3L", "180.00"), pub, "", failMissingSKU, false, ""},
		{"draft product: not synced, not failed", variation(21, "WINE-CABR-750", "750ml", "45.00"), draftParent, "", "", false, ""},
		{"trashed", withStatus(variation(21, "WINE-CABR-750", "750ml", "45.00"), "trash"), pub, "", "", true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := planVariation(tc.v, tc.parent, u)
			gotSKU, gotWeight := "", ""
			if p.Variant != nil {
				gotSKU, gotWeight = p.Variant.SKU, p.Variant.Weight
				if p.Variant.Currency != "EUR" || p.Variant.WeightUnit != "kg" || p.Variant.WooProductID != 20 || p.Variant.Status != "publish" {
					t.Errorf("variant = %+v", *p.Variant)
				}
			}
			if gotSKU != tc.wantSKU || p.Fail != tc.wantFail || p.Gone != tc.wantGone || gotWeight != tc.wantWeight {
				t.Errorf("plan = sku %q fail %q gone %v weight %q; want %q %q %v %q", gotSKU, p.Fail, p.Gone, gotWeight, tc.wantSKU, tc.wantFail, tc.wantGone, tc.wantWeight)
			}
		})
	}
}

func TestPlanProductStatuses(t *testing.T) {
	t.Parallel()
	u := storeUnits{Currency: "USD", WeightUnit: "lbs"}
	tests := []struct {
		status   string
		sku      string
		synced   bool
		fail     string
		gone     bool
		typ      string
		children int
	}{
		{"publish", "W-1", true, "", false, "simple", 0},
		{"publish", "", false, failMissingSKU, false, "simple", 0},
		{"draft", "W-1", false, "", false, "simple", 0},
		{"pending", "W-1", false, "", false, "simple", 0},
		{"private", "W-1", false, "", false, "simple", 0},
		{"trash", "W-1", false, "", true, "simple", 0},
		{"publish", "W-1", false, "", false, "grouped", 0},
		{"publish", "", false, "", false, "variable", 2},
	}
	for _, tc := range tests {
		p := simple(10, tc.sku, "Wine", "10.00")
		p.Status, p.Type = tc.status, tc.typ
		var vars []woo.Variation
		if tc.typ == "variable" {
			vars = []woo.Variation{variation(11, "W-1-750", "750ml", "10.00"), variation(12, "W-1-1500", "1.5L", "20.00")}
		}
		plans := planProduct(p, vars, u)
		head := plans[0]
		if (head.Variant != nil) != tc.synced || head.Fail != tc.fail || head.Gone != tc.gone || len(plans)-1 != tc.children {
			t.Errorf("%s %s %q: plan %+v (%d children)", tc.typ, tc.status, tc.sku, head, len(plans)-1)
		}
		if tc.typ == "variable" && (plans[1].Variant == nil || plans[1].Variant.VariantName != "750ml" || plans[1].ItemName != "Wine — 750ml") {
			t.Errorf("variable child plan = %+v", plans[1])
		}
	}
}

func TestUnknownWeightUnitDropsWeight(t *testing.T) {
	t.Parallel()
	plans := planProduct(simple(10, "W-1", "Wine", "10.00"), nil, storeUnits{Currency: "USD"})
	v := plans[0].Variant
	if v == nil || v.Weight != "" || v.WeightUnit != "" {
		t.Errorf("variant = %+v; a weight without its unit must not be sent", v)
	}
}

func TestHashIgnoresModifiedDate(t *testing.T) {
	t.Parallel()
	u := storeUnits{Currency: "USD", WeightUnit: "kg"}
	a := simple(10, "W-1", "Wine", "10.00")
	b := a
	b.DateModifiedGMT = at(60)
	c := a
	c.Price = woo.MustDecimal("11.00")
	ha, hb, hc := hashVariant(*planProduct(a, nil, u)[0].Variant), hashVariant(*planProduct(b, nil, u)[0].Variant), hashVariant(*planProduct(c, nil, u)[0].Variant)
	if diff := cmp.Diff(ha, hb); diff != "" {
		t.Errorf("a new date_modified changed the hash: %s", diff)
	}
	if ha == hc {
		t.Error("a price change kept the hash")
	}
}
