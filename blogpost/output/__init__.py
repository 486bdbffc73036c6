"""The pages' last changes before they are written: the Content-Security-Policy, markup fixes, the search index."""
