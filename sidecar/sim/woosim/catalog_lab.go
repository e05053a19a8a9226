package woosim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The lab catalog reproduces the stores the fixtures were captured from: 20
// published simple wines, a draft, a trashed one and 10 variable wines
// (Size × Vintage, 6 variations each) with their edge cases, then 4 orders.
// Ids follow the captures: the first product is 11 on 10.0.2 and 10 on 6.9.0.

type labSimple struct {
	name, sku, regular, sale, weight, category, vintage, region string
	stock                                                       int // -1 = stock not managed
	sales                                                       int
}

var labSimples = []labSimple{
	{"Cabernet Sauvignon 2021", "WINE-CAB-2021-750", "40.00", "", "1.35", "Red", "2021", "Sonoma", 46, 2},
	{"Merlot 2020", "WINE-MER-2020-750", "22.50", "18.99", "1.3", "Red", "2020", "Napa Valley", 34, 3},
	{"Pinot Noir 2022", "WINE-PIN-2022-750", "30.50", "", "1.3", "Red", "2022", "Sonoma", 24, 0},
	{"Chardonnay 2022", "WINE-CHA-2022-750", "24.00", "", "1.3", "White", "2022", "Napa Valley", 60, 0},
	{"Sauvignon Blanc 2023", "WINE-SAB-2023-750", "18.00", "15.00", "1.25", "White", "2023", "Sonoma", 72, 0},
	{"Riesling Kabinett 2021", "WINE-RIE-2021-750", "20", "", "1.25", "White", "2021", "Napa Valley", 30, 0},
	{"Syrah 2019", "WINE-SYR-2019-750", "41.00", "", "1.4", "Red", "2019", "Sonoma", 11, 0},
	{"Zinfandel 2020", "WINE-ZIN-2020-750", "26.00", "", "1.35", "Red", "2020", "Napa Valley", 14, 4},
	{"Malbec 2021", "WINE-MAL-2021-750", "19.50", "17.50", "1.35", "Red", "2021", "Sonoma", 33, 0},
	{"Tempranillo Crianza 2018", "WINE-TEM-2018-750", "22", "", "1.4", "Red", "2018", "Napa Valley", 20, 0},
	{"Sangiovese 2019", "WINE-SAN-2019-750", "21", "", "1.35", "Red", "2019", "Sonoma", 16, 0},
	{"Nebbiolo 2017", "WINE-NEB-2017-750", "58.00", "", "1.45", "Red", "2017", "Napa Valley", 6, 0},
	{"Grenache Rosé 2023", "WINE-GRO-2023-750", "17.50", "", "1.25", "Rosé", "2023", "Sonoma", 50, 0},
	{"Prosecco NV", "WINE-PRO-NV-750", "16.00", "13.50", "1.6", "Sparkling", "", "Napa Valley", 90, 0},
	{"Champagne Brut NV", "WINE-CHB-NV-750", "49.00", "", "1.65", "Sparkling", "", "Sonoma", 9, 1},
	{"Gewürztraminer 2022", "WINE-GEW-2022-750", "27.00", "", "1.25", "White", "2022", "Napa Valley", 12, 2},
	{"Chenin Blanc 2021 (half bottle)", "WINE-CHE-2021-375", "12.00", "", "0.75", "White", "2021", "Sonoma", 2, 0},
	{"Viognier 2022", "WINE-VIO-2022-750", "28.00", "", "1.3", "White", "2022", "Napa Valley", 0, 0},
	{"House Red (no SKU)", "", "11.00", "", "1.3", "Red", "", "Sonoma", 100, 0},
	{"Cellar Door Blend", "WINE-CDB-NV-750", "15.00", "", "1.3", "Red", "", "Napa Valley", -1, 0},
}

type labVariable struct {
	name, sku, base, category, region string
}

var labVariables = []labVariable{
	{"Cabernet Sauvignon Reserve", "WINE-CABR", "40.00", "Red", "Napa Valley"},
	{"Pinot Noir Estate", "WINE-PINE", "32.00", "Red", "Napa Valley"},
	{"Chardonnay Reserve", "WINE-CHAR", "28.00", "White", "Napa Valley"},
	{"Merlot Estate", "WINE-MERE", "24.00", "Red", "Napa Valley"},
	{"Syrah Hillside", "WINE-SYRH", "30.00", "Red", "Napa Valley"},
	{"Zinfandel Old Vine", "WINE-ZINO", "27.00", "Red", "Napa Valley"},
	{"Malbec Alto", "WINE-MALA", "22.00", "Red", "Napa Valley"},
	{"Sauvignon Blanc Coastal", "WINE-SABC", "18.00", "White", "Napa Valley"},
	{"Bordeaux Blend", "WINE-BDXB", "40.80", "Red", "Napa Valley"},
	{"Rioja Gran Reserva", "WINE-RIOG", "38.00", "Red", "Rioja"},
}

