"""Rendering: records in, text out. One module per kind of output; nothing here queries."""
