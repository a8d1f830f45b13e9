//go:build unix

package processors

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

// notifyOwn stands for the program's own handling of SIGUSR1, so that the
// re-raised signal reaches the test instead of killing it.
func notifyOwn(t *testing.T) chan os.Signal {
	own := make(chan os.Signal, 4)
	signal.Notify(own, syscall.SIGUSR1)
	t.Cleanup(func() { signal.Stop(own) })
	return own
}

func receive(t *testing.T, ch chan os.Signal) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(time.Minute): // a guard against hanging, not a timing check
		t.Fatal("no signal received")
	}
}

func TestShutdownOnSignal(t *testing.T) {
	defer goleak.VerifyNone(t)
	own := notifyOwn(t)
	rec := &fakeRecorder{}
	b := NewBatcher(rec)
	b.OnSpanEnd(nil)
	stop := ShutdownOnSignal(b, 5*time.Second, syscall.SIGUSR1)
	defer stop()

	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	receive(t, own) // the signal itself
	receive(t, own) // re-raised after the shutdown
	stop()
	if got := rec.shutdownCalls(); got != 1 {
		t.Errorf("exporter Shutdown called %d times, want 1", got)
	}
	if diff := cmp.Diff(Stats{Received: 1, Exported: 1}, b.Stats()); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}

func TestShutdownOnSignalStop(t *testing.T) {
	defer goleak.VerifyNone(t)
	own := notifyOwn(t)
	rec := &fakeRecorder{}
	b := NewBatcher(rec)
	stop := ShutdownOnSignal(b, 5*time.Second, syscall.SIGUSR1)
	stop()
	stop() // idempotent
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	receive(t, own)
	if got := rec.shutdownCalls(); got != 0 {
		t.Errorf("exporter Shutdown called %d times after stop, want 0", got)
	}
	if err := b.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}

type panickingShutdowner struct{ called chan struct{} }

func (p panickingShutdowner) Shutdown(context.Context) error {
	close(p.called)
	panic("shutdown bug")
}

func TestShutdownOnSignalContainsPanic(t *testing.T) {
	defer goleak.VerifyNone(t)
	own := notifyOwn(t)
	p := panickingShutdowner{called: make(chan struct{})}
	stop := ShutdownOnSignal(p, time.Second, syscall.SIGUSR1)
	defer stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	receive(t, own)
	receive(t, own) // re-raised although Shutdown panicked
	<-p.called
}

// deadlineRecorder records whether the ctx it is shut down with was already
// done.
type deadlineRecorder struct{ expired chan bool }

func (d deadlineRecorder) Shutdown(ctx context.Context) error {
	_, has := ctx.Deadline()
	d.expired <- !has || ctx.Err() != nil
	return nil
}

// A timeout <= 0 means DefaultSignalTimeout, not an already expired
// shutdown that would drop everything queued.
func TestShutdownOnSignalNoTimeout(t *testing.T) {
	defer goleak.VerifyNone(t)
	own := notifyOwn(t)
	d := deadlineRecorder{expired: make(chan bool, 1)}
	stop := ShutdownOnSignal(d, 0, syscall.SIGUSR1)
	defer stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	receive(t, own)
	if <-d.expired {
		t.Error("Shutdown ran with an expired or unbounded ctx")
	}
	receive(t, own)
}

// blockingShutdowner's Shutdown waits until release is closed.
type blockingShutdowner struct{ entered, release, returned chan struct{} }

func (b blockingShutdowner) Shutdown(ctx context.Context) error {
	close(b.entered)
	defer close(b.returned)
	<-b.release
	return nil
}

// A second signal during a slow shutdown is sent on at once, without
// waiting for the shutdown to finish.
func TestShutdownOnSignalSecondSignal(t *testing.T) {
	defer goleak.VerifyNone(t)
	own := notifyOwn(t)
	p := blockingShutdowner{entered: make(chan struct{}), release: make(chan struct{}), returned: make(chan struct{})}
	stop := ShutdownOnSignal(p, time.Minute, syscall.SIGUSR1)
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	receive(t, own)
	<-p.entered
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	receive(t, own) // the second signal itself
	receive(t, own) // sent on by ShutdownOnSignal while the shutdown still runs
	select {
	case <-p.returned:
		t.Error("the signal was sent on only after the shutdown")
	default:
	}
	close(p.release)
	stop() // waits for the shutdown
	<-p.returned
}
