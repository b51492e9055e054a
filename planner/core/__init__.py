"""The pure core: models in, models out. No I/O, no clock, no SDKs."""
