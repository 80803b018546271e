"""User-visible jobs: work a user waits on, run by one queue consumer per declared job kind."""
