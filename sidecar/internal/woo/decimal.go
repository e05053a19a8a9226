package woo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// Decimal is a base-10 number as WooCommerce sends prices, totals and
// weights: usually a JSON string ("40.00", "1.35", "" when unset), sometimes
// a JSON number (order line "price"). It never goes through float64.
//
// The zero value is "unset" (WooCommerce's ""). A value that is not a plain
// decimal is kept as received and reports Valid() == false, so one odd
// product never breaks a whole page.
type Decimal struct {
	units int64  // value × 10^scale
	scale int32  // digits after the point, as received
	set   bool   // false for "" and null
	bad   string // the text received when it is not a decimal
}

// maxScale bounds the digits after the point we keep.
const maxScale = 12

// ParseDecimal parses "-12.345", "12", "0.5", ".5" and "" (unset).
func ParseDecimal(s string) (Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Decimal{}, nil
	}
	neg := false
	body := s
	switch body[0] {
	case '-':
		neg, body = true, body[1:]
	case '+':
		body = body[1:]
	}
	intPart, frac, hasPoint := strings.Cut(body, ".")
	if intPart == "" && frac == "" || hasPoint && frac == "" && intPart == "" {
		return Decimal{}, fmt.Errorf("decimal %q: no digits", s)
	}
	if len(frac) > maxScale {
		return Decimal{}, fmt.Errorf("decimal %q: more than %d digits after the point", s, maxScale)
	}
	var units int64
	for _, part := range []string{intPart, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return Decimal{}, fmt.Errorf("decimal %q: unexpected %q", s, r)
			}
			if units > (math.MaxInt64-9)/10 {
				return Decimal{}, fmt.Errorf("decimal %q: out of range", s)
			}
			units = units*10 + int64(r-'0')
		}
	}
	if neg {
		units = -units
	}
	return Decimal{units: units, scale: int32(len(frac)), set: true}, nil
}

// MustDecimal parses s and panics on error; for constants in tests and code.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DecimalFromMinor builds a Decimal from integer minor units, e.g. (4050, 2) = "40.50".
func DecimalFromMinor(units int64, scale int) Decimal {
	return Decimal{units: units, scale: int32(scale), set: true}
}

// IsSet reports whether a value was sent (false for "" and null).
func (d Decimal) IsSet() bool { return d.set || d.bad != "" }

// Valid reports whether the value is set and a plain decimal.
func (d Decimal) Valid() bool { return d.set }

// String returns the value with the digits it was received with ("40.00"),
// "" when unset, or the raw text when it was not a decimal.
func (d Decimal) String() string {
	if d.bad != "" {
		return d.bad
	}
	if !d.set {
		return ""
	}
	u := d.units
	sign := ""
	if u < 0 {
		sign, u = "-", -u
	}
	digits := fmt.Sprintf("%0*d", int(d.scale)+1, u)
	if d.scale == 0 {
		return sign + digits
	}
	cut := len(digits) - int(d.scale)
	return sign + digits[:cut] + "." + digits[cut:]
}

// MinorUnits returns the value in units of 10^-decimals (cents for 2),
// failing rather than rounding when the value has more digits than that.
func (d Decimal) MinorUnits(decimals int) (int64, error) {
	if !d.set {
		return 0, fmt.Errorf("decimal %q: not a number", d.String())
	}
	u, s := d.units, int(d.scale)
	for ; s < decimals; s++ {
		if u > math.MaxInt64/10 || u < math.MinInt64/10 {
			return 0, fmt.Errorf("decimal %s: out of range", d)
		}
		u *= 10
	}
	for ; s > decimals; s-- {
		if u%10 != 0 {
			return 0, fmt.Errorf("decimal %s: more than %d digits after the point", d, decimals)
		}
		u /= 10
	}
	return u, nil
}

// Cmp compares two valid decimals: -1, 0 or +1. Unset or invalid values
// compare as zero.
func (d Decimal) Cmp(o Decimal) int {
	a, b := d.units, o.units
	if !d.set {
		a = 0
	}
	if !o.set {
		b = 0
	}
	sa, sb := d.scale, o.scale
	// Bring both to the larger scale; values are small (prices, weights).
	for ; sa < sb; sa++ {
		a *= 10
	}
	for ; sb < sa; sb++ {
		b *= 10
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MarshalJSON writes the value as a JSON string, like WooCommerce.
func (d Decimal) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// UnmarshalJSON accepts a JSON string, a JSON number or null.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*d = Decimal{}
		return nil
	}
	var text string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &text); err != nil {
			return fmt.Errorf("decimal: %w", err)
		}
	} else {
		text = string(b)
		if strings.ContainsAny(text, "eE") { // exponent: keep as text, never float
			*d = Decimal{bad: text}
			return nil
		}
	}
	v, err := ParseDecimal(text)
	if err != nil {
		*d = Decimal{bad: text}
		return nil
	}
	*d = v
	return nil
}
