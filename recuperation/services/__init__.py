"""Services: one module per area.  Each function owns its transaction and returns plain read models."""
