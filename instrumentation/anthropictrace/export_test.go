package anthropictrace

import "time"

// SetRetryGrace sets how late a retry may come, for tests of calls whose
// retry never comes; it returns a function restoring the default.
func SetRetryGrace(d time.Duration) (restore func()) {
	old := retryGrace
	retryGrace = d
	return func() { retryGrace = old }
}
