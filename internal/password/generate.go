package password

import "fmt"

// MinLength is the shortest password Generate makes: one letter, one digit
// and one symbol.
const MinLength = 3

// maxLength bounds Generate so that the shuffle's picker range (<= 256) holds.
const maxLength = 256

// Generate returns a fresh password of length characters from letters,
// digits and symbols, with at least one of each. One character of each class
// is placed first, the rest are drawn uniformly from the whole alphabet, and
// the result is shuffled, all from crypto/rand.
func Generate(length int) (string, error) {
	if length < MinLength || length > maxLength {
		return "", fmt.Errorf("password length %d out of range [%d, %d]", length, MinLength, maxLength)
	}
	p := newPicker()
	b := make([]byte, length)
	b[0] = p.pick(letters)
	b[1] = p.pick(digits)
	b[2] = p.pick(symbols)
	for i := 3; i < length; i++ {
		b[i] = p.pick(alphabet)
	}
	p.shuffle(b)
	return string(b), nil
}
