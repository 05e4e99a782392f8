"""Analyses of the graph: functions of a graph returning plain dicts and lists, one module per
question (which topics go together, what to watch for a topic, who did what, what the topic
rule tagged).

networkx is used through :func:`dlgraph.graphs.to_networkx`: the RDF graph is first
projected to plain weighted edges (topic–topic co-occurrence, item–item lineage, candidate
re-recording pairs), then converted in one place; it is imported only by the analyses that
run a graph algorithm.
"""

from __future__ import annotations

from dlgraph.analyses.coverage import scheme_counts, untagged
from dlgraph.analyses.learning_path import learning_path
from dlgraph.analyses.people_roles import ROLE_VERBS, people_roles
from dlgraph.analyses.topic_network import central_topics, topic_cooccurrence
from dlgraph.graphs import components, maximum_matching, to_networkx

__all__ = [
    "ROLE_VERBS",
    "central_topics",
    "components",
    "learning_path",
    "maximum_matching",
    "people_roles",
    "scheme_counts",
    "to_networkx",
    "topic_cooccurrence",
    "untagged",
]
