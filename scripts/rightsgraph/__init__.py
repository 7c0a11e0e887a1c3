"""rightsgraph: a knowledge graph of transnational crime and human-rights violations across
Korea's borders, where every statement leads back to the words of its source.

The Python API for notebooks lives in :mod:`rightsgraph.api`.
"""

__version__ = "0.1.0"
