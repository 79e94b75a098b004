package password

import (
	"math"
	"strings"
	"testing"
)

func TestGeneratePolicy(t *testing.T) {
	for _, length := range []int{3, 4, 8, 12, 32, 256} {
		for range 10_000 / 6 {
			pw, err := Generate(length)
			if err != nil {
				t.Fatal(err)
			}
			if len(pw) != length {
				t.Fatalf("Generate(%d) = %q: length %d", length, pw, len(pw))
			}
			if !strings.ContainsAny(pw, letters) || !strings.ContainsAny(pw, digits) || !strings.ContainsAny(pw, symbols) {
				t.Fatalf("Generate(%d) = %q: missing a character class", length, pw)
			}
			if strings.Trim(pw, alphabet) != "" {
				t.Fatalf("Generate(%d) = %q: character outside the alphabet", length, pw)
			}
		}
	}
}

func TestGenerateRejectsBadLength(t *testing.T) {
	for _, n := range []int{-1, 0, 1, 2, 257} {
		if pw, err := Generate(n); err == nil {
			t.Errorf("Generate(%d) = %q, want error", n, pw)
		}
	}
}

func TestAlphabetIsSafe(t *testing.T) {
	if strings.ContainsAny(alphabet, "'\"`\\ $") {
		t.Errorf("alphabet %q holds a quote, backslash, space or $", alphabet)
	}
	if strings.ContainsAny(alphabet, "0Oo1lI") {
		t.Errorf("alphabet %q holds a look-alike character", alphabet)
	}
	seen := map[rune]bool{}
	for _, r := range alphabet {
		if seen[r] {
			t.Errorf("alphabet repeats %q", r)
		}
		seen[r] = true
	}
}

// chiSquare999 returns the 99.9% critical value of the chi-square
// distribution with df degrees of freedom (Wilson–Hilferty approximation,
// accurate to well under 1% for df >= 10).
func chiSquare999(df int) float64 {
	const z = 3.090232 // standard normal 99.9% quantile
	k := float64(df)
	c := 1 - 2/(9*k) + z*math.Sqrt(2/(9*k))
	return k * c * c * c
}

// The picker must draw every character of the alphabet equally often.
func TestPickerUniform(t *testing.T) {
	const samples = 1_000_000
	p := newPicker()
	counts := make(map[byte]int, len(alphabet))
	for range samples {
		counts[p.pick(alphabet)]++
	}
	if len(counts) != len(alphabet) {
		t.Fatalf("saw %d distinct characters, want %d", len(counts), len(alphabet))
	}
	expected := float64(samples) / float64(len(alphabet))
	stat := 0.0
	for i := range len(alphabet) {
		d := float64(counts[alphabet[i]]) - expected
		stat += d * d / expected
	}
	limit := chiSquare999(len(alphabet) - 1)
	t.Logf("chi-square = %.1f over %d characters, df = %d, 99.9%% critical value = %.1f",
		stat, samples, len(alphabet)-1, limit)
	if stat > limit {
		t.Errorf("chi-square %.1f above the 99.9%% critical value %.1f: picker is biased", stat, limit)
	}
}

// A modulo-biased picker would fail the same test: this guards the test.
func TestChiSquareDetectsModuloBias(t *testing.T) {
	const samples = 1_000_000
	p := newPicker()
	n := len(alphabet)
	counts := make([]int, n)
	for range samples {
		counts[int(p.byte())%n]++
	}
	expected := float64(samples) / float64(n)
	stat := 0.0
	for _, c := range counts {
		d := float64(c) - expected
		stat += d * d / expected
	}
	if stat <= chiSquare999(n-1) {
		t.Errorf("biased byte%%%d picker passed with chi-square %.1f", n, stat)
	}
}

func TestShuffleMovesEveryPosition(t *testing.T) {
	// Over many shuffles, each class-guaranteed slot must land everywhere.
	const length = 12
	seen := make([][3]bool, length)
	for range 2000 {
		pw, _ := Generate(length)
		for i := range length {
			switch {
			case strings.IndexByte(letters, pw[i]) >= 0:
				seen[i][0] = true
			case strings.IndexByte(digits, pw[i]) >= 0:
				seen[i][1] = true
			default:
				seen[i][2] = true
			}
		}
	}
	for i, s := range seen {
		if s != [3]bool{true, true, true} {
			t.Errorf("position %d never held some class: %v", i, s)
		}
	}
}
