package main

import "github.com/spf13/cobra"

func (a *app) addDecisionCommands(root *cobra.Command) {}
