// Command vingt measures measure 3 of the Pacte du pouvoir de vivre: every
// everyday public service reachable within 20 minutes by public transport,
// for every populated cell and territory.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/vingt/vingt/coverage"
)

// Exit codes of the vingt command.
const (
	exitOK      = 0
	exitChanged = 1 // vingt diff: a change beyond the tolerance
	exitError   = 2
)

// version is the version written into run manifests; set with -ldflags.
var version = "0.1.0-dev"

// errChanged is returned by commands that succeed but report a change that
// must fail a pipeline (exit code 1).
var errChanged = errors.New("change beyond tolerance")

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "vingt",
		Short: "Who is left without everyday public services within 20 minutes by public transport",
		Long: `vingt routes from every populated grid cell over GTFS timetables with a
range-RAPTOR router and writes, for each territory, who is served within the
threshold and who is not (measure 3 of the Pacte du pouvoir de vivre).`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newInspectCommand(),
		newIsochroneCommand(),
		newRouteCommand(),
		newRunCommand(),
		newMergeCommand(),
		newImpactCommand(),
		newDiffCommand(),
		newReportCommand(),
	)
	return root
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	var got atomic.Value
	go func() {
		// The first signal cancels the command through its context: it
		// stops at the next check, removes its staging folder and keeps
		// the previous outputs. A second one ends the process at once.
		sig := <-sigs
		got.Store(sig)
		cancel()
		sig = <-sigs
		os.Exit(signalCode(sig))
	}()
	code := execute(ctx, os.Args[1:])
	if sig, ok := got.Load().(os.Signal); ok {
		fmt.Fprintf(os.Stderr, "vingt: interrupted by %v: previous outputs kept\n", sig)
		code = signalCode(sig)
	}
	os.Exit(code)
}

// signalCode is the shell's exit status for a process ended by sig:
// 130 for SIGINT, 143 for SIGTERM.
func signalCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return exitError
}

// execute runs the command line args and returns the process exit code.
func execute(ctx context.Context, args []string) int {
	root := newRootCommand()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errChanged):
		return exitChanged
	default:
		fmt.Fprintln(os.Stderr, "vingt:", withHint(err))
		return exitError
	}
}

// hints say, for the errors of the libraries that lack something the
// user gives, which flag gives it: the libraries speak of settings, not
// of this command's flags.
var hints = []struct {
	err  error
	hint string
}{
	{coverage.ErrNoDate, "give --date YYYY-MM-DD"},
	{coverage.ErrNoCategory, "give --services CATEGORY=PATH, or --basket"},
	{coverage.ErrNoClosure, "give --remove ID,… or --point ID"},
	{coverage.ErrNoRecordedConfig, "run vingt run --impact first"},
	{coverage.ErrPartitionShard, "vingt merge --partition LEVEL SHARD_DIR…"},
}

// withHint returns err with the flag that would mend it, when one does.
func withHint(err error) error {
	for _, h := range hints {
		if errors.Is(err, h.err) {
			return fmt.Errorf("%w (%s)", err, h.hint)
		}
	}
	return err
}
