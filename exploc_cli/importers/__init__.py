"""Reading partner files exactly as they arrive and importing them into the store."""
