package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// hostile is one broken or hostile request and the answers the README and
// docs/sidecar-api.md allow for it.
type hostile struct {
	name   string
	method string
	path   string
	header http.Header
	body   []byte
	want   []int
}

// signedHeaders are the headers of a correctly signed delivery of body.
func signedHeaders(topic string, body []byte) http.Header { return webhookHeaders(topic, body) }

func productBody(fields string) []byte {
	return []byte(`{"id":777001,"type":"simple","status":"publish","date_modified_gmt":"2026-11-30T05:00:00",` + fields + `}`)
}

func withHeader(h http.Header, k, v string) http.Header {
	h = h.Clone()
	if v == "" {
		h.Del(k)
	} else {
		h.Set(k, v)
	}
	return h
}

func hostileInputs() []hostile {
	const hook = "/v1/webhooks/woocommerce"
	ok := []int{http.StatusOK}
	bad := []int{http.StatusBadRequest}
	unauth := []int{http.StatusUnauthorized}
	// Signed with the right secret but hostile content: stored and answered
	// 200 (the rules then mark the item FAILED) or refused with 400.
	storedOrRefused := []int{http.StatusOK, http.StatusBadRequest}
	signed := func(name string, body []byte, want []int) hostile {
		return hostile{name: name, method: http.MethodPost, path: hook, header: signedHeaders("product.updated", body), body: body, want: want}
	}
	valid := productBody(`"sku":"HOSTILE-1","name":"Hostile","price":"9.00","regular_price":"9.00"`)
	deep := strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000)
	truncated := valid[:len(valid)/2]
	huge := append(productBody(`"sku":"HUGE","name":"`), bytes.Repeat([]byte("x"), 5<<20+10)...)
	huge = append(huge, `"}`...)
	bigButValid := productBody(`"sku":"BIG-DESC","name":"Big","description":"` + strings.Repeat("y", 4<<20) + `","price":"1.00"`)

	in := []hostile{
		{name: "no signature", method: http.MethodPost, path: hook, header: withHeader(signedHeaders("product.updated", valid), "X-WC-Webhook-Signature", ""), body: valid, want: unauth},
		{name: "bad signature", method: http.MethodPost, path: hook, header: withHeader(signedHeaders("product.updated", valid), "X-WC-Webhook-Signature", sign(valid, "another-secret")), body: valid, want: unauth},
		{name: "signature not base64", method: http.MethodPost, path: hook, header: withHeader(signedHeaders("product.updated", valid), "X-WC-Webhook-Signature", "!!!not-base64!!!"), body: valid, want: unauth},
		{name: "signature of another body (replayed onto new content)", method: http.MethodPost, path: hook, header: signedHeaders("product.updated", valid), body: productBody(`"sku":"HOSTILE-1","name":"Hostile","price":"0.01"`), want: unauth},
		{name: "replayed delivery (same bytes, same signature)", method: http.MethodPost, path: hook, header: signedHeaders("product.updated", valid), body: valid, want: ok},
		{name: "signature over the body with a trailing byte", method: http.MethodPost, path: hook, header: signedHeaders("product.updated", append(append([]byte(nil), valid...), ' ')), body: valid, want: unauth},
		{name: "ping without signature", method: http.MethodPost, path: hook, header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, body: []byte("webhook_id=12"), want: ok},
		{name: "ping with a huge body", method: http.MethodPost, path: hook, header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, body: []byte("webhook_id=12&" + strings.Repeat("a", 1<<20)), want: []int{http.StatusUnauthorized, http.StatusBadRequest, http.StatusRequestEntityTooLarge}},
		signed("truncated JSON", truncated, bad),
		signed("empty body", []byte{}, bad),
		signed("JSON null", []byte("null"), bad),
		signed("JSON array", []byte(`[1,2,3]`), bad),
		signed("deeply nested JSON (100,000 levels)", []byte(deep), bad),
		{name: "body over 5 MiB", method: http.MethodPost, path: hook, header: signedHeaders("product.updated", huge), body: huge, want: []int{http.StatusRequestEntityTooLarge}},
		signed("4 MiB description (under the limit)", bigButValid, ok),
		signed("wrong types: id string", []byte(`{"id":"seven","sku":"T1","date_modified_gmt":"2026-11-30T05:00:00"}`), bad),
		signed("wrong types: date is a number", []byte(`{"id":777002,"sku":"T2","date_modified_gmt":12345}`), storedOrRefused),
		signed("wrong types: price is an object", productBody(`"sku":"T3","name":"x","price":{"amount":1}`), storedOrRefused),
		signed("wrong types: sku is an array", productBody(`"sku":["a","b"],"name":"x"`), storedOrRefused),
		signed("negative id", []byte(`{"id":-5,"sku":"NEG-ID","date_modified_gmt":"2026-11-30T05:00:00"}`), storedOrRefused),
		{name: "unknown topic", method: http.MethodPost, path: hook, header: signedHeaders("coupon.updated", valid), body: valid, want: ok},
		{name: "topic without event", method: http.MethodPost, path: hook, header: signedHeaders("product", valid), body: valid, want: []int{http.StatusOK, http.StatusBadRequest}},
		{name: "topic header missing", method: http.MethodPost, path: hook, header: withHeader(signedHeaders("product.updated", valid), "X-WC-Webhook-Topic", ""), body: valid, want: []int{http.StatusOK, http.StatusBadRequest}},
		signed("NUL in SKU", productBody(`"sku":"NUL\u0000SKU","name":"x","price":"1.00"`), storedOrRefused),
		signed("RTL override in SKU and name", productBody(`"sku":"RTL\u202eUKS","name":"\u202egnirts","price":"1.00"`), storedOrRefused),
		signed("<script> in SKU and name", productBody(`"sku":"<script>alert(1)</script>","name":"<script>alert(1)</script>","price":"1.00"`), storedOrRefused),
		signed("100,000-character SKU", productBody(`"sku":"`+strings.Repeat("S", 100000)+`","name":"x","price":"1.00"`), storedOrRefused),
		signed("invalid UTF-8 in name", []byte("{\"id\":777003,\"type\":\"simple\",\"status\":\"publish\",\"sku\":\"UTF8\",\"name\":\"\xff\xfe\",\"date_modified_gmt\":\"2026-11-30T05:00:00\"}"), storedOrRefused),
		signed("negative stock", productBody(`"sku":"NEG-STOCK","name":"x","price":"1.00","manage_stock":true,"stock_quantity":-40`), storedOrRefused),
		signed("price 1e400", productBody(`"sku":"PRICE-1E400","name":"x","price":"1e400","regular_price":"1e400"`), storedOrRefused),
		signed("price NaN", productBody(`"sku":"PRICE-NAN","name":"x","price":"NaN","regular_price":"NaN"`), storedOrRefused),
		signed("price -1", productBody(`"sku":"PRICE-NEG","name":"x","price":"-1","regular_price":"-1"`), storedOrRefused),
		signed("date 0000-00-00", []byte(`{"id":777004,"type":"simple","status":"publish","sku":"ZERO-DATE","date_modified_gmt":"0000-00-00T00:00:00"}`), storedOrRefused),
		// Admin routes.
		{name: "admin without Authorization", method: http.MethodGet, path: "/v1/status", want: unauth},
		{name: "admin with a wrong token", method: http.MethodGet, path: "/v1/status", header: http.Header{"Authorization": {"Bearer wrong-token-0123456789abcdef0123456789"}}, want: unauth},
		{name: "admin with the secret as Basic auth", method: http.MethodGet, path: "/v1/status", header: http.Header{"Authorization": {"Basic " + testSecret}}, want: unauth},
		{name: "admin with the secret's prefix", method: http.MethodGet, path: "/v1/status", header: http.Header{"Authorization": {"Bearer " + testSecret[:len(testSecret)-1]}}, want: unauth},
		{name: "backup without Authorization", method: http.MethodGet, path: "/v1/backup", want: unauth},
		{name: "job id ../status", method: http.MethodGet, path: "/v1/jobs/../status", header: bearer(), want: []int{http.StatusNotFound, http.StatusBadRequest, http.StatusOK}},
		{name: "job id %2e%2e%2fbackup", method: http.MethodGet, path: "/v1/jobs/%2e%2e%2fbackup", header: bearer(), want: []int{http.StatusNotFound, http.StatusBadRequest}},
		{name: "job id with NUL", method: http.MethodGet, path: "/v1/jobs/job_%00", header: bearer(), want: []int{http.StatusNotFound, http.StatusBadRequest}},
		{name: "job id of 10,000 characters", method: http.MethodGet, path: "/v1/jobs/" + strings.Repeat("j", 10000), header: bearer(), want: []int{http.StatusNotFound, http.StatusBadRequest, http.StatusRequestURITooLong, http.StatusRequestHeaderFieldsTooLarge}},
		{name: "non-JSON job body", method: http.MethodPost, path: "/v1/jobs", header: bearerJSON(), body: []byte("type=SYNC"), want: bad},
		{name: "unknown job type", method: http.MethodPost, path: "/v1/jobs", header: bearerJSON(), body: []byte(`{"type":"DROP_TABLES"}`), want: []int{http.StatusBadRequest, http.StatusUnprocessableEntity}},
		{name: "job type of the wrong type", method: http.MethodPost, path: "/v1/jobs", header: bearerJSON(), body: []byte(`{"type":42}`), want: []int{http.StatusBadRequest, http.StatusUnprocessableEntity}},
		{name: "non-JSON connection body", method: http.MethodPost, path: "/v1/connection", header: bearerJSON(), body: []byte("<xml/>"), want: bad},
		{name: "settings interval 1ns", method: http.MethodPut, path: "/v1/settings", header: bearerJSON(), body: []byte(`{"stock_sync_interval":"1ns"}`), want: []int{http.StatusBadRequest, http.StatusUnprocessableEntity}},
		{name: "settings unknown mapping", method: http.MethodPut, path: "/v1/settings", header: bearerJSON(), body: []byte(`{"customer_mapping":"everyone"}`), want: []int{http.StatusBadRequest, http.StatusUnprocessableEntity}},
		{name: "settings deeply nested", method: http.MethodPut, path: "/v1/settings", header: bearerJSON(), body: []byte(deep), want: []int{http.StatusBadRequest, http.StatusUnprocessableEntity}},
		{name: "items limit -1 and a forged cursor", method: http.MethodGet, path: "/v1/items?limit=-1&cursor=%00%ff", header: bearer(), want: []int{http.StatusBadRequest, http.StatusOK}},
		{name: "activity before=NaN", method: http.MethodGet, path: "/v1/activity?before=NaN&limit=99999999999999999999", header: bearer(), want: []int{http.StatusBadRequest, http.StatusOK}},
	}
	return in
}

