"""The Trials view: run the probes against the models selected in Models, with variants, and
read the variant × probe matrix (`screen.TrialsScreen`, `cell.TrialCellDialog`). The app opens
it with the Models pane's selection (`ModelariumApp.action_open_trials`)."""
