package httpapi

import (
	"bytes"
	"net/http/httptest"
	"testing"
)

// TestAdminBodiesMustBeJSON: a JSON body sent with a form content type (what
// `curl -d` does) is refused with 415 and the fix, not bound as an empty form
// ("store_url … are required", "Unknown job type """).
func TestAdminBodiesMustBeJSON(t *testing.T) {
	h := setup(t)
	h.srv.deps.Jobs = fakeJobs{h.store}
	for _, tc := range []struct {
		contentType string
		wantStatus  int
		wantCode    string
	}{
		{"application/x-www-form-urlencoded", 415, "unsupported_media_type"},
		{"multipart/form-data; boundary=x", 415, "unsupported_media_type"},
		{"text/plain", 415, "unsupported_media_type"},
		{"", 415, "unsupported_media_type"},
		{"application/json", 202, ""},
		{"application/json; charset=utf-8", 202, ""},
	} {
		req := httptest.NewRequest("POST", "/v1/jobs", bytes.NewBufferString(`{"type":"SYNC_WOOCOMMERCE_STOCK"}`))
		if tc.contentType != "" {
			req.Header.Set("Content-Type", tc.contentType)
		}
		req.Header.Set("Authorization", "Bearer "+labSecret)
		rec := httptest.NewRecorder()
		h.srv.Handler().ServeHTTP(rec, req)
		if rec.Code != tc.wantStatus {
			t.Fatalf("%q: status %d, want %d: %s", tc.contentType, rec.Code, tc.wantStatus, rec.Body)
		}
		if tc.wantCode != "" {
			if got := errCode(t, rec); got != tc.wantCode {
				t.Fatalf("%q: code %q, want %q", tc.contentType, got, tc.wantCode)
			}
		}
	}
}
