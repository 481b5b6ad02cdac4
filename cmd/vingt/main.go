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
	"syscall"

	"github.com/spf13/cobra"
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
		newDiffCommand(),
		newReportCommand(),
	)
	return root
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := execute(ctx, os.Args[1:])
	stop()
	os.Exit(code)
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
		fmt.Fprintln(os.Stderr, "vingt:", err)
		return exitError
	}
}
