"""What a show is, without its widgets: session, navigator, actions and their policy,
modes, language, accessibility settings and show state (QtCore only)."""
