package syncer

import "testing"

func TestNum(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   int
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {1200, "1,200"}, {20000, "20,000"}, {1234567, "1,234,567"}, {-5000, "-5,000"}}
	for _, tc := range tests {
		if got := num(tc.in); got != tc.want {
			t.Errorf("num(%d) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestProgressStep(t *testing.T) {
	t.Parallel()
	tests := []struct{ total, want int }{{0, 1000}, {32, 100}, {5000, 500}, {5033, 600}, {20000, 2000}}
	for _, tc := range tests {
		if got := progressStep(tc.total); got != tc.want {
			t.Errorf("progressStep(%d) = %d, want %d", tc.total, got, tc.want)
		}
	}
}
