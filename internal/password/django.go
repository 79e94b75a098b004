package password

import (
	"context"
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// Algorithm is the name of the only Django hasher staffseed writes.
const Algorithm = "pbkdf2_sha256"

// SaltLength is the length of a generated salt: 22 characters of
// [a-zA-Z0-9] carry the 128 bits of entropy Django's salts have.
const SaltLength = 22

// keyLength is the size of a SHA-256 derived key.
const keyLength = sha256.Size

// unusablePrefix marks a Django password that no password checks against.
const unusablePrefix = "!"

// unusableSuffixLength is the number of random characters after the prefix.
const unusableSuffixLength = 40

// Hash returns password hashed in Django's format with a fresh random salt:
// pbkdf2_sha256$<iterations>$<salt>$<base64 of the 32-byte PBKDF2 key>.
func Hash(password string, iterations int) (string, error) {
	if iterations < 1 {
		return "", fmt.Errorf("hash password: iterations %d must be at least 1", iterations)
	}
	salt := newPicker().randomString(SaltLength, saltChars)
	return encode(password, salt, iterations)
}

// encode hashes password with the given salt in Django's format.
func encode(password, salt string, iterations int) (string, error) {
	dk, err := pbkdf2.Key(sha256.New, password, []byte(salt), iterations, keyLength)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return fmt.Sprintf("%s$%d$%s$%s", Algorithm, iterations, salt,
		base64.StdEncoding.EncodeToString(dk)), nil
}

// Check reports whether password matches encoded, a Django pbkdf2_sha256
// hash. Unusable and malformed hashes match nothing. The digests are
// compared in constant time.
func Check(password, encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 4 || parts[0] != Algorithm || parts[2] == "" {
		return false
	}
	iterations, err := strconv.Atoi(parts[1])
	if err != nil || iterations < 1 {
		return false
	}
	want, err := base64.StdEncoding.DecodeString(parts[3])
	if err != nil || len(want) != keyLength {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, password, []byte(parts[2]), iterations, keyLength)
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(got, want) == 1
}

// Unusable returns a password value Django treats as unusable: "!" and 40
// random characters of [a-zA-Z0-9]. It is distinct on every call, as
// Django's make_password(None) is.
func Unusable() string {
	return unusablePrefix + newPicker().randomString(unusableSuffixLength, saltChars)
}

// IsUsable reports whether encoded is a password value that can match a
// password, as Django's is_password_usable does.
func IsUsable(encoded string) bool {
	return encoded != "" && !strings.HasPrefix(encoded, unusablePrefix)
}

// HashAll hashes every password with Hash, spread over workers goroutines
// (runtime.NumCPU() when workers < 1). The result is in the order of
// passwords. It stops early with ctx's error when ctx is done.
func HashAll(ctx context.Context, passwords []string, iterations, workers int) ([]string, error) {
	if iterations < 1 {
		return nil, fmt.Errorf("hash passwords: iterations %d must be at least 1", iterations)
	}
	if workers < 1 {
		workers = runtime.NumCPU()
	}
	workers = min(workers, len(passwords))
	out := make([]string, len(passwords))
	next := make(chan int)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	for range workers {
		wg.Go(func() {
			for i := range next {
				h, err := Hash(passwords[i], iterations)
				if err != nil {
					once.Do(func() { firstErr = err })
					continue
				}
				out[i] = h
			}
		})
	}
	var cancelled error
feed:
	for i := range passwords {
		select {
		case <-ctx.Done():
			cancelled = ctx.Err()
			break feed
		case next <- i:
		}
	}
	close(next)
	wg.Wait()
	if cancelled != nil {
		return nil, fmt.Errorf("hash passwords: %w", cancelled)
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}
