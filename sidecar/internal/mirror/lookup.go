package mirror

import (
	"context"
	"errors"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// lookupSlack is how far before the first create the REST lookup starts:
// the store's clock may be behind the sidecar's.
const lookupSlack = 15 * time.Minute

// lookup finds the WooCommerce order of a release order through the
// plugin's orders/by-release route, or, without the plugin, through REST
// (the orders modified since shortly before the first create, matched by
// meta). nil, nil when WooCommerce truly has none.
func (m *Mirror) lookup(ctx context.Context, wc Woo, r store.MirrorRecord) (*woo.Order, error) {
	o, err := wc.OrderByRelease(ctx, r.ID)
	if err == nil || !errors.Is(err, woo.ErrPluginMissing) {
		return o, err
	}
	return wc.OrderByReleaseREST(ctx, r.ID, r.CreatingSince.Add(-lookupSlack))
}
