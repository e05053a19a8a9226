package webhook

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/captures"
)

const labSecret = captures.LabSecret

func loadDeliveries(t testing.TB) []captures.Delivery {
	t.Helper()
	ds, err := captures.Deliveries()
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestCapturedDeliveries(t *testing.T) {
	deliveries := loadDeliveries(t)
	verbatim := 0
	for _, d := range deliveries {
		if !d.Scrubbed {
			verbatim++
		}
	}
	if verbatim < 20 {
		t.Fatalf("only %d deliveries kept their original signature", verbatim)
	}
	for _, d := range deliveries {
		t.Run(d.Name, func(t *testing.T) {
			if IsPing(d.Headers, d.Body) {
				if d.Headers.Get(HeaderSignature) != "" {
					t.Fatal("ping with a signature")
				}
				return
			}
			if !Verify(d.Body, d.Headers.Get(HeaderSignature), []byte(labSecret)) {
				t.Fatal("captured signature does not verify")
			}
			if Verify(d.Body, d.Headers.Get(HeaderSignature), []byte("wrong-secret")) {
				t.Fatal("verifies with the wrong secret")
			}
			tampered := append([]byte(nil), d.Body...)
			tampered[len(tampered)/2] ^= 1
			if Verify(tampered, d.Headers.Get(HeaderSignature), []byte(labSecret)) {
				t.Fatal("verifies a tampered body")
			}
			del := ParseHeaders(d.Headers)
			if !del.Known() {
				t.Fatalf("topic %q not known", del.Topic)
			}
			mac, _ := VerifyMAC(d.Body, d.Headers.Get(HeaderSignature), []byte(labSecret))
			if err := ParseBody(&del, d.Body, mac); err != nil {
				t.Fatal(err)
			}
			if del.ResourceID <= 0 || len(del.BodyHash) != 64 {
				t.Fatalf("parsed %+v", del)
			}
			if del.Event != "deleted" && del.ModifiedGMT == "" {
				t.Fatalf("no date_modified_gmt in %s", del.Topic)
			}
		})
	}
}

func TestPingAndTopics(t *testing.T) {
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	if !IsPing(h, []byte("webhook_id=16")) {
		t.Fatal("ping not recognised")
	}
	if IsPing(h, []byte("webhook_id=16&x=1")) || IsPing(hdr(HeaderTopic, "product.updated"), []byte("webhook_id=1")) {
		t.Fatal("non-ping taken as ping")
	}
	d := ParseHeaders(hdr(HeaderTopic, "coupon.created"))
	if d.Known() {
		t.Fatal("coupon topic known")
	}
	d = ParseHeaders(hdr(HeaderTopic, "product.restored"))
	if !d.Known() || d.Resource != "product" || d.Event != "restored" {
		t.Fatalf("%+v", d)
	}
}

func hdr(k, v string) http.Header {
	h := http.Header{}
	h.Set(k, v)
	return h
}

func TestParseBodyRejects(t *testing.T) {
	for _, body := range []string{``, `{`, `[]`, `{"name":"x"}`, `{"id":"13"}`, `{"id":-1}`, `{"id":1.5}`, `"x"`} {
		var d Delivery
		if err := ParseBody(&d, []byte(body), "mac"); err == nil {
			t.Errorf("%q accepted", body)
		}
	}
}

// tricky documents at the edges of the JSON grammar.
var tricky = []string{
	``, ` `, `{}`, `[]`, `"x"`, `1`, `-`, `-0`, `01`, `1.`, `1.5e`, `1e+`, `1E-7`, `tru`, `nul`, `falsey`,
	`{"id":1}`, ` {"id":1} `, `{"id":1}x`, `{"id":1,}`, `{"id":1 "x":2}`, `{"id"1}`, `{id:1}`, `{"id":[1,]}`,
	`{"id":1,"x":"\u00zz"}`, `{"id":1,"x":"\u00e9"}`, `{"id":1,"x":"\q"}`, "{\"id\":1,\"x\":\"a\tb\"}", "{\"id\":1,\"x\":\"\xff\"}",
	`{"\u0069d":7}`, `{"id":1,"id":2}`, `{"a":{"id":9},"id":3}`, `{"id":-5}`, `{"id":1.0}`, `{"id":"1"}`,
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001), `{"id":1,"n":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}`,
}

func TestScannerAgreesWithEncodingJSON(t *testing.T) {
	for _, doc := range tricky {
		_, err := topLevelFields([]byte(doc))
		if (err != errInvalid) != json.Valid([]byte(doc)) {
			t.Errorf("%.60q: scanner %v, json.Valid %t", doc, err, json.Valid([]byte(doc)))
		}
	}
	f, err := topLevelFields([]byte(`{"\u0069d":7,"a":{"id":9},"date_modified_gmt":"x","id":3}`), "id", "date_modified_gmt")
	if err != nil || string(f[0]) != "3" || string(f[1]) != `"x"` {
		t.Fatalf("fields = %q, %v", f, err)
	}
}

func FuzzVerifyAndParse(f *testing.F) {
	for _, d := range loadDeliveries(f) {
		f.Add(d.Body, d.Headers.Get(HeaderSignature))
	}
	f.Add([]byte("webhook_id=1"), "")
	for _, doc := range tricky {
		f.Add([]byte(doc), "")
	}
	secret := []byte(labSecret)
	f.Fuzz(func(t *testing.T, body []byte, sig string) {
		if Verify(body, sig, secret) {
			// base64 decoding skips line breaks, so the spelling may differ,
			// but the bytes must be the body's HMAC.
			got, err := base64.StdEncoding.DecodeString(sig)
			want, _ := base64.StdEncoding.DecodeString(Sign(body, secret))
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("accepted signature %q that is not the body's HMAC", sig)
			}
		}
		if !Verify(body, Sign(body, secret), secret) {
			t.Fatal("own signature rejected")
		}
		// encoding/json is the oracle: the fast member scan must agree with it.
		var probe struct {
			ID          json.RawMessage `json:"id"`
			ModifiedGMT *string         `json:"date_modified_gmt"`
		}
		oracleErr := json.Unmarshal(body, &probe)
		if _, err := topLevelFields(body); (err != errInvalid) != json.Valid(body) {
			t.Fatalf("%q: scanner says %v, json.Valid says %t", body, err, json.Valid(body))
		}
		var d Delivery
		err := ParseBody(&d, body, "mac")
		if err != nil {
			return
		}
		if oracleErr != nil {
			t.Fatalf("accepted %q that encoding/json refuses: %v", body, oracleErr)
		}
		if string(probe.ID) != strconv.FormatInt(d.ResourceID, 10) {
			t.Fatalf("%q: id %d, encoding/json says %s", body, d.ResourceID, probe.ID)
		}
		if probe.ModifiedGMT != nil && *probe.ModifiedGMT != d.ModifiedGMT {
			t.Fatalf("%q: modified %q, encoding/json says %q", body, d.ModifiedGMT, *probe.ModifiedGMT)
		}
	})
}
