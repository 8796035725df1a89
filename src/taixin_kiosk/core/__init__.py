"""What a show is, without its widgets: session, actions and their policy, modes.

The navigator, the language, the accessibility settings and the show's state
snapshot live here too. QtCore only (signals): no widgets, painting or screens.
"""
