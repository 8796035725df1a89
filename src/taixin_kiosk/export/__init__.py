"""Export: every slide rendered to PNG and PDF, and handouts with speaker notes."""
