package password

import "crypto/rand"

// The character classes of generated passwords. Letters and digits leave
// out look-alikes (0 O o, 1 l I), so a password read off a screen or paper
// is typed right. Symbols leave out quotes, backslash, space and '$' (the
// separator of Django's hash format), so a password survives being pasted
// from an email, a shell or a URL.
const (
	letters = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
	digits  = "23456789"
	symbols = "!@#%^&*()-_=+[]{}?"
	// alphabet is every character a generated password may hold.
	alphabet = letters + digits + symbols
	// saltChars are the characters of a salt or an unusable password,
	// as Django's get_random_string uses.
	saltChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

// picker draws uniform random integers from crypto/rand. It reads random
// bytes in batches and uses rejection sampling, so there is no modulo bias.
type picker struct {
	buf [64]byte
	pos int
}

func newPicker() *picker {
	return &picker{pos: len(picker{}.buf)}
}

func (p *picker) byte() byte {
	if p.pos == len(p.buf) {
		// crypto/rand.Read never fails; it crashes the program instead.
		rand.Read(p.buf[:])
		p.pos = 0
	}
	b := p.buf[p.pos]
	p.pos++
	return b
}

// intn returns a uniform integer in [0, n) for 0 < n <= 256.
func (p *picker) intn(n int) int {
	if n <= 0 || n > 256 {
		panic("password: picker range out of bounds")
	}
	// limit is the largest multiple of n not above 256: bytes at or above
	// it are rejected so that every residue is equally likely.
	limit := 256 - 256%n
	for {
		b := int(p.byte())
		if b < limit {
			return b % n
		}
	}
}

// pick returns a uniformly chosen character of set.
func (p *picker) pick(set string) byte {
	return set[p.intn(len(set))]
}

// shuffle permutes b uniformly (Fisher–Yates).
func (p *picker) shuffle(b []byte) {
	for i := len(b) - 1; i > 0; i-- {
		j := p.intn(i + 1)
		b[i], b[j] = b[j], b[i]
	}
}

// randomString returns n characters drawn uniformly from set.
func (p *picker) randomString(n int, set string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = p.pick(set)
	}
	return string(b)
}
