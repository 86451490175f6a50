"""The most one audit reads and reports, so that no document (a crafted one included) can make
it run for minutes or fill the memory.  A real report's paragraph has a few thousand characters,
its running text a few hundred thousand and some hundred claims.

What a limit leaves out is said in a ``claim.unsure`` note, never silently.  The modules read
these names at call time (``limits.MAX_CLAIMS``), so that a benchmark may lift them in one
place.  The limits of reading a file (its size, pages, unzipped parts) are in
:mod:`cchc_lib.audit.document`.
"""

from __future__ import annotations

__all__ = ["EXCERPT_LIMIT", "MAX_BLOCK_CHARS", "MAX_TEXT_CHARS", "MAX_CLAIMS", "MAX_DECOMPOSED",
           "MAX_UNKNOWN_ROWS", "MAX_CROSS_MATCHES", "MAX_SPELLING_NOTES"]

#: Longest excerpt a claim quotes.
EXCERPT_LIMIT = 120
#: Characters of one block (paragraph, line) that are read; the rest of it is not checked.
MAX_BLOCK_CHARS = 20_000
#: Characters of running text that are read; later blocks are not checked.
MAX_TEXT_CHARS = 300_000
#: Claims reported for the running text; later ones are left out.
MAX_CLAIMS = 2_000
#: Words written decomposed (NFD) that get a finding each; the rest share one note.
MAX_DECOMPOSED = 20
#: Appendix rows not found in the catalogue that get a note each; the rest share one.
MAX_UNKNOWN_ROWS = 50
#: Places in the running text where one figure of the appendix is compared (per figure).
MAX_CROSS_MATCHES = 20
#: Most words reported of each kind of spelling note (misplaced tone marks; one word in both
#: styles); one note says how many more.
MAX_SPELLING_NOTES = 10
