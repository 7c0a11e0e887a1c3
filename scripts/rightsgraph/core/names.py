"""Finding resources by name, in any language and either Chinese script.

Names are compared in one form (`name_key`): Unicode compatibility forms folded (full-width
letters and punctuation as half-width), case folded, Traditional characters as Simplified
(OpenCC), and spaces, hyphens and punctuation dropped, so that "Korean National Police Agency",
"korean-national-police-agency", "韓國警察廳" and "韩国警察厅" meet. rapidfuzz ranks near misses.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from rightsgraph.core.derive import converter

# Below this score (0-100, rapidfuzz's ratio of the folded forms) a name is not a match.
MATCH_SCORE = 86.0
CONTAINS_SCORE = 95.0
# Below this score a name is too unlike the text to be worth suggesting.
SUGGEST_SCORE = 60.0


def name_key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = converter("t2s").convert(folded)
    return "".join(c for c in folded if c.isalnum())


@dataclass(frozen=True)
class Match:
    key: object  # what the name belongs to (an IRI)
    name: str
    score: float


def rank(text: str, names: Iterable[tuple[object, str]], limit: int = 5,
         min_score: float = 0.0) -> list[Match]:
    """The owners of the names most like `text`, best first, each once (with its best name).

    The score is rapidfuzz's ratio of the folded forms (100 when equal); a name that contains the
    text whole (a search for "police") scores at least CONTAINS_SCORE, below an equal name.
    """
    wanted = name_key(text)
    if not wanted:
        return []
    pairs = [(owner, name) for owner, name in names if name_key(name)]
    keys = [name_key(name) for _, name in pairs]
    best: dict[object, Match] = {}
    for key, score, index in process.extract(wanted, keys, scorer=fuzz.ratio, limit=None):
        if key != wanted and wanted in key and len(wanted) >= 2:
            score = max(score, CONTAINS_SCORE)
        if score < min_score:
            continue
        owner, name = pairs[index]
        if owner not in best or score > best[owner].score:
            best[owner] = Match(owner, name, score)
    return sorted(best.values(), key=lambda m: (-m.score, len(m.name), str(m.key)))[:limit]
