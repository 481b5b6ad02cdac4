package main

import "github.com/spf13/cobra"

// TODO(stub): replaced by the real command.
func newIsochroneCommand() *cobra.Command {
	return &cobra.Command{Use: "isochrone", Short: "not yet implemented"}
}
