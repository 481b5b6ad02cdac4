package router

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/vingt/vingt/gtfs"
)

// countCtx answers Err with nil left times, then with context.Canceled:
// a cancel that lands at a chosen point of the compilation.
type countCtx struct {
	context.Context
	calls, left int
}

func (c *countCtx) Err() error {
	c.calls++
	if c.left <= 0 {
		return context.Canceled
	}
	c.left--
	return nil
}

// TestCompileContextCancelled cancels the compilation of a large generated
// feed (4,096 stops, 2,048 trips of 2,048 stop sequences, every stop
// within the transfer radius of a few others) before it starts, while it reads
// trips, while it splits patterns and while it links footpaths: each time
// it stops there, with an error wrapping context.Canceled that names the
// stage, and it goes on no further.
func TestCompileContextCancelled(t *testing.T) {
	f := crowdFeed(t, 4096, 0.1, false)
	date, _ := gtfs.ParseDate("2026-01-13")
	feeds := []*gtfs.Feed{f}

	// An uncancelled run: how many looks, and that it compiles.
	all := &countCtx{Context: context.Background(), left: 1 << 30}
	tt, err := CompileContext(all, feeds, date, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if tt.Stats().Trips != 2048 {
		t.Fatalf("%d trips, want 2048", tt.Stats().Trips)
	}
	// 1 at the start, 2 among 2,048 trips, 2 among 2,048 sequences,
	// one per stop linked.
	if want := 1 + 2 + 2 + 4096; all.calls != want {
		t.Fatalf("%d looks at the context, want %d", all.calls, want)
	}

	for _, c := range []struct {
		after int // looks answered nil before the cancel
		stage string
	}{
		{0, "starting"},
		{1, "reading trips"},
		{3, "splitting patterns"},
		{5, "linking stops by footpaths"},
		{5 + 2000, "linking stops by footpaths"},
		{all.calls - 1, "linking stops by footpaths"},
	} {
		ctx := &countCtx{Context: context.Background(), left: c.after}
		tt, err := CompileContext(ctx, feeds, date, DefaultParams())
		if !errors.Is(err, context.Canceled) || tt != nil {
			t.Errorf("cancelled after %d looks: %v, %v; want context.Canceled", c.after, tt, err)
			continue
		}
		if !strings.Contains(err.Error(), "router: compile: stopped while "+c.stage) {
			t.Errorf("cancelled after %d looks: %q does not name the stage %q", c.after, err, c.stage)
		}
		// the look that saw the cancel, and context.Cause's
		if ctx.calls > c.after+2 {
			t.Errorf("cancelled after %d looks: went on looking (%d looks)", c.after, ctx.calls)
		}
	}

	// A real cancelled context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CompileContext(ctx, feeds, date, DefaultParams()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v, want context.Canceled", err)
	}
	// A cause is kept.
	cause := errors.New("SIGTERM")
	ctx, cancelCause := context.WithCancelCause(context.Background())
	cancelCause(cause)
	if _, err := CompileContext(ctx, feeds, date, DefaultParams()); !errors.Is(err, cause) {
		t.Errorf("cancelled with a cause: %v, want it wrapped", err)
	}
}
