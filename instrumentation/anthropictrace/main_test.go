package anthropictrace_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind, such
// as a call's timer still waiting for a retry.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
