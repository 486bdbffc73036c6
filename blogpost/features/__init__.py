"""What the site adds to Material: tag pages and listings, feeds, metadata, related posts, the post page."""
