package main

import "github.com/spf13/cobra"

// TODO(stub): replaced by the real command.
func newRunCommand() *cobra.Command {
	return &cobra.Command{Use: "run", Short: "not yet implemented"}
}
