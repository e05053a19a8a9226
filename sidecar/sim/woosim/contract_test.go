package woosim

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestContractReplay replays every captured request of both WooCommerce
// versions against a simulator configured like the captured store and checks
// the status, the headers that matter and that every JSON key of the real
// answer is there with the same JSON type, recursively.
func TestContractReplay(t *testing.T) {
	for _, version := range []string{"10.0.2", "6.9.0"} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			replayVersion(t, version)
		})
	}
}

type replayer struct {
	t       *testing.T
	version string
	main    *simEnv
	plain   *simEnv // plain permalinks
	ro      *simEnv // read-only key
	large   *simEnv // 5,000 × 4 generated catalog
	ids     map[string]map[int64]int64
}

func replayVersion(t *testing.T, version string) {
	caps := loadCaptures(t, version, "")
	var replay []*capture
	for _, c := range caps {
		if !strings.HasPrefix(c.name, "webhook-") {
			replay = append(replay, c)
		}
	}
	// Chronological order of the lab session; within one second, writes first
	// (the captures of a second were taken after its edits).
	sort.SliceStable(replay, func(i, j int) bool {
		di, dj := captureDate(replay[i]), captureDate(replay[j])
		if !di.Equal(dj) {
			return di.Before(dj)
		}
		wi, wj := replay[i].Request.Method != http.MethodGet, replay[j].Request.Method != http.MethodGet
		if wi != wj {
			return wi
		}
		return replay[i].name < replay[j].name
	})
	rp := &replayer{t: t, version: version, ids: map[string]map[int64]int64{}}
	rp.main = newSimEnv(t, Options{WCVersion: version})
	rp.plain = newSimEnv(t, Options{WCVersion: version, PlainPermalinks: true})
	rp.ro = newSimEnv(t, Options{WCVersion: version, ReadOnlyKey: true})
	n := 0
	for _, c := range replay {
		t.Run(strings.TrimSuffix(c.name, ".json"), func(t *testing.T) {
			rp.replay(t, c)
		})
		n++
	}
	if n < 55 {
		t.Errorf("replayed %d captures, want every one (≥ 55)", n)
	}
}

func captureDate(c *capture) time.Time {
	if d, ok := c.respHeader("Date"); ok {
		if t, err := http.ParseTime(d); err == nil {
			return t
		}
	}
	return time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC) // probes were captured last
}

// envFor picks the simulator configured like the store of the capture.
func (rp *replayer) envFor(c *capture) *simEnv {
	switch {
	case strings.HasPrefix(c.name, "plain-permalinks-"):
		return rp.plain
	case strings.Contains(c.name, "read-only-key"):
		return rp.ro
	case strings.HasPrefix(c.name, "large-catalog-"):
		if rp.large == nil {
			rp.large = newSimEnv(rp.t, Options{WCVersion: rp.version, Products: 5000, Variations: 4, Seed: 7})
		}
		return rp.large
	}
	return rp.main
}

func (rp *replayer) mapID(collection string, capID int64) int64 {
	if m := rp.ids[collection]; m != nil {
		if id, ok := m[capID]; ok {
			return id
		}
	}
	return capID
}

func (rp *replayer) setID(collection string, capID, simID int64) {
	if rp.ids[collection] == nil {
		rp.ids[collection] = map[int64]int64{}
	}
	rp.ids[collection][capID] = simID
}

// setup prepares state that the lab created outside the replayed requests.
func (rp *replayer) setup(t *testing.T, env *simEnv, c *capture) {
	switch c.name {
	case "get-order-with-variation-line.json":
		capID := lastPathID(c.Request.PathWithQuery)
		id, err := env.sim.PlaceOrder(NewOrder{Status: "completed", Billing: Address{FirstName: "Hook", LastName: "Tester", Email: "hook.lab@example.test"},
			Lines: []OrderLine{{SKU: "WINE-CABR-2021-1500", Quantity: 1}}, Meta: map[string]string{"external_order_id": "EXT-WH-1"}})
		if err != nil {
			t.Fatal(err)
		}
		rp.setID("orders", capID, id)
	case "large-catalog-get-variations-bulk-product.json":
		p, ok := env.sim.ProductBySKU("GEN-02500")
		if !ok {
			t.Fatal("generated product GEN-02500 missing")
		}
		rp.setID("products", lastPathID(strings.TrimSuffix(strings.Split(c.Request.PathWithQuery, "?")[0], "/variations")), p.ID)
	}
}

