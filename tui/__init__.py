"""The newsreader command line and Textual app."""
