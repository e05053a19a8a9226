package woosim

import (
	"fmt"
	"math/rand/v2"
	"time"
)

var (
	genGrapes = []string{"Cabernet Sauvignon", "Merlot", "Pinot Noir", "Syrah", "Zinfandel", "Malbec", "Tempranillo",
		"Sangiovese", "Nebbiolo", "Grenache", "Chardonnay", "Sauvignon Blanc", "Riesling", "Chenin Blanc", "Viognier",
		"Gewürztraminer", "Pinot Gris", "Mourvèdre", "Petite Sirah", "Cabernet Franc", "Barbera", "Albariño"}
	genStyles = []string{"Reserve", "Estate", "Old Vine", "Hillside", "Single Vineyard", "Cuvée", "Grand Cru", "Coastal",
		"Mountain", "Valley Floor", "Late Harvest", "Barrel Select", "Heritage", "Riverbank", "Terraces"}
	genPlaces = []string{"Napa Valley", "Sonoma", "Paso Robles", "Willamette", "Rioja", "Mendoza", "Barossa", "Mosel",
		"Tuscany", "Piedmont", "Rhône", "Loire", "Alsace", "Douro", "Stellenbosch", "Marlborough"}
	genSizes    = []string{"750ml", "1.5L", "375ml", "3L"}
	genVintages = []string{"2023", "2022", "2021", "2020", "2019", "2018"}
	whiteGrapes = map[string]bool{"Chardonnay": true, "Sauvignon Blanc": true, "Riesling": true, "Chenin Blanc": true,
		"Viognier": true, "Gewürztraminer": true, "Pinot Gris": true, "Albariño": true}
)

// seedGenerated appends n variable wines with m variations each (Size × Vintage),
// deterministic for a seed. Each variable product takes m+1 consecutive ids.
func seedGenerated(st *state, n, m int, seed int64, at time.Time) {
	if n <= 0 {
		return
	}
	if m < 1 {
		m = 1
	}
	if max := len(genSizes) * len(genVintages); m > max {
		m = max
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x0c1d))
	regionMeta := make([]Meta, len(genPlaces))
	for i, pl := range genPlaces {
		regionMeta[i] = Meta{ID: st.newMetaID(), Key: "region", Value: pl}
	}
	// Pick which sizes × vintages the products carry: sizes first, then vintages,
	// so that 4 variations are 2 sizes × 2 vintages like the lab's bulk catalog.
	nSizes := 1
	for nSizes < len(genSizes) && nSizes*len(genVintages) < m && nSizes*nSizes < m {
		nSizes++
	}
	for i := 0; i < n; i++ {
		grape := genGrapes[rng.IntN(len(genGrapes))]
		style := genStyles[rng.IntN(len(genStyles))]
		place := rng.IntN(len(genPlaces))
		name := fmt.Sprintf("%s %s %s", genPlaces[place], grape, style)
		cat := categories["Red"]
		if whiteGrapes[grape] {
			cat = categories["White"]
		}
		created := at.Add(time.Duration(i) * time.Millisecond).Truncate(time.Second)
		parent := &Product{ID: st.newPostID(), Type: "variable", Name: name, Slug: slugify(name) + fmt.Sprintf("-%05d", i+1),
			Status: "publish", SKU: fmt.Sprintf("GEN-%05d", i+1), Backorders: "no", Categories: []Term{cat},
			MetaData:    []Meta{regionMeta[place]},
			DateCreated: created, DateModified: created}
		sizes := genSizes[:nSizes]
		nV := (m + nSizes - 1) / nSizes
		start := rng.IntN(len(genVintages) - nV + 1)
		vintages := genVintages[start : start+nV]
		parent.Attributes = []Attribute{
			{ID: attrSizeID, Name: "Size", Slug: "pa_size", Visible: true, Variation: true, Options: sizes},
			{ID: attrVintageID, Name: "Vintage", Slug: "pa_vintage", Position: 1, Visible: true, Variation: true, Options: vintages},
		}
		parent.DefaultAttrs = []Attribute{}
		st.put(parent)
		base := int64(1200 + rng.IntN(6000)) // 12.00–71.99 for a 750ml of the youngest vintage
		made := 0
		for _, size := range sizes {
			for vi, vintage := range vintages {
				if made == m {
					break
				}
				price := base + int64(vi)*300
				switch size {
				case "1.5L":
					price = price * 21 / 10
				case "375ml":
					price = price * 55 / 100
				case "3L":
					price = price * 45 / 10
				}
				v := newVariation(parent, st.newPostID(), size, vintage, money(price), rng.IntN(150))
				v.Description = ""
				v.DateCreated, v.DateModified = created, created
				if rng.IntN(10) == 0 {
					v.SalePrice = money(price * 9 / 10)
				}
				st.put(v)
				made++
			}
		}
	}
}
