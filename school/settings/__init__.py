"""Settings: `base` (development, read from the environment), `test`, `production`."""
