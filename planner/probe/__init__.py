"""``exitplan probe``: measure a real SRC -> DST path over SSH for the planner."""
