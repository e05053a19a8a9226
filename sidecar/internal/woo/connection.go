package woo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// minWCMajor is the oldest WooCommerce the sidecar supports (modified_after
// needs 5.8; 6.0 is the tested floor).
const minWCMajor = 6

// systemStatus is the part of GET system_status the client reads.
type systemStatus struct {
	Environment struct {
		HomeURL   string `json:"home_url"`
		Version   string `json:"version"`
		WPVersion string `json:"wp_version"`
	} `json:"environment"`
	Settings struct {
		Currency string `json:"currency"`
	} `json:"settings"`
}

// settingValue is a WooCommerce setting (settings/{group}/{id}).
type settingValue struct {
	Value any `json:"value"`
}

// CheckConnection is the connection test (POST /v1/connection and startup).
// It changes no store data. It reads the REST index (permalinks, home URL),
// system_status (versions, currency, home URL; this is where a wrong key
// shows), the weight unit setting, probes write permission with an empty
// POST products/batch {} (no effect), and probes the plugin routes.
//
// On failure it returns what it learned so far with an *Error:
// woo_unauthorized, woo_version_too_old, woo_read_only_key, woo_tls,
// woo_unreachable, woo_not_found (WooCommerce inactive), woo_bad_response,
// woo_plain_permalinks (only when the ?rest_route= fallback
// fails too). Plain permalinks with a working fallback are not an error:
// PlainPermalinks is true and the client keeps working; show
// ErrPlainPermalinks's fix to the admin.
func (c *Client) CheckConnection(ctx context.Context) (StoreInfo, error) {
	c.disc.Store(nil)
	c.plugin.Store(pluginUnknown)
	var info StoreInfo
	if err := c.ensureDiscovered(ctx); err != nil {
		return info, fmt.Errorf("woo connection: %w", err)
	}
	d := c.disc.Load()
	info.PlainPermalinks = d.plain
	info.HomeURL = d.home.String()

	var ss systemStatus
	if _, err := c.getJSON(ctx, "/wc/v3/system_status", url.Values{"_fields": {"environment,settings"}}, &ss); err != nil {
		var we *Error
		switch {
		case d.plain && errors.As(err, &we) && (we.Code == CodeNotFound || we.Code == CodeBadResponse):
			err = newError(ErrPlainPermalinks, we.Status, we.WooCode, "The REST API is blocked by plain permalinks and the ?rest_route= fallback failed too.", err)
		case errors.As(err, &we) && we.Code == CodeNotFound:
			err = &Error{Status: we.Status, Code: CodeNotFound, WooCode: we.WooCode, Err: err,
				Message: "The WooCommerce REST API (wc/v3) was not found at this address.",
				Fix:     "Check that WooCommerce is installed and active, and that the store URL is the WordPress site's address."}
		}
		return info, fmt.Errorf("woo connection: %w", err)
	}
	info.AuthMethod = c.AuthMethod()
	info.WCVersion = ss.Environment.Version
	info.WPVersion = ss.Environment.WPVersion
	info.Currency = ss.Settings.Currency
	if ss.Environment.HomeURL != "" {
		info.HomeURL = ss.Environment.HomeURL
	}
	if major, ok := versionMajor(info.WCVersion); !ok || major < minWCMajor {
		return info, fmt.Errorf("woo connection: %w", newError(ErrVersionTooOld, 0, "",
			fmt.Sprintf("The store runs WooCommerce %q; the sidecar needs 6.0 or newer.", info.WCVersion), nil))
	}

	var wu settingValue
	if _, err := c.getJSON(ctx, "/wc/v3/settings/products/woocommerce_weight_unit", nil, &wu); err == nil {
		info.WeightUnit, _ = wu.Value.(string)
	} else {
		info.WeightUnit = d.weightUnit
		c.log.InfoContext(ctx, "woo: weight unit setting not readable; using the REST schema's", "weight_unit", d.weightUnit, "error", err)
	}

	if _, err := c.send(ctx, request{method: http.MethodPost, route: "/wc/v3/products/batch", body: struct{}{}, write: true}); err != nil {
		return info, fmt.Errorf("woo connection: write probe: %w", err)
	}
	info.CanWrite = true

	_, err := c.getJSON(ctx, "/wc/v3/oncloudwine/stock", url.Values{"limit": {"1"}}, nil)
	switch {
	case err == nil:
		c.plugin.Store(pluginPresent)
		info.PluginRoutes = true
	case c.notePluginAbsent(err):
	default:
		c.log.WarnContext(ctx, "woo: plugin route probe failed; treating the plugin as absent", "error", err)
	}
	info.AuthMethod = c.AuthMethod()
	return info, nil
}

// versionMajor parses the major number of "10.0.2".
func versionMajor(v string) (int, bool) {
	head, _, _ := strings.Cut(strings.TrimSpace(v), ".")
	n, err := strconv.Atoi(head)
	return n, err == nil
}
