"""The web server's routes, one module per page; ``api`` holds the JSON API under /api."""
