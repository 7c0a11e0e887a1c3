"""The one limit on how deeply Turtle may nest blank nodes [ ] and collections ( ).

rdflib's Turtle parser recurses once per level and runs out of Python stack near 80 levels
(fewer when [ ] and ( ) alternate); Oxigraph's parser takes any depth. So that every path
accepts and refuses the same files, both refuse, before parsing, a file that nests deeper than
MAX_NESTING: one line naming the file and the line where the limit is passed. Real data nests a
handful of levels; a long list is not deep (its items are side by side) and is not limited.
"""

from __future__ import annotations

import re
from pathlib import Path

from rightsgraph.core.errors import InputError

MAX_NESTING = 50

# What can hold a bracket without opening or closing anything: strings (long ones first),
# IRIs, comments and escaped characters of prefixed names (ex:a\(b). Then the brackets.
_TOKEN = re.compile(r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
                    r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|#[^\n]*|\\.'''
                    r'''|([\[(])|([\])])''')


def check_nesting(path: Path, text: str) -> None:
    """Raise InputError if the Turtle text nests [ ] and ( ) deeper than MAX_NESTING."""
    if text.count("[") + text.count("(") <= MAX_NESTING:
        return  # cannot be too deep: the common case costs two counts
    depth = 0
    for match in _TOKEN.finditer(text):
        if match.group(1):
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, match.start()) + 1
                raise InputError(f"{path}:{line}: blank nodes [ ] and lists ( ) nested more than "
                                 f"{MAX_NESTING} levels deep; write the inner ones as named resources")
        elif match.group(2):
            depth = max(depth - 1, 0)  # an unbalanced close is the parser's to report
