package generate

import (
	"crypto/sha256"
	"encoding/binary"
	"math/bits"
)

// keyVersion is part of every derived key, so that a deliberate change of
// the generation scheme can be made by bumping it.
const keyVersion = "staffseed/generate/v1"

// deriveKey returns a SHA-256 key for one purpose, over a canonical,
// length-prefixed encoding of the seed and the given fields. It is stable
// across platforms and Go releases.
func deriveKey(purpose string, seed int64, fields ...string) [sha256.Size]byte {
	h := sha256.New()
	writeField := func(s string) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	writeField(keyVersion)
	writeField(purpose)
	var s [8]byte
	binary.BigEndian.PutUint64(s[:], uint64(seed))
	h.Write(s[:])
	for _, f := range fields {
		writeField(f)
	}
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

// mix64 is the SplitMix64 finaliser: a fast bijective scrambler of 64 bits.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// feistelRounds is enough rounds for a well-mixed permutation of small
// domains; it is a scrambler, not a cipher.
const feistelRounds = 6

// permutation is a keyed bijection of [0, n): a balanced Feistel network
// over the smallest even number of bits covering n, with cycle-walking to
// stay inside [0, n).
type permutation struct {
	n        uint64
	halfBits uint
	mask     uint64
	keys     [feistelRounds]uint64
}

func newPermutation(n uint64, key [sha256.Size]byte) permutation {
	if n == 0 {
		panic("generate: permutation of an empty domain")
	}
	b := uint(bits.Len64(n - 1))
	b = max(b+b%2, 2)
	p := permutation{n: n, halfBits: b / 2, mask: 1<<(b/2) - 1}
	for i := range p.keys {
		w := binary.BigEndian.Uint64(key[8*(i%4):])
		p.keys[i] = mix64(w + uint64(i+1)*0x9e3779b97f4a7c15)
	}
	return p
}

// At returns the image of x, which must be in [0, n).
func (p permutation) At(x uint64) uint64 {
	if x >= p.n {
		panic("generate: permutation input out of range")
	}
	for {
		x = p.encrypt(x)
		if x < p.n {
			return x
		}
	}
}

func (p permutation) encrypt(x uint64) uint64 {
	l, r := x>>p.halfBits, x&p.mask
	for _, k := range p.keys {
		l, r = r, l^(mix64(r^k)&p.mask)
	}
	return l<<p.halfBits | r
}
