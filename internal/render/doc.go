// Package render turns plans into views: the human text of `plan` and
// `apply`, and the JSON document of `plan --json` and `show --json`. It
// only formats; it never queries or decides.
package render
