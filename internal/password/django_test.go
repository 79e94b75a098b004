package password

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// pbkdf2SHA256 is RFC 8018 PBKDF2 with HMAC-SHA256, written out from the
// definition so that the production hash is checked against an independent
// implementation.
func pbkdf2SHA256(password, salt []byte, iterations, keyLen int) []byte {
	var out []byte
	for block := uint32(1); len(out) < keyLen; block++ {
		mac := hmac.New(sha256.New, password)
		mac.Write(salt)
		var ctr [4]byte
		binary.BigEndian.PutUint32(ctr[:], block)
		mac.Write(ctr[:])
		u := mac.Sum(nil)
		t := append([]byte(nil), u...)
		for i := 1; i < iterations; i++ {
			mac = hmac.New(sha256.New, password)
			mac.Write(u)
			u = mac.Sum(nil)
			for j := range t {
				t[j] ^= u[j]
			}
		}
		out = append(out, t...)
	}
	return out[:keyLen]
}

// Vectors from Django's own tests (auth_tests/test_hashers.py, test_pbkdf2):
// make_password("lètmein", "seasalt", "pbkdf2_sha256") across releases.
var djangoVectors = []string{
	"pbkdf2_sha256$12000$seasalt$Ybw8zsFxqja97tY/o6G+Fy1ksY4U/Hw3DRrGED6Up4s=",
	"pbkdf2_sha256$20000$seasalt$oBSd886ysm3AqYun62DOdin8YcfbU1z9cksZSuLP9r0=",
	"pbkdf2_sha256$100000$seasalt$BNZ6eyaNc8qFTJPjrAq99hSYb73EgAdytAtdBg2Sdcc=",
	"pbkdf2_sha256$870000$seasalt$wJSpLMQRQz0Dhj/pFpbyjMj71B2gUYp6HJS5AU+32Ac=",
}

func TestDjangoVectors(t *testing.T) {
	for _, v := range djangoVectors {
		t.Run(strings.Split(v, "$")[1], func(t *testing.T) {
			if !Check("lètmein", v) {
				t.Errorf("Check(lètmein, %s) = false, want true", v)
			}
			if Check("letmein", v) {
				t.Errorf("Check(letmein, %s) = true, want false", v)
			}
			iterations, _ := strconv.Atoi(strings.Split(v, "$")[1])
			got, err := encode("lètmein", "seasalt", iterations)
			if err != nil {
				t.Fatal(err)
			}
			if got != v {
				t.Errorf("encode = %s, want %s", got, v)
			}
		})
	}
}

func TestHashMatchesIndependentPBKDF2(t *testing.T) {
	tests := []struct {
		password   string
		iterations int
	}{
		{"password", 1},
		{"password", 1000},
		{"lètmein", 4096},
		{"Zx9!kQ2#mP4&", 10000},
		{"", 10},
	}
	for _, tt := range tests {
		encoded, err := Hash(tt.password, tt.iterations)
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(encoded, "$")
		if len(parts) != 4 {
			t.Fatalf("Hash = %q: want 4 $-separated fields", encoded)
		}
		if parts[0] != "pbkdf2_sha256" || parts[1] != strconv.Itoa(tt.iterations) {
			t.Errorf("Hash = %q: wrong algorithm or iterations", encoded)
		}
		salt := parts[2]
		if len(salt) != SaltLength || strings.Trim(salt, saltChars) != "" {
			t.Errorf("salt %q: want %d chars of [a-zA-Z0-9]", salt, SaltLength)
		}
		want := base64.StdEncoding.EncodeToString(
			pbkdf2SHA256([]byte(tt.password), []byte(salt), tt.iterations, 32))
		if parts[3] != want {
			t.Errorf("Hash(%q, %d) digest = %s, want %s", tt.password, tt.iterations, parts[3], want)
		}
		if !Check(tt.password, encoded) {
			t.Errorf("Check(%q, Hash) = false", tt.password)
		}
		if Check(tt.password+"x", encoded) {
			t.Errorf("Check(%q+x, Hash) = true", tt.password)
		}
	}
}

func TestHashSaltsDiffer(t *testing.T) {
	a, _ := Hash("same", 10)
	b, _ := Hash("same", 10)
	if a == b {
		t.Errorf("two hashes of one password are equal: %s", a)
	}
}

func TestHashRejectsBadIterations(t *testing.T) {
	for _, n := range []int{0, -1} {
		if _, err := Hash("x", n); err == nil {
			t.Errorf("Hash(x, %d): want error", n)
		}
	}
}

func TestCheckMalformed(t *testing.T) {
	good, _ := Hash("pw", 10)
	p := strings.Split(good, "$")
	for _, enc := range []string{
		"",
		"pw",
		Unusable(),
		"pbkdf2_sha1$10$" + p[2] + "$" + p[3],
		"pbkdf2_sha256$0$" + p[2] + "$" + p[3],
		"pbkdf2_sha256$abc$" + p[2] + "$" + p[3],
		"pbkdf2_sha256$10$$" + p[3],
		"pbkdf2_sha256$10$" + p[2] + "$not-base64",
		"pbkdf2_sha256$10$" + p[2] + "$" + p[3][:20],
		good + "$extra",
	} {
		if Check("pw", enc) {
			t.Errorf("Check(pw, %q) = true, want false", enc)
		}
	}
}

func TestUnusable(t *testing.T) {
	a, b := Unusable(), Unusable()
	if a == b {
		t.Errorf("Unusable returned %q twice", a)
	}
	for _, u := range []string{a, b} {
		if len(u) != 41 || u[0] != '!' || strings.Trim(u[1:], saltChars) != "" {
			t.Errorf("Unusable() = %q: want ! and 40 chars of [a-zA-Z0-9]", u)
		}
		if IsUsable(u) {
			t.Errorf("IsUsable(%q) = true", u)
		}
	}
	h, _ := Hash("pw", 1)
	if !IsUsable(h) {
		t.Errorf("IsUsable(%q) = false", h)
	}
}

func TestHashAll(t *testing.T) {
	pws := make([]string, 37)
	for i := range pws {
		pws[i] = "pw-" + strconv.Itoa(i)
	}
	for _, workers := range []int{0, 1, 4, 100} {
		got, err := HashAll(context.Background(), pws, 100, workers)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(pws) {
			t.Fatalf("workers=%d: %d hashes, want %d", workers, len(got), len(pws))
		}
		for i, h := range got {
			if !Check(pws[i], h) {
				t.Errorf("workers=%d: hash %d does not match its password", workers, i)
			}
		}
	}
	if got, err := HashAll(context.Background(), nil, 100, 0); err != nil || len(got) != 0 {
		t.Errorf("HashAll(nil) = %v, %v", got, err)
	}
}

func TestHashAllCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := HashAll(ctx, []string{"a", "b", "c"}, 10, 1)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("HashAll(cancelled) error = %v, want context.Canceled", err)
	}
}

func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("Zx9!kQ2#mP4&", 1_000_000); err != nil {
			b.Fatal(err)
		}
	}
}
