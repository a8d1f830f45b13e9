//go:build !race

package doccheck

// RaceFlags are the build flags of the go commands the checks run: those of
// the test binary itself, so that they reuse the packages go test has
// compiled instead of compiling every dependency once more.
var RaceFlags []string
