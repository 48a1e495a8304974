"""Writers of published output formats other than Word: one module per format (html.py, markdown.py)."""
