// Package names holds the bilingual name data shipped in the staffseed
// binary: curated Saudi and Gulf male first names, female first names and
// family names as (English, Arabic) pairs, and the physician
// specializations. Every English spelling is written by hand in the data
// files under data/, never transliterated by code.
package names
