"""dlgraph: one RDF graph of the NYU Deep Learning course (DS-GA 1008) across its editions."""

__version__ = "0.1.0"

__all__ = ["__version__"]
