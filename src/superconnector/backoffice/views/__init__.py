"""Back-office views, one module per area; all thin: check, call the domain, render."""
