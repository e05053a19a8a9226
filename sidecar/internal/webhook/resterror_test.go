package webhook

import "testing"

func TestParseRESTError(t *testing.T) {
	t.Parallel()
	got, ok := ParseRESTError([]byte(`{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`))
	if !ok || got.Code != "rest_no_route" || got.Status != 404 || got.Message != "No route was found matching the URL and request method." {
		t.Fatalf("ParseRESTError = %+v, %v", got, ok)
	}
	for _, body := range []string{
		`{"id":12,"code":"rest_no_route","message":"x","data":{"status":404}}`, // a resource with an id is data
		`{"code":"rest_no_route","message":"x"}`,                               // no data.status
		`{"code":"rest_no_route","message":"x","data":{"status":"404"}}`,       // status not a number
		`{"code":"rest_no_route","message":"x","data":{"status":42}}`,          // not an HTTP status
		`{"code":"","message":"x","data":{"status":404}}`,
		`{"code":7,"message":"x","data":{"status":404}}`,
		`{"id":12,"name":"Pinot"}`,
		`[1,2]`,
		`{"code":"x"`,
	} {
		if re, ok := ParseRESTError([]byte(body)); ok {
			t.Errorf("ParseRESTError(%s) = %+v, want not an error", body, re)
		}
	}
}
