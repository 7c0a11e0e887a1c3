"""`rightsgraph build`: the dist files."""