var categories = map[string]Term{
	"Red":           {ID: 25, Name: "Red", Slug: "red"},
	"White":         {ID: 26, Name: "White", Slug: "white"},
	"Rosé":          {ID: 27, Name: "Rosé", Slug: "rose"},
	"Sparkling":     {ID: 28, Name: "Sparkling", Slug: "sparkling"},
	"Uncategorized": {ID: 15, Name: "Uncategorized", Slug: "uncategorized"},
}

const (
	attrSizeID    = 1
	attrVintageID = 2
)

// sizeSlug is the term slug WooCommerce derives from a size ("1.5L" → "1-5l").
func sizeSlug(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, ".", "-"))
}

// sizeCode is the SKU suffix of a size ("1.5L" → "1500").
func sizeCode(s string) string {
	switch s {
	case "375ml":
		return "375"
	case "750ml":
		return "750"
	case "1.5L":
		return "1500"
	case "3L":
		return "3000"
	}
	return strings.TrimSuffix(strings.ToLower(s), "ml")
}

// sizeWeight is the shipping weight of a bottle size, in kg.
func sizeWeight(s string) string {
	switch s {
	case "375ml":
		return "0.75"
	case "1.5L":
		return "2.70"
	case "3L":
		return "5.20"
	}
	return "1.35"
}

