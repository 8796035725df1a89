"""Qt views: what is on screen. They read models and emit requests."""
