"""The widgets: audience window, stage, slides, layout, charts, controls, theme,
accessibility (focus, descriptions, announcements) and screen placement."""
