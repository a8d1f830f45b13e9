package otelbridge_test

import (
	"errors"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func errorAs(err error, target any) bool { return errors.As(err, target) }
