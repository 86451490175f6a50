"""The package's exception tree.

Every error a user can provoke carries a Vietnamese message meant for them
(``str(err)``); the class says what kind of thing went wrong so that callers
can catch it precisely.
"""

from __future__ import annotations


class CchcError(Exception):
    """Base class: a problem the user can fix, with a Vietnamese message."""


class CatalogueError(CchcError):
    """The indicator catalogue data file is broken."""


class PeriodError(CchcError, ValueError):
    """A period string that cannot be parsed."""


class UnitError(CchcError, LookupError):
    """An administrative unit that does not exist or is ambiguous."""


class InputError(CchcError):
    """Bad input data: names the file, sheet and cell, says what was expected.

    ``str()`` gives one Vietnamese sentence such as
    ``data.xlsx, trang "PL01", ô E12: cần một số nguyên không âm, gặp "abc".``
    """

    def __init__(self, message: str, *, file: str | None = None, sheet: str | None = None,
                 cell: str | None = None, row: int | None = None):
        self.message = message
        self.file = file
        self.sheet = sheet
        self.cell = cell
        self.row = row
        super().__init__(self.__str__())

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.sheet:
            parts.append(f'trang "{self.sheet}"')
        if self.cell:
            parts.append(f"ô {self.cell}")
        elif self.row is not None:
            parts.append(f"dòng {self.row}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class NumberFormatError(CchcError, ValueError):
    """A cell that cannot be read as a number of the wanted kind.

    ``message`` is one Vietnamese phrase that quotes what was found and says
    what was expected (``cần một số, gặp "abc"``); ``text`` is the offending
    input as quoted.  The caller adds where it was found.
    """

    def __init__(self, message: str, text: str = ""):
        self.message = message
        self.text = text
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


class StoreError(CchcError):
    """The store cannot be opened, is too new, or lacks what was asked for."""


class NarrativeError(CchcError):
    """The narrative templates file is broken."""


class RenderError(CchcError):
    """A report that ran but must not be published (errors shown in its outputs)."""
