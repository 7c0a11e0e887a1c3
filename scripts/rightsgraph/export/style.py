"""Colours of the node kinds, shared by the yEd graphics in GraphML and the interactive view."""

KIND_COLOURS = {
    "state": "#d62728",
    "agency": "#ff7f0e",
    "organisation": "#1f77b4",
    "person": "#9467bd",
    "group": "#8c564b",
    "crime": "#e377c2",
    "event": "#2ca02c",
    "place": "#17becf",
    "document": "#7f7f7f",
    "post": "#ffbb78",
    "power": "#98df8a",
    "law": "#aec7e8",
    "finding": "#c5b0d5",
    "recommendation": "#f7b6d2",
    "quotation": "#c49c94",
    "factor": "#dbdb8d",
    "concept": "#bcbd22",
    "other": "#c7c7c7",
}


def colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, KIND_COLOURS["other"])
