"""Typed errors of the ingest side, each with a Finnish message for the user.

The library raises these; the edges (CLIs, app) show ``user_message`` and log
``detail``.
"""

from __future__ import annotations


class MinutesError(Exception):
    """Base error: ``user_message`` is Finnish and shown to users, ``detail`` is for logs."""

    user_message = "Pöytäkirjojen käsittelyssä tapahtui virhe."

    def __init__(self, detail: str = "", *, path: str | None = None) -> None:
        self.detail = detail
        self.path = path
        super().__init__(f"{path}: {detail}" if path else detail)

    def message(self) -> str:
        """The Finnish message naming the file (when known) and the reason."""
        where = f"{self.path}: " if self.path else ""
        extra = f" ({self.detail})" if self.detail else ""
        return f"{where}{self.user_message}{extra}"


class UnsupportedFileError(MinutesError):
    user_message = "Tiedostomuotoa ei tueta"


class NoTextError(MinutesError):
    user_message = "Tiedostosta ei löytynyt tekstiä (skannattu tai tyhjä?)"


class CorruptFileError(MinutesError):
    user_message = "Tiedosto on vioittunut tai sitä ei voi lukea"


class EncryptedFileError(MinutesError):
    user_message = "Tiedosto on salattu"


class EncodingError(MinutesError):
    user_message = "Tiedoston merkistöä ei tunnistettu"


class FileTooLargeError(MinutesError):
    user_message = "Tiedosto on liian suuri"


class NotMinutesError(MinutesError):
    user_message = "Tiedosto ei ole pöytäkirja eikä esityslista"


class StoreMissingError(MinutesError):
    user_message = "Hakuindeksiä ei löydy. Aja ensin: python -m ingest KANSIO"


class IndexMismatchError(MinutesError):
    user_message = (
        "Indeksi on luotu eri upotusmallilla. Rakenna se uudelleen: "
        "python -m ingest --rebuild KANSIO"
    )


class EmbedderUnavailableError(MinutesError):
    user_message = "Upotusmallia ei voitu ladata"


class ConfigError(MinutesError):
    """A setting (environment variable) has a value the product cannot use."""

    user_message = "Virheellinen asetus"

    def __init__(self, variable: str, value: str, reason: str) -> None:
        self.variable = variable
        self.value = value
        self.reason = reason
        super().__init__(f"{variable}={value!r}: {reason}")

    def message(self) -> str:
        return f"{self.user_message}: {self.variable}={self.value!r} – {self.reason}"


class StoreDamagedError(MinutesError):
    """The store exists but a part of it is broken; the message names the parts and the fix."""

    user_message = "Hakuindeksi on vioittunut"

    def __init__(self, problems: list[str], *, fix: str, path: str | None = None) -> None:
        self.problems = list(problems)
        self.fix = fix
        # An instance message: the app shows ``user_message`` alone, and it must name what is broken.
        self.user_message = f"Hakuindeksi on vioittunut: {'; '.join(self.problems)}. Korjaa: {fix}"
        super().__init__("; ".join(self.problems), path=path)

    def message(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.user_message}"


class StoreBusyError(MinutesError):
    user_message = ("Toinen tuonti kirjoittaa jo samaan hakuindeksiin. Odota sen valmistumista "
                    "tai aja komento ilman valitsinta --no-wait")
