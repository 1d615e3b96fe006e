"""Hand-offs between units: transfers, joint parts, returns and disputes."""
