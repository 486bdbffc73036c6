"""Blog Post's MkDocs plugins: `blogpost` (the site) and `blogpost-speed` (optional build-speed patches)."""
