package main

import "github.com/spf13/cobra"

// TODO(stub): replaced by the real command.
func newInspectCommand() *cobra.Command {
	return &cobra.Command{Use: "inspect", Short: "not yet implemented"}
}