// slugify makes a WordPress-like slug: lower case, ASCII, dashes.
func slugify(s string) string {
	r := strings.NewReplacer("é", "e", "è", "e", "ü", "u", "ö", "o", "ä", "a", "â", "a", "ô", "o", "í", "i", "ñ", "n")
	s = strings.ToLower(r.Replace(s))
	var b strings.Builder
	dash := false
	for _, c := range s {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func intp(v int) *int { return &v }

// money formats cents as WooCommerce's 2-decimal string.
func money(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// cents parses a WooCommerce price string ("18.99", "20", "") into cents.
func cents(s string) int64 {
	if s == "" {
		return 0
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var c int64
	for _, d := range whole {
		if d < '0' || d > '9' {
			return 0
		}
		c = c*10 + int64(d-'0')
	}
	c *= 100
	frac = (frac + "00")[:2]
	c += int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	if neg {
		c = -c
	}
	return c
}

// seedLab adds the lab catalog, customers and orders to st, ids from base.
func seedLab(st *state, base int64, at time.Time) {
	id := base
	next := func() int64 { v := id; id++; return v }
	metaID := int64(25)
	meta := func(k, v string) Meta { metaID += 21; return Meta{ID: metaID, Key: k, Value: v} }
	for i, w := range labSimples {
		p := &Product{ID: next(), Type: "simple", Name: w.name, Slug: slugify(w.name), Status: "publish",
			SKU: w.sku, RegularPrice: w.regular, SalePrice: w.sale, Weight: w.weight,
			ManageStock: w.stock >= 0, Backorders: "no", TotalSales: w.sales,
			Description:      "<p>A " + w.category + " wine from the lab catalog. Tasting notes: dark fruit, oak, long finish.</p>\n",
			ShortDescription: "<p>" + w.name + " — lab catalog wine.</p>\n",
			Categories:       []Term{categories[w.category]},
			MetaData:         []Meta{meta("lab_region", w.region)},
			DateCreated:      at.Add(time.Duration(i) * time.Second / 10), DateModified: at}
		if w.stock >= 0 {
			p.StockQuantity = intp(w.stock)
		}
		if w.vintage != "" {
			p.Attributes = []Attribute{{ID: attrVintageID, Name: "Vintage", Slug: "pa_vintage", Visible: true, Options: []string{w.vintage}}}
		}
		if w.sku == "" {
			p.MetaData = append(p.MetaData, meta("lab_note", "edge: no SKU"))
		}
		if w.stock < 0 {
			p.MetaData = append(p.MetaData, meta("lab_note", "edge: manage_stock off"))
		}
		p.DateCreated = p.DateCreated.Truncate(time.Second)
		st.put(p)
	}
	draft := &Product{ID: next(), Type: "simple", Name: "Barolo Riserva 2016", Slug: "barolo-riserva-2016", Status: "draft",
		SKU: "WINE-BAR-2016-750", RegularPrice: "95.00", Weight: "1.5", ManageStock: true, StockQuantity: intp(3), Backorders: "no",
		Categories: []Term{categories["Red"]}, MetaData: []Meta{meta("lab_region", "Sonoma"), meta("lab_note", "edge: draft product")},
		Attributes:  []Attribute{{ID: attrVintageID, Name: "Vintage", Slug: "pa_vintage", Visible: true, Options: []string{"2016"}}},
		DateCreated: at.Add(8 * time.Second), DateModified: at.Add(8 * time.Second)}
	st.put(draft)
	trashed := &Product{ID: next(), Type: "simple", Name: "Lambrusco 2019", Slug: "lambrusco-2019__trashed", Status: "trash",
		SKU: "WINE-LAM-2019-750", RegularPrice: "14.00", Weight: "1.3", ManageStock: true, StockQuantity: intp(10), Backorders: "no",
		Categories: []Term{categories["Red"]}, MetaData: []Meta{meta("lab_region", "Napa Valley"), meta("lab_note", "edge: trashed product")},
		Attributes:  []Attribute{{ID: attrVintageID, Name: "Vintage", Slug: "pa_vintage", Visible: true, Options: []string{"2019"}}},
		DateCreated: at.Add(time.Second), DateModified: at.Add(time.Second)}
	st.put(trashed)
	sizes := []string{"750ml", "1.5L"}
	vintages := []string{"2019", "2020", "2021"}
	for k, w := range labVariables {
		parent := &Product{ID: next(), Type: "variable", Name: w.name, Slug: slugify(w.name), Status: "publish", SKU: w.sku,
			Backorders: "no", Categories: []Term{categories[w.category]},
			ShortDescription: "<p>" + w.name + " in two bottle sizes and three vintages.</p>\n",
			MetaData:         []Meta{meta("lab_region", w.region)},
			Attributes: []Attribute{
				{ID: attrSizeID, Name: "Size", Slug: "pa_size", Position: 0, Visible: true, Variation: true, Options: []string{"1.5L", "750ml"}},
				{ID: attrVintageID, Name: "Vintage", Slug: "pa_vintage", Position: 1, Visible: true, Variation: true, Options: vintages},
			},
			DefaultAttrs: []Attribute{{ID: attrSizeID, Name: "Size", Option: "750ml"}, {ID: attrVintageID, Name: "Vintage", Option: "2021"}},
			DateCreated:  at.Add(2 * time.Second), DateModified: at.Add(4 * time.Second)}
		if w.sku == "WINE-RIOG" { // edge: stock managed on the parent
			parent.ManageStock, parent.StockQuantity = true, intp(60)
		}
		st.put(parent)
		base := cents(w.base)
		for si, size := range sizes {
			for vi, vintage := range vintages {
				years := int64(2 - vi)
				price := base + 300*years
				stock := 6 + k + 3*vi
				if size == "1.5L" {
					price = base*21/10 + 300*years
					stock += 2
				}
				v := newVariation(parent, next(), size, vintage, money(price), stock)
				v.DateCreated, v.DateModified = parent.DateCreated, parent.DateCreated
				switch {
				case w.sku == "WINE-CHAR" && si == 1 && vi == 0: // edge: unpublished variation
					v.Status = "private"
				case w.sku == "WINE-SABC" && si == 1 && vi == 2: // edge: no SKU of its own
					v.SKU = ""
				case w.sku == "WINE-RIOG": // edge: stock managed at parent level
					v.ManageStock, v.StockQuantity = false, nil
				}
				st.put(v)
			}
		}
	}
	seedLabPeople(st, at.Add(4*time.Second), base == 11)
	// A product made by an earlier batch run of the lab (uncategorized).
	rose := &Product{ID: st.newPostID(), Type: "simple", Name: "Batch Rosé", Slug: "batch-rose", Status: "publish",
		SKU: "WINE-BRO-0001-750", RegularPrice: "14.00", Weight: "1.25", ManageStock: true, StockQuantity: intp(24),
		Categories: []Term{categories["Uncategorized"]}, DateCreated: at.Add(2 * time.Minute), DateModified: at.Add(2 * time.Minute)}
	st.put(rose)
}

// newVariation builds a variation of parent with one Size and one Vintage.
func newVariation(parent *Product, id int64, size, vintage, price string, stock int) *Product {
	v := &Product{ID: id, ParentID: parent.ID, Type: "variation", Status: "publish",
		Name: size + ", " + vintage, Slug: parent.Slug + "-" + sizeSlug(size) + "-" + vintage,
		SKU:          parent.SKU + "-" + vintage + "-" + sizeCode(size),
		RegularPrice: price, Weight: sizeWeight(size), ManageStock: true, StockQuantity: intp(stock), Backorders: "no",
		Description: "<p>" + parent.Name + " " + vintage + ", " + size + "</p>\n",
		Attributes: []Attribute{
			{ID: attrSizeID, Name: "Size", Slug: "pa_size", Option: size},
			{ID: attrVintageID, Name: "Vintage", Slug: "pa_vintage", Option: vintage},
		}}
	parent.Variations = append(parent.Variations, id)
	return v
}

// seedLabPeople adds the lab's customers and its 4 seeded orders.
func seedLabPeople(st *state, at time.Time, modern bool) {
	addr := func(first, last, street, city, zip, email, phone string) Address {
		return Address{FirstName: first, LastName: last, Address1: street, City: city, State: "CA", Postcode: zip, Country: "US", Email: email, Phone: phone}
	}
	people := []Customer{
		{ID: 1, Email: "admin@lab.example.test", FirstName: "Lab", LastName: "Admin", Role: "administrator", Username: "admin"},
		{ID: 2, Email: "alice.lab@example.test", FirstName: "Alice", LastName: "Vintner", Role: "customer", Username: "alice.lab",
			Billing: addr("Alice", "Vintner", "12 Cork Street", "Napa", "94558", "alice.lab@example.test", "+1-555-0100"), IsPayingCustomer: true},
		{ID: 3, Email: "bob.lab@example.test", FirstName: "Bob", LastName: "Barrel", Role: "customer", Username: "bob.lab",
			Billing: addr("Bob", "Barrel", "3 Cask Lane", "Sonoma", "95476", "bob.lab@example.test", "+1-555-0101"), IsPayingCustomer: true},
		{ID: 4, Email: "carol.lab@example.test", FirstName: "Carol", LastName: "Cellar", Role: "shop_manager", Username: "carol.lab",
			Billing: addr("Carol", "Cellar", "9 Vat Road", "Healdsburg", "95448", "carol.lab@example.test", "+1-555-0102")},
		{ID: 5, Email: "zoe.lab@example.test", FirstName: "Zoe", LastName: "Zinfandel", Role: "customer", Username: "zoe.lab",
			Billing: addr("Zoe", "Zinfandel", "77 Terroir Ave", "Lodi", "95240", "zoe.lab@example.test", "+1-555-0103"), IsPayingCustomer: true},
	}
	for i := range people {
		c := people[i]
		if c.Billing.Email != "" {
			c.Shipping = c.Billing
			c.Shipping.Email, c.Shipping.Phone = "", ""
		}
		c.DateCreated, c.DateModified = at, at
		if c.IsPayingCustomer && !modern {
			c.MetaData = []Meta{{ID: 136 + c.ID, Key: "wc_last_active", Value: strconv.FormatInt(at.Truncate(24*time.Hour).Unix(), 10)}}
		}
		st.customers[c.ID] = &c
		st.customerOrder = append(st.customerOrder, c.ID)
	}
	st.nextUserID = 6
	type line struct {
		sku   string
		qty   int
		total string
	}
	seeds := []struct {
		status   string
		customer int64
		email    string
		lines    []line
	}{
		{"processing", 2, "alice.lab@example.test", []line{{"WINE-CAB-2021-750", 2, "68.00"}, {"WINE-MER-2020-750", 1, "19.99"}}},
		{"completed", 3, "bob.lab@example.test", []line{{"WINE-CHB-NV-750", 1, "49.00"}}},
		{"pending", 0, "guest.lab@example.test", []line{{"WINE-PIN-2022-750", 3, "87.00"}}},
		{"processing", 5, "zoe.lab@example.test", []line{{"WINE-CABR-2020-1500", 1, "87.00"}, {"WINE-GEW-2022-750", 2, "54.00"}}},
	}
	for _, s := range seeds {
		o := &Order{Status: s.status, CustomerID: s.customer, CreatedVia: "lab-seed",
			PaymentMethod: "bacs", PaymentMethodTitle: "Direct bank transfer",
			MetaData:      []Meta{{Key: "lab_seed", Value: "1"}},
			ShippingLines: []ShippingLine{{MethodTitle: "Flat rate", MethodID: "flat_rate", Total: "10.00"}}}
		if c := st.customers[s.customer]; c != nil {
			o.Billing, o.Shipping = c.Billing, c.Shipping
		} else {
			o.Billing = Address{FirstName: "Guest", LastName: "Lab", Email: s.email}
		}
		for _, l := range s.lines {
			p := st.bySKU(l.sku)
			if p == nil {
				continue
			}
			li := LineItem{Quantity: l.qty, Subtotal: l.total, Total: l.total}
			st.fillLine(&li, p)
			o.LineItems = append(o.LineItems, li)
		}
		if !modern && s.status != "pending" {
			o.MetaData = append(o.MetaData, Meta{Key: "_new_order_email_sent", Value: "true"})
		}
		if s.status != "pending" {
			// The lab's stock levels and sales counts are after these orders.
			o.StockReduced = true
			for i := range o.LineItems {
				li := &o.LineItems[i]
				li.ReducedStock = li.Quantity
				li.MetaData = append(li.MetaData, Meta{ID: st.newMetaID(), Key: "_reduced_stock", Value: strconv.Itoa(li.Quantity)})
				if v := st.products[li.VariationID]; v != nil && v.StockQuantity != nil {
					*v.StockQuantity -= li.Quantity // variation stock comes from a formula, before orders
				}
			}
		}
		st.insertOrder(o, at, s.status != "pending", false)
	}
}
