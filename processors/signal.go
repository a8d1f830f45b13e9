package processors

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/safetext"
)

// DefaultSignalTimeout bounds the shutdown [ShutdownOnSignal] runs when
// given no timeout of its own: the Python Agents SDK's flush limit at exit.
const DefaultSignalTimeout = 5 * time.Second

// Shutdowner is what [ShutdownOnSignal] shuts down: a *tracing.Provider, a
// [*Batcher] or anything else with a Shutdown method.
type Shutdowner interface {
	Shutdown(ctx context.Context) error
}

// ShutdownOnSignal shuts p down, within timeout, when the process receives
// one of sigs (os.Interrupt and SIGTERM when none are given), so that what
// was traced is exported before a Ctrl-C or a container stop ends the
// program. It is opt-in and complements, not replaces, a deferred Shutdown
// in main: deferred calls do not run when a signal kills the process.
//
// After the shutdown it stops listening and sends the same signal to the
// process again, so that the default action (terminating the program) takes
// place, as it would have without ShutdownOnSignal. It never calls os.Exit.
// (On Windows a process cannot send itself os.Interrupt; there the program
// goes on after the shutdown.)
//
// It is meant for programs that do not handle these signals themselves. A
// program with its own signal.Notify channel for them receives the signal
// twice (the original, then the one sent again after the shutdown); such a
// program should call Shutdown from its own handler instead.
//
// A second signal while the shutdown runs sends that signal on at once,
// without waiting for the shutdown: a second Ctrl-C quits.
//
// A timeout <= 0 means [DefaultSignalTimeout]. The returned stop function
// stops listening; it waits for a shutdown in progress and may be called more
// than once. Errors of p.Shutdown are logged through [slog.Default].
func ShutdownOnSignal(p Shutdowner, timeout time.Duration, sigs ...os.Signal) (stop func()) {
	if len(sigs) == 0 {
		sigs = []os.Signal{os.Interrupt, syscall.SIGTERM}
	}
	if timeout <= 0 {
		timeout = DefaultSignalTimeout
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case sig := <-ch:
			flushed := make(chan struct{})
			go func(first os.Signal) {
				defer close(flushed)
				shutdownOn(p, timeout, first)
			}(sig)
			select {
			case <-flushed:
			case sig = <-ch: // a second signal: the user will not wait
			}
			signal.Stop(ch)
			if proc, err := os.FindProcess(os.Getpid()); err == nil {
				_ = proc.Signal(sig)
			}
			<-flushed // if the program lives on, stop still waits for the shutdown
		case <-quit:
			signal.Stop(ch)
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(quit) })
		<-done
	}
}

func shutdownOn(p Shutdowner, timeout time.Duration, sig os.Signal) {
	if p == nil {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			slog.Error("agenttrace: shutdown on signal panicked",
				slog.String("signal", sig.String()), slog.String("panic", safetext.Panic(r)))
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := p.Shutdown(ctx); err != nil {
		slog.Warn("agenttrace: shutdown on signal failed",
			slog.String("signal", sig.String()), slog.String("error", safetext.Error(err)))
	}
}
