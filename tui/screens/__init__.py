"""The app's screens (help, language pickers)."""
