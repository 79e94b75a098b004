// Package generate produces the desired staff of a spec. Every attribute of
// a generated staff member is a pure function of (seed, hospital code, staff
// type, index): the same spec always yields the same people, a bigger count
// only adds indices, and genders follow female_ratio exactly at every prefix.
package generate
