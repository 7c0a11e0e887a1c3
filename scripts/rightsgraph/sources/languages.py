"""The languages a source text is written in, as BCP 47 tags (en, ko, zh-Hans, zh-Hant, ...).

Lingua detects the language of each line (its models ship inside the wheel: nothing is
downloaded at run time, and it is accurate on short text). A document may be written in
several languages (000 is Chinese, then English), so every line is detected on its own and a
language counts if it holds at least MIN_SHARE of the text's letters: lingua's own mixed-text
mode splits English into stray French and Latin runs. Lingua knows Chinese as one language;
OpenCC tells the scripts apart: a text that Traditional-to-Simplified conversion changes more
than Simplified-to-Traditional does is Traditional.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from rightsgraph.core.derive import converter

# A language must hold this share of the text's letters to be listed: a name or a quoted phrase
# in another language does not make the document bilingual.
MIN_SHARE = 0.1


@cache
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_all_languages().build()


def _letters(text: str) -> int:
    return sum(character.isalpha() for character in text)


def chinese_script(text: str) -> str:
    """zh-Hant or zh-Hans: which conversion changes more characters of the text."""
    def changed(config: str) -> int:
        converted = converter(config).convert(text)
        return sum(a != b for a, b in zip(text, converted))

    return "zh-Hant" if changed("t2s") > changed("s2t") else "zh-Hans"


def detect_languages(text: str) -> list[str]:
    """The languages of the text, most letters first."""
    detector = _detector()
    letters: Counter[str] = Counter()
    chinese: list[str] = []
    for line in text.splitlines():
        count = _letters(line)
        if not count:
            continue
        language = detector.detect_language_of(line)
        if language is None:
            continue
        if language == Language.CHINESE:
            chinese.append(line)
            letters["zh"] += count
        else:
            letters[language.iso_code_639_1.name.lower()] += count
    total = sum(letters.values())
    kept = [language for language, count in letters.most_common() if total and count / total >= MIN_SHARE]
    return [chinese_script("\n".join(chinese)) if language == "zh" else language for language in kept]
