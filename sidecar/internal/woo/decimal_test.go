package woo

import (
	"encoding/json"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    string
		cents   int64
		wantErr bool
	}{
		{in: "40.00", want: "40.00", cents: 4000},
		{in: "18.99", want: "18.99", cents: 1899},
		{in: "1.35", want: "1.35", cents: 135},
		{in: "7", want: "7", cents: 700},
		{in: "0.5", want: "0.5", cents: 50},
		{in: ".5", want: "0.5", cents: 50},
		{in: "-2.10", want: "-2.10", cents: -210},
		{in: "", want: ""},
		{in: "1,5", wantErr: true},
		{in: "abc", wantErr: true},
		{in: "1.2.3", wantErr: true},
		{in: ".", wantErr: true},
	}
	for _, tt := range tests {
		d, err := ParseDecimal(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseDecimal(%q) = %v, want error", tt.in, d)
			}
			continue
		}
		if err != nil {
			t.Fatalf("ParseDecimal(%q): %v", tt.in, err)
		}
		if got := d.String(); got != tt.want {
			t.Errorf("ParseDecimal(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		if tt.in == "" {
			if d.IsSet() {
				t.Errorf("empty decimal reports IsSet")
			}
			continue
		}
		cents, err := d.MinorUnits(2)
		if err != nil || cents != tt.cents {
			t.Errorf("%q.MinorUnits(2) = %d, %v; want %d", tt.in, cents, err, tt.cents)
		}
	}
}

func TestDecimalMinorUnitsRefusesRounding(t *testing.T) {
	t.Parallel()
	if _, err := MustDecimal("40.005").MinorUnits(2); err == nil {
		t.Fatal("40.005 to cents: want an error, not a rounded value")
	}
	if got, err := MustDecimal("40.010").MinorUnits(2); err != nil || got != 4001 {
		t.Fatalf("40.010 to cents = %d, %v; want 4001", got, err)
	}
}

func TestDecimalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		json  string
		want  string
		valid bool
		set   bool
	}{
		{json: `"40.00"`, want: "40.00", valid: true, set: true},
		{json: `18.99`, want: "18.99", valid: true, set: true}, // order line "price" is a number
		{json: `40`, want: "40", valid: true, set: true},
		{json: `""`, want: "", valid: false, set: false},
		{json: `null`, want: "", valid: false, set: false},
		{json: `"n/a"`, want: "n/a", valid: false, set: true},
		{json: `1e3`, want: "1e3", valid: false, set: true},
	}
	for _, tt := range tests {
		var d Decimal
		if err := json.Unmarshal([]byte(tt.json), &d); err != nil {
			t.Fatalf("unmarshal %s: %v", tt.json, err)
		}
		if d.String() != tt.want || d.Valid() != tt.valid || d.IsSet() != tt.set {
			t.Errorf("%s → %q valid=%v set=%v; want %q %v %v", tt.json, d.String(), d.Valid(), d.IsSet(), tt.want, tt.valid, tt.set)
		}
	}
	out, err := json.Marshal(struct {
		P Decimal `json:"p"`
		E Decimal `json:"e,omitzero"`
	}{P: MustDecimal("45.00")})
	if err != nil || string(out) != `{"p":"45.00"}` {
		t.Fatalf("marshal = %s, %v", out, err)
	}
}

func TestDecimalCmp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"40.00", "40", 0},
		{"39.99", "40", -1},
		{"40.5", "40.49", 1},
		{"", "0", 0},
	}
	for _, tt := range tests {
		if got := MustDecimal(tt.a).Cmp(MustDecimal(tt.b)); got != tt.want {
			t.Errorf("Cmp(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
