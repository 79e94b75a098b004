// Package password generates staff passwords and stores them the way the
// PX360 Django application expects: Django's pbkdf2_sha256 hash format,
// pbkdf2_sha256$<iterations>$<salt>$<base64 digest>. Passwords come from
// crypto/rand through an unbiased picker, so every character of the alphabet
// is equally likely, and each generated password holds at least one letter,
// one digit and one symbol.
package password
