package woosim

import "testing"

func TestPHPJSON(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"slashes escaped", "https://x/y", `"https:\/\/x\/y"`},
		{"non-ASCII as \\u", "Rosé Gewürztraminer", `"Ros\u00e9 Gew\u00fcrztraminer"`},
		{"astral as surrogate pair", "🍷", `"\ud83c\udf77"`},
		{"controls", "a\tb\n\x01\"\\", `"a\tb\n\u0001\"\\"`},
		{"html kept", `<p class="x">`, `"<p class=\"x\">"`},
		{"empty object is []", obj{}, `[]`},
		{"stdClass", emptyObject{}, `{}`},
		{"ordered object", obj{{"b", 1}, {"a", nil}}, `{"b":1,"a":null}`},
		{"float like PHP", []any{phpFloat(40), phpFloat(18.99)}, `[40,18.99]`},
		{"nil int pointer", (*int)(nil), `null`},
		{"ids", []int64{3, 1}, `[3,1]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(phpJSON(tt.in)); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}
