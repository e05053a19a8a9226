package oncloudwine

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"go.yaml.in/yaml/v3"
)

const (
	openAPIFile = "../../../docs/openapi/oncloudwine.yaml"
	apiDocFile  = "../../../docs/oncloudwine-api.md"
)

type exchange struct {
	method, path string
	query        map[string][]string
	header       http.Header
	reqBody      []byte
	status       int
	respBody     []byte
}

// recorder keeps every request the client sent and the simulator's answer.
type recorder struct {
	mu        sync.Mutex
	exchanges []exchange
}

func (rc *recorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		rc.mu.Lock()
		rc.exchanges = append(rc.exchanges, exchange{r.Method, r.URL.Path, r.URL.Query(), r.Header.Clone(), body, rec.Code, rec.Body.Bytes()})
		rc.mu.Unlock()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

func loadOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(openAPIFile)
	if err != nil {
		t.Fatalf("read %s: %v", openAPIFile, err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("parse %s: %v", openAPIFile, err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	return doc
}

type operation struct {
	method, template string
	re               *regexp.Regexp
	spec             map[string]any
}

func operations(t *testing.T, doc map[string]any) []operation {
	t.Helper()
	var ops []operation
	for tmpl, item := range doc["paths"].(map[string]any) {
		pattern := "^" + regexp.MustCompile(`\\\{[^}]+\\\}`).ReplaceAllString(regexp.QuoteMeta(tmpl), `[^/]+`) + "$"
		for method, spec := range item.(map[string]any) {
			ops = append(ops, operation{strings.ToUpper(method), tmpl, regexp.MustCompile(pattern), spec.(map[string]any)})
		}
	}
	return ops
}

func jsonSchemaOf(content any) map[string]any {
	m, _ := content.(map[string]any)
	aj, _ := m["application/json"].(map[string]any)
	s, _ := aj["schema"].(map[string]any)
	return s
}

// TestClientMatchesOpenAPI drives every client call against the simulator
// and checks each request and answer against docs/openapi/oncloudwine.yaml:
// the route and its query parameters are documented, POST bodies validate
// against the request schema and carry an Idempotency-Key, and answers
// validate against the schema of their status.
func TestClientMatchesOpenAPI(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	schema := jsonSchema{root: doc}
	rec := &recorder{}
	f := setup(t, rec.wrap, nil)
	ctx := context.Background()

	// Every call, a few error answers included.
	if _, err := f.client.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.client.ReportConnection(ctx, Connection{Status: ConnectionActive, StoreURL: "https://shop.example.com", WCVersion: "6.9.0"}); err != nil {
		t.Fatal(err)
	}
	simple := testVariant("WINE-PIN-2022-750")
	simple.WooVariationID, simple.VariantName, simple.Attributes, simple.Weight, simple.WeightUnit = 0, "", nil, "", ""
	if _, err := f.client.UpsertVariants(ctx, append(variants(120), simple)); err != nil {
		t.Fatal(err)
	}
	if err := f.client.ArchiveVariants(ctx, []string{"WINE-0001", "NEVER-SEEN"}); err != nil {
		t.Fatal(err)
	}
	if err := f.client.UpdateStock(ctx, []StockLevel{
		{SKU: "WINE-0002", ManageStock: true, OnHand: -2, Reserved: 1, Available: 0, StockStatus: "onbackorder", ObservedAt: time.Now()},
		{SKU: "WINE-0003", ManageStock: false, StockStatus: "instock", ObservedAt: time.Now()},
	}); err != nil {
		t.Fatal(err)
	}
	unpaid := testOrder(2)
	unpaid.Status, unpaid.DatePaid = "cancelled", nil
	modified := time.Now()
	unpaid.WooModifiedAt = &modified
	if err := f.client.UpsertOrders(ctx, []Order{testOrder(1), unpaid}); err != nil {
		t.Fatal(err)
	}
	ro := f.sim.AddReleaseOrder(ocwsim.ReleaseOrder{
		ReleaseID: "rel_1", Customer: ocwsim.ReleaseCustomer{Email: "m@example.com"},
		LineItems: []ocwsim.ReleaseLineItem{{SKU: "WINE-0002", Quantity: 1, UnitPrice: "45.00"}},
	})
	f.sim.AddReleaseOrder(ocwsim.ReleaseOrder{LineItems: []ocwsim.ReleaseLineItem{{SKU: "WINE-0004", Quantity: 1, UnitPrice: "9.99"}}})
	if _, err := f.client.Reservations(ctx); err != nil {
		t.Fatal(err)
	}
	page, err := f.client.ReleaseOrders(ctx, ReleaseOrderQuery{Limit: 1})
	if err != nil || page.Next == nil {
		t.Fatalf("first page: %+v, %v", page, err)
	}
	if _, err := f.client.ReleaseOrders(ctx, page.Next.Query(1)); err != nil {
		t.Fatal(err)
	}
	if err := f.client.ReportMirror(ctx, ro.ID, MirrorReport{Status: MirrorFailed, Error: "WooCommerce said: nope"}); err != nil {
		t.Fatal(err)
	}
	if err := f.client.ReportMirror(ctx, ro.ID, MirrorReport{Status: MirrorSynced, WooOrderID: 55}); err != nil {
		t.Fatal(err)
	}
	if err := f.client.ReportMirror(ctx, ro.ID, MirrorReport{Status: MirrorSynced, WooOrderID: 56}); err == nil {
		t.Fatal("re-mirror with another order accepted")
	}
	bad := testVariant("BAD")
	bad.Price = "12,50"
	if _, err := f.client.UpsertVariants(ctx, []Variant{bad}); err == nil {
		t.Fatal("bad price accepted")
	}
	if err := f.sim.InjectFault(ocwsim.Fault{Kind: ocwsim.FaultRateLimit}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.Reservations(ctx); err != nil {
		t.Fatal(err)
	}

	ops := operations(t, doc)
	used := map[string]bool{}
	rec.mu.Lock()
	exchanges := rec.exchanges
	rec.mu.Unlock()
	for i, ex := range exchanges {
		name := ex.method + " " + ex.path
		var op *operation
		for k := range ops {
			if ops[k].method == ex.method && ops[k].re.MatchString(ex.path) {
				op = &ops[k]
			}
		}
		if op == nil {
			t.Errorf("%s is not in the OpenAPI file", name)
			continue
		}
		used[op.method+" "+op.template] = true

		declared := map[string]bool{}
		for _, p := range asList(op.spec["parameters"]) {
			pm := p.(map[string]any)
			if ref, ok := pm["$ref"].(string); ok {
				pm, _ = schema.resolve(ref)
			}
			declared[pm["in"].(string)+":"+pm["name"].(string)] = true
		}
		for q := range ex.query {
			if !declared["query:"+q] {
				t.Errorf("%s: query parameter %q is not documented", name, q)
			}
		}
		if declared["header:Idempotency-Key"] && ex.header.Get("Idempotency-Key") == "" {
			t.Errorf("%s: no Idempotency-Key", name)
		}
		if !strings.HasPrefix(ex.header.Get("Authorization"), "Bearer ") {
			t.Errorf("%s: no bearer token", name)
		}

		if rb, ok := op.spec["requestBody"].(map[string]any); ok {
			var body any
			if err := json.Unmarshal(ex.reqBody, &body); err != nil {
				t.Errorf("%s: request body is not JSON: %v", name, err)
			}
			errs := schema.validate("request", jsonSchemaOf(rb["content"]), body)
			switch {
			case ex.status == http.StatusBadRequest && len(errs) == 0:
				// The scenario's deliberate 400s are all expressible in the schema.
				t.Errorf("%s (#%d): the simulator refused (%s) a body the schema accepts", name, i, ex.respBody)
			case ex.status != http.StatusBadRequest:
				for _, e := range errs {
					t.Errorf("%s (#%d): %s", name, i, e)
				}
			}
		} else if len(ex.reqBody) > 0 {
			t.Errorf("%s: sends a body the OpenAPI file does not declare", name)
		}

		resp, ok := op.spec["responses"].(map[string]any)[strconv.Itoa(ex.status)].(map[string]any)
		if !ok {
			t.Errorf("%s: answer status %d is not documented", name, ex.status)
			continue
		}
		if ref, ok := resp["$ref"].(string); ok {
			resp, _ = schema.resolve(ref)
		}
		var answer any
		if err := json.Unmarshal(ex.respBody, &answer); err != nil {
			t.Errorf("%s: answer is not JSON: %v", name, err)
		}
		for _, e := range schema.validate("answer", jsonSchemaOf(resp["content"]), answer) {
			t.Errorf("%s %d (#%d): %s", name, ex.status, i, e)
		}
	}

	var missing []string
	for _, op := range ops {
		if !used[op.method+" "+op.template] {
			missing = append(missing, op.method+" "+op.template)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("operations never exercised: %v", missing)
	}
}

// TestSchemaCheckCatchesBadBodies makes sure the check above can fail.
func TestSchemaCheckCatchesBadBodies(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	schema := jsonSchema{root: doc}
	good := `{"sku":"A","woo_product_id":1,"woo_variation_id":0,"product_name":"P","variant_name":"","attributes":{},"status":"publish","price":"1.00","regular_price":"1.00","sale_price":"","currency":"EUR","weight":"","weight_unit":"","woo_modified_at":"2026-11-27T03:00:00Z"}`
	tests := []struct {
		name    string
		schema  string
		body    string
		wantErr bool
	}{
		{"valid", "VariantsUpsertRequest", `{"variants":[` + good + `]}`, false},
		{"number price", "VariantsUpsertRequest", `{"variants":[` + strings.Replace(good, `"price":"1.00"`, `"price":1.0`, 1) + `]}`, true},
		{"missing sku", "VariantsUpsertRequest", `{"variants":[` + strings.Replace(good, `"sku":"A",`, ``, 1) + `]}`, true},
		{"extra field", "VariantsUpsertRequest", `{"variants":[` + strings.Replace(good, `"sku":"A"`, `"sku":"A","x":1`, 1) + `]}`, true},
		{"101 items", "VariantsUpsertRequest", `{"variants":[` + strings.Repeat(good+",", 100) + good + `]}`, true},
		{"bad time", "VariantsUpsertRequest", `{"variants":[` + strings.Replace(good, `2026-11-27T03:00:00Z`, `yesterday`, 1) + `]}`, true},
		{"mirror synced", "MirrorReport", `{"status":"SYNCED","woo_order_id":5}`, false},
		{"mirror synced without order", "MirrorReport", `{"status":"SYNCED"}`, true},
		{"mirror failed without error", "MirrorReport", `{"status":"FAILED"}`, true},
		{"page next null", "ReleaseOrderPage", `{"release_orders":[],"next":null}`, false},
		{"page next missing", "ReleaseOrderPage", `{"release_orders":[]}`, true},
		{"error shape", "Error", `{"error":{"code":"x","message":"y"}}`, false},
		{"error without code", "Error", `{"error":{"message":"y"}}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var v any
			if err := json.Unmarshal([]byte(tt.body), &v); err != nil {
				t.Fatal(err)
			}
			errs := schema.validate(tt.schema, map[string]any{"$ref": "#/components/schemas/" + tt.schema}, v)
			if (len(errs) > 0) != tt.wantErr {
				t.Fatalf("errors = %v, wantErr %v", errs, tt.wantErr)
			}
		})
	}
}

// TestDocNamesEveryOperation keeps the prose contract in step with the
// OpenAPI file.
func TestDocNamesEveryOperation(t *testing.T) {
	t.Parallel()
	md, err := os.ReadFile(apiDocFile)
	if err != nil {
		t.Fatalf("read %s: %v", apiDocFile, err)
	}
	for _, op := range operations(t, loadOpenAPI(t)) {
		if heading := "## `" + op.method + " " + op.template; !strings.Contains(string(md), heading) {
			t.Errorf("%s has no section %q…", apiDocFile, heading)
		}
	}
}

// TestOpenAPIRefsResolve checks that every $ref in the file points somewhere.
func TestOpenAPIRefsResolve(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	schema := jsonSchema{root: doc}
	count := 0
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				count++
				if _, err := schema.resolve(ref); err != nil {
					t.Errorf("%s: %v", at, err)
				}
			}
			for k, sub := range x {
				walk(at+"/"+k, sub)
			}
		case []any:
			for i, sub := range x {
				walk(at+"/"+strconv.Itoa(i), sub)
			}
		}
	}
	walk("#", doc)
	if count < 50 {
		t.Fatalf("found only %d $refs; is the walk broken?", count)
	}
}
