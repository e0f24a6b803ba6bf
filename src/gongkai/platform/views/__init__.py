"""The back-office shell's pages, one module per area (see ../urls.py)."""
