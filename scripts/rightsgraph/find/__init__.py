"""`rightsgraph find`: resources by any of their names."""
