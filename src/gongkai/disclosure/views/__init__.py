"""Back-office views of proactive disclosure (one module per area)."""