func lastPathID(p string) int64 {
	p = strings.Split(p, "?")[0]
	id, _ := strconv.ParseInt(p[strings.LastIndex(p, "/")+1:], 10, 64)
	return id
}

// rewritePath maps captured resource ids in /wp-json/wc/v3/<collection>/<id>.
func (rp *replayer) rewritePath(pathQuery string) string {
	path, q, hasQ := strings.Cut(pathQuery, "?")
	parts := strings.Split(path, "/")
	for i := 0; i+1 < len(parts); i++ {
		switch parts[i] {
		case "products", "orders", "customers", "webhooks":
			if id, err := strconv.ParseInt(parts[i+1], 10, 64); err == nil {
				parts[i+1] = strconv.FormatInt(rp.mapID(parts[i], id), 10)
			}
		}
	}
	path = strings.Join(parts, "/")
	if hasQ {
		return path + "?" + q
	}
	return path
}

// rewriteBody maps ids, the webhook delivery URL and redacted secrets.
func (rp *replayer) rewriteBody(env *simEnv, collection string, v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			switch {
			case k == "customer_id":
				if f, ok := e.(float64); ok {
					e = float64(rp.mapID("customers", int64(f)))
				}
			case k == "id" || k == "product_id" || k == "variation_id":
				if f, ok := e.(float64); ok {
					e = float64(rp.mapID(collection, int64(f)))
				}
			case k == "delete":
				if l, ok := e.([]any); ok {
					var ids []any
					for _, id := range l {
						if f, ok := id.(float64); ok {
							ids = append(ids, float64(rp.mapID(collection, int64(f))))
						}
					}
					e = ids
				}
			case k == "delivery_url":
				e = env.receive.srv.URL + "/hook"
			case k == "secret" && e == "REDACTED":
				e = labSecret
			case k == "line_items":
				e = rp.rewriteBody(env, "products", e)
			default:
				e = rp.rewriteBody(env, collection, e)
			}
			out[k] = e
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = rp.rewriteBody(env, collection, e)
		}
		return out
	}
	return v
}

func collectionOf(pathQuery string) string {
	path := strings.Split(pathQuery, "?")[0]
	rest, ok := strings.CutPrefix(path, "/wp-json/wc/v3/")
	if !ok {
		return ""
	}
	return strings.Split(rest, "/")[0]
}

// buildQuery restores redacted credentials, and signs OAuth 1.0a requests.
func (rp *replayer) buildQuery(env *simEnv, c *capture, path, rawQuery string) string {
	if !strings.Contains(rawQuery, "REDACTED") {
		return rawQuery
	}
	var keep []string
	params := map[string]string{}
	oauth := false
	for _, part := range strings.Split(rawQuery, "&") {
		k, v, _ := strings.Cut(part, "=")
		switch {
		case k == "consumer_key":
			keep = append(keep, k+"="+testCK)
		case k == "consumer_secret":
			keep = append(keep, k+"="+testCS)
		case strings.HasPrefix(k, "oauth_"):
			oauth = true
		default:
			keep = append(keep, part)
			dk, _ := url.QueryUnescape(k)
			dv, _ := url.QueryUnescape(v)
			params[dk] = dv
		}
	}
	if !oauth {
		return strings.Join(keep, "&")
	}
	now := env.clock.Now().Unix()
	o := [][2]string{
		{"oauth_consumer_key", testCK},
		{"oauth_nonce", fmt.Sprintf("nonce%d%s", time.Now().UnixNano(), c.name)},
		{"oauth_signature_method", "HMAC-SHA256"},
		{"oauth_timestamp", strconv.FormatInt(now, 10)},
	}
	for _, p := range o {
		params[p[0]] = p[1]
		keep = append(keep, p[0]+"="+url.QueryEscape(p[1]))
	}
	base := OAuthBaseURL(env.sim.HomeURL(), path)
	if strings.Contains(c.name, "signed-actual-url") {
		base = env.plain.URL + path // what a naive client signs: rejected
	}
	sig := OAuthSignature(sha256.New, c.Request.Method, base, params, testCS)
	keep = append(keep, "oauth_signature="+url.QueryEscape(sig))
	return strings.Join(keep, "&")
}

