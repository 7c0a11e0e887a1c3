"""Content negotiation: which representation of a resource a client's Accept header asks for.

The same rules are written out for Apache (.htaccess) and nginx (publish/templates/), and applied
by `rightsgraph publish --serve`. RDF formats are tried before HTML: browsers never ask for RDF,
while linked-data clients often accept text/html as well, at a lower preference.
"""

from __future__ import annotations

# In the order they are tried; the first the client accepts wins among equal preferences.
NEGOTIATED = (
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdf"),
    ("text/html", "html"),
    ("application/xhtml+xml", "html"),
)


def _preferences(accept: str) -> dict[str, float]:
    preferences: dict[str, float] = {}
    for item in accept.split(","):
        media_type, *params = (part.strip() for part in item.split(";"))
        if not media_type:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        preferences[media_type.lower()] = max(quality, preferences.get(media_type.lower(), 0.0))
    return preferences


def _match(preferences: dict[str, float], media_type: str) -> tuple[float, int]:
    """The client's preference for a media type and how specifically it said so (2, 1 or 0)."""
    main = media_type.split("/")[0]
    for specificity, key in ((2, media_type), (1, f"{main}/*"), (0, "*/*")):
        if key in preferences:
            return preferences[key], specificity
    return 0.0, 0


def choose_extension(accept: str | None, available: set[str]) -> str | None:
    """The extension of the representation to send, or None if the client accepts none of them.

    No Accept header, or only wildcards, gets HTML: that is what a person following a link wants.
    """
    if not accept or not accept.strip():
        return "html" if "html" in available else None
    preferences = _preferences(accept)
    ranked = []
    for order, (media_type, extension) in enumerate(NEGOTIATED):
        if extension not in available:
            continue
        quality, specificity = _match(preferences, media_type)
        if quality > 0:
            ranked.append(((quality, specificity, specificity == 0 and extension == "html", -order), extension))
    return max(ranked)[1] if ranked else None
