package openaiexport

import "unicode/utf8"

// stringSize returns the size of s encoded as a JSON string by
// encoding/json without HTML escaping, quotes included, without encoding
// it.
func stringSize(s string) int {
	n := 2
	for i := 0; i < len(s); {
		c, w := escapedSize(s, i)
		n += c
		i += w
	}
	return n
}

// fittingPrefix returns the length of the longest prefix of s, ending on a
// rune boundary, whose JSON encoding without quotes takes at most room
// bytes.
func fittingPrefix(s string, room int) int {
	n := 0
	for i := 0; i < len(s); {
		c, w := escapedSize(s, i)
		if n+c > room {
			return i
		}
		n += c
		i += w
	}
	return len(s)
}

// escapedSize returns how many bytes encoding/json writes for the rune (or
// invalid byte) at s[i], and how many bytes of s it takes: quotes,
// backslashes and \b \f \n \r \t are escaped in two bytes, other control
// characters, invalid bytes (as \ufffd) and U+2028 and U+2029 in six.
func escapedSize(s string, i int) (size, width int) {
	if b := s[i]; b < utf8.RuneSelf {
		switch {
		case b == '"' || b == '\\' || b == '\b' || b == '\f' || b == '\n' || b == '\r' || b == '\t':
			return 2, 1
		case b < 0x20:
			return 6, 1
		}
		return 1, 1
	}
	c, w := utf8.DecodeRuneInString(s[i:])
	if (c == utf8.RuneError && w == 1) || c == '\u2028' || c == '\u2029' {
		return 6, w
	}
	return w, w
}
