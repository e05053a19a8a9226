package woo

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
)

// discovery is what the anonymous REST index tells: permalinks mode and
// the home URL (the OAuth 1.0a signature base).
type discovery struct {
	plain      bool
	home       *url.URL
	weightUnit string // from the schema descriptions ("Product weight (kg)."), "" if absent
}

// weightUnitInSchema finds the store's weight unit in the REST index: the
// product schema describes weight as "Product weight (kg)." in the store's
// language, the unit itself untranslated.
var weightUnitInSchema = regexp.MustCompile(`\((kg|g|lbs|oz)\)\.?"`)

// restIndex is the part of GET /wp-json/ the client reads.
type restIndex struct {
	Home string `json:"home"`
	URL  string `json:"url"`
}

// homeURL is the store's home URL (the store URL until discovered).
func (c *Client) homeURL() *url.URL {
	if d := c.disc.Load(); d != nil && d.home != nil {
		return d.home
	}
	return c.base
}

// ensureDiscovered reads the REST index once: GET /wp-json/ anonymously;
// when it answers a WordPress self-redirect the store has plain permalinks
// and the index is read again through /?rest_route=/. A store that hides
// the index is assumed to have pretty permalinks and home = store URL.
func (c *Client) ensureDiscovered(ctx context.Context) error {
	if c.disc.Load() != nil {
		return nil
	}
	c.discMu.Lock()
	defer c.discMu.Unlock()
	if c.disc.Load() != nil {
		return nil
	}
	d, err := c.discover(ctx)
	if err != nil {
		return err
	}
	c.disc.Store(d)
	return nil
}

func (c *Client) discover(ctx context.Context) (*discovery, error) {
	d := &discovery{home: c.base}
	req := request{method: http.MethodGet, route: "/", noAuth: true}
	resp, err := c.exchange(ctx, req)
	if err != nil {
		return nil, err
	}
	if resp.status >= 300 && resp.status < 400 && isWordPressSelfRedirect(resp) {
		d.plain = true
		req.plain = true
		resp, err = c.exchange(ctx, req)
		if err != nil {
			return nil, err
		}
		c.log.WarnContext(ctx, "woo: plain permalinks; using ?rest_route=", "fix", FixPlainPermalinks)
	}
	if resp.status != http.StatusOK {
		c.log.InfoContext(ctx, "woo: REST index not readable anonymously; assuming home = store URL", "status", resp.status)
		return d, nil
	}
	var idx restIndex
	if err := json.Unmarshal(resp.body, &idx); err != nil {
		c.log.InfoContext(ctx, "woo: REST index is not JSON; assuming home = store URL", "error", err)
		return d, nil
	}
	if m := weightUnitInSchema.FindSubmatch(resp.body); m != nil {
		d.weightUnit = string(m[1])
	}
	if h, err := url.Parse(idx.Home); err == nil && h.Host != "" {
		d.home = h
	}
	return d, nil
}