func bearer() http.Header { return http.Header{"Authorization": {"Bearer " + testSecret}} }

func bearerJSON() http.Header {
	h := bearer()
	h.Set("Content-Type", "application/json")
	return h
}

// badInput sends the table to a connected sidecar: each answer must be one
// the docs allow, the process must stay up and healthy, the store readable
// by `ocw-sidecar status`, and a valid price change must still reach
// OnCloudWine within 2 s.
func badInput(ctx context.Context, env *suite) (string, error) {
	w, err := newWorld(ctx, env, worldOptions{env: []string{"OCW_RECONCILE_INTERVAL=1h"}})
	if err != nil {
		return "", err
	}
	defer w.close()
	table := hostileInputs()
	client := &http.Client{Timeout: 30 * time.Second}
	pid := w.side.cmd.Process.Pid
	var wrong []string
	for _, h := range table {
		req, err := http.NewRequestWithContext(ctx, h.method, w.side.url(""), bytes.NewReader(h.body))
		if err != nil {
			return "", err
		}
		req.URL.Opaque = h.path // sent as written: no cleaning of ../ or %2e
		req.Header = h.header.Clone()
		if req.Header == nil {
			req.Header = http.Header{}
		}
		resp, err := client.Do(req)
		if err != nil {
			wrong = append(wrong, fmt.Sprintf("%s: %v", h.name, err))
			continue
		}
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		if !slices.Contains(h.want, resp.StatusCode) {
			wrong = append(wrong, fmt.Sprintf("%s: %d (want %v)", h.name, resp.StatusCode, h.want))
			continue
		}
		if resp.StatusCode >= 400 && !errorShaped(data) {
			wrong = append(wrong, fmt.Sprintf("%s: %d without the error shape: %.80q", h.name, resp.StatusCode, data))
		}
	}
	if w.side.cmd == nil || w.side.cmd.Process.Pid != pid || waitHealthy(ctx, w.side.addr, 2*time.Second) != nil {
		return "", fmt.Errorf("the sidecar did not survive the table")
	}
	// A valid change after the table reaches OnCloudWine within 2 s.
	c := change{id: 777100, sku: "AFTER-TABLE", name: "After the table", price: "31.40", modified: time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)}
	sentAt := time.Now()
	if _, err := deliverUntilAcknowledged(ctx, client, w.side, c); err != nil {
		return "", err
	}
	arrived := waitArrived(ctx, w, map[string]change{c.sku: c}, 2*time.Second)
	lag := time.Since(sentAt).Round(10 * time.Millisecond)
	if arrived != nil { // how late, for the report: a poison delivery holding up the inbox never lets it through
		if waitArrived(ctx, w, map[string]change{c.sku: c}, 15*time.Second) == nil {
			arrived = fmt.Errorf("the valid change arrived only after %s", time.Since(sentAt).Round(100*time.Millisecond))
		} else {
			arrived = fmt.Errorf("the valid change had not arrived %s after it was acknowledged", time.Since(sentAt).Round(100*time.Millisecond))
		}
	}
	// The store is still readable, by the running server and from the file.
	statusLive, errLive := ocwStatus(ctx, w.side, true)
	env.notePeak(w.side)
	w.side.stop()
	statusFile, errFile := ocwStatus(ctx, w.side, false)
	env.count(1, 0, 0)
	detail := fmt.Sprintf("%d hostile inputs, %d answered otherwise than documented; process alive (pid %d); valid price change after the table in OnCloudWine after %s (limit 2 s); ocw-sidecar status live %s, from the store file %s",
		len(table), len(wrong), pid, lag, statusLive, statusFile)
	switch {
	case len(wrong) > 0:
		return "", fmt.Errorf("%s: %s", detail, strings.Join(wrong, "; "))
	case arrived != nil:
		return "", fmt.Errorf("%s: %w", detail, arrived)
	case errLive != nil || errFile != nil:
		return "", fmt.Errorf("%s: %v %v", detail, errLive, errFile)
	}
	return detail, nil
}

// errorShaped reports whether body is {"error": {"code", "message", …}}.
func errorShaped(body []byte) bool {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	return json.Unmarshal(body, &e) == nil && e.Error.Code != "" && e.Error.Message != ""
}

// ocwStatus runs `ocw-sidecar status --json` (against the running server,
// or with it stopped, from the store file) and returns the connection status.
func ocwStatus(ctx context.Context, s *sidecar, live bool) (string, error) {
	cmd := exec.CommandContext(ctx, s.bin, "status", "--json")
	cmd.Env = append(append([]string(nil), s.env...), "OCW_LISTEN_ADDR="+s.addr)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("ocw-sidecar status (live %t): %w: %.200s", live, err, out)
	}
	var st struct {
		Connection struct {
			Status string `json:"status"`
		} `json:"connection"`
	}
	if err := json.Unmarshal(out, &st); err != nil || st.Connection.Status == "" {
		return "", fmt.Errorf("ocw-sidecar status (live %t): unreadable: %.200s", live, out)
	}
	return st.Connection.Status, nil
}
