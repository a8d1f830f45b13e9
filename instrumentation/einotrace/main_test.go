package einotrace_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no test leaves a goroutine behind: the handler's
// stream readers end with their streams.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
