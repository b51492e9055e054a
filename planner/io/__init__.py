"""File input and output: atomic writes, inventory loading with line numbers, seed data."""