func (rp *replayer) replay(t *testing.T, c *capture) {
	env := rp.envFor(c)
	if d, ok := c.respHeader("Date"); ok {
		if ts, err := http.ParseTime(d); err == nil {
			env.clock.Set(ts)
		}
	}
	rp.setup(t, env, c)
	collection := collectionOf(c.Request.PathWithQuery)
	pathQuery := rp.rewritePath(c.Request.PathWithQuery)
	path, rawQuery, _ := strings.Cut(pathQuery, "?")
	rawQuery = rp.buildQuery(env, c, path, rawQuery)
	base, client := env.tls.URL, env.tlsC
	if c.Request.Scheme == "http" {
		base, client = env.plain.URL, env.plainC
	}
	target := base + path
	if rawQuery != "" {
		target += "?" + rawQuery
	}
	var body io.Reader
	if c.Request.Body != nil {
		raw, err := json.Marshal(rp.rewriteBody(env, collection, c.Request.Body))
		if err != nil {
			t.Fatal(err)
		}
		body = strings.NewReader(string(raw))
	}
	req, err := http.NewRequest(c.Request.Method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := c.reqHeader("Content-Type"); ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if strings.HasPrefix(c.reqHeader("Authorization"), "Basic") {
		secret := testCS
		if strings.Contains(c.name, "wrong-consumer-secret") {
			secret = "cs_wrong"
		}
		req.SetBasicAuth(testCK, secret)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", c.Request.Method, target, err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	if resp.StatusCode != c.Response.Status {
		t.Fatalf("status %d, captured %d; body %.300s", resp.StatusCode, c.Response.Status, raw)
	}
	for _, h := range []string{"Content-Type", "X-WP-Total", "X-WP-TotalPages", "Link", "Location", "X-Redirect-By", "Allow",
		"Cache-Control", "Expires", "Vary", "X-Robots-Tag", "X-Content-Type-Options", "Access-Control-Expose-Headers", "Access-Control-Allow-Headers"} {
		want, ok := c.respHeader(h)
		if !ok {
			continue
		}
		got := resp.Header.Get(h)
		if got == "" {
			t.Errorf("header %s missing (captured %q)", h, want)
			continue
		}
		switch h {
		case "Content-Type", "X-Redirect-By", "Allow", "Cache-Control", "Expires", "Vary", "X-Robots-Tag",
			"X-Content-Type-Options", "Access-Control-Expose-Headers", "Access-Control-Allow-Headers":
			if got != want {
				t.Errorf("header %s = %q, captured %q", h, got, want)
			}
		case "Link":
			if g, w := linkRels(got), linkRels(want); g != w {
				t.Errorf("Link rels %q, captured %q (%s)", g, w, got)
			}
			checkLinkShape(t, got, want, env, c)
		case "Location":
			if !strings.HasPrefix(got, env.sim.HomeURL()) {
				t.Errorf("Location %q not under the home URL", got)
			}
		}
	}
	if c.Response.Body == nil || (c.Response.BodyIsJSON != nil && !*c.Response.BodyIsJSON) {
		return
	}
	var simBody any
	if err := json.Unmarshal(raw, &simBody); err != nil {
		t.Fatalf("answer is not JSON: %v: %.200s", err, raw)
	}
	realBody := c.Response.Body
	if strings.Contains(c.name, "index") {
		realBody = pruneRoutes(t, realBody, simBody)
	}
	if errs := covers(shapeOf(realBody), shapeOf(simBody), "$"); len(errs) > 0 {
		if len(errs) > 15 {
			errs = append(errs[:15], fmt.Sprintf("… and %d more", len(errs)-15))
		}
		t.Errorf("shape differs from the capture:\n  %s", strings.Join(errs, "\n  "))
	}
	if resp.StatusCode == http.StatusCreated {
		if m, ok := c.Response.Body.(map[string]any); ok {
			sm, _ := simBody.(map[string]any)
			capID, _ := m["id"].(float64)
			simID, _ := sm["id"].(float64)
			rp.setID(collection, int64(capID), int64(simID))
		}
	}
}

// linkRels lists the rel values of a Link header, sorted.
func linkRels(h string) string {
	var rels []string
	for _, part := range strings.Split(h, ">;") {
		if i := strings.Index(part, `rel="`); i >= 0 {
			r := part[i+5:]
			rels = append(rels, r[:strings.Index(r, `"`)])
		}
	}
	sort.Strings(rels)
	return strings.Join(rels, " ")
}

// checkLinkShape compares the paging links with the captured ones once the
// captured host and credentials are mapped to the simulator's.
func checkLinkShape(t *testing.T, got, want string, env *simEnv, c *capture) {
	t.Helper()
	if !strings.Contains(want, "rel=\"prev\"") && !strings.Contains(want, "rel=\"next\"") {
		return
	}
	first := strings.TrimPrefix(strings.Split(want, ">")[0], "<")
	u, err := url.Parse(first)
	if err != nil {
		t.Fatalf("captured Link %q: %v", want, err)
	}
	capHome := u.Scheme + "://" + u.Host
	norm := func(s, home string) string {
		s = strings.ReplaceAll(s, home, "HOME")
		var out []string
		for _, l := range strings.Split(s, ", <") {
			u := strings.TrimPrefix(l, "<")
			var keep []string
			path, q, _ := strings.Cut(u, "?")
			for _, p := range strings.Split(q, "&") {
				if strings.HasPrefix(p, "oauth_") || strings.HasPrefix(p, "consumer_") {
					p = p[:strings.Index(p, "=")]
				}
				keep = append(keep, p)
			}
			out = append(out, path+"?"+strings.Join(keep, "&"))
		}
		return strings.Join(out, ", <")
	}
	if c.Request.Scheme == "http" && strings.Contains(c.name, "oauth") {
		return // the oauth parameters are re-signed in another order
	}
	g, w := norm(got, env.sim.HomeURL()), norm(want, capHome)
	if g != w {
		t.Errorf("Link\n  got  %s\n  want %s", g, w)
	}
	if testing.Verbose() {
		t.Logf("Link %s", g)
	}
}

// pruneRoutes keeps, of a huge captured index, the routes the simulator
// serves (and checks the ones the product needs are there).
func pruneRoutes(t *testing.T, real, sim any) any {
	t.Helper()
	rm, _ := real.(map[string]any)
	sm, _ := sim.(map[string]any)
	rr, _ := rm["routes"].(map[string]any)
	sr, _ := sm["routes"].(map[string]any)
	if rr == nil {
		return real
	}
	for _, need := range []string{"/wc/v3", "/wc/v3/products", "/wc/v3/products/(?P<id>[\\d]+)", "/wc/v3/products/batch",
		"/wc/v3/products/(?P<product_id>[\\d]+)/variations", "/wc/v3/orders", "/wc/v3/customers", "/wc/v3/webhooks", "/wc/v3/system_status"} {
		if _, ok := sr[need]; !ok {
			t.Errorf("index lacks route %s", need)
		}
	}
	kept := map[string]any{}
	for k := range sr {
		if v, ok := rr[k]; ok {
			kept[k] = v
		}
	}
	if len(kept) < 10 {
		t.Errorf("only %d routes in common with the capture", len(kept))
	}
	out := map[string]any{}
	for k, v := range rm {
		out[k] = v
	}
	out["routes"] = kept
	return out
}
