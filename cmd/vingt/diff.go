package main

import "github.com/spf13/cobra"

// TODO(stub): replaced by the real command.
func newDiffCommand() *cobra.Command {
	return &cobra.Command{Use: "diff", Short: "not yet implemented"}
}
