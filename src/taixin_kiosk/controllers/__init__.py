"""Input controllers: they turn raw input into named actions, nothing more."""
