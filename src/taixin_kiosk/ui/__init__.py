"""The widgets: audience window, stage, slides, layout, charts, controls and theme.

Also accessibility (focus, descriptions, announcements) and screen placement.
"""
