package main

import "github.com/spf13/cobra"

// TODO(stub): replaced by the real command.
func newRouteCommand() *cobra.Command {
	return &cobra.Command{Use: "route", Short: "not yet implemented"}
}
