"""`rightsgraph bench`: synthetic data at scale, and the rdflib/pyshacl baseline measured against
the Oxigraph fast path, stage by stage, with a check that both give the same answers."""
