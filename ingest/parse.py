"""Read and split one file, whatever happens: the single entry point the pipeline calls per file.

Any exception while reading or splitting one file becomes that file's refusal with a Finnish
reason (:class:`ParseFailedError`), so one bad file never stops a run.
"""

from __future__ import annotations

import logging
from pathlib import Path

from core.errors import MinutesError
from ingest.hints import hints_for
from ingest.readers import DEFAULT_MAX_BYTES, read_document
from ingest.split import ParsedDocument, split_document

logger = logging.getLogger(__name__)

#: What the parser makes of an unchanged file: stored with the store, and a store read by another
#: version has its files read again on the next run (vectors stay: passages are content-addressed).
#: 2: meeting attendance lists (``AgendaItem.attendees``).
#: 3: dates with month names, a date on the line under its label, "Päätös <text>" label cells, a body
#: named with its term, long and registered mixed-case dump abbreviations, capitalised municipality names,
#: Dynasty titles after handling-table cells or an attachment list, no drawn-up day as the meeting's.
#: 4: text dumps with bare item numbers (a run of two or more, each with text), a listing of the item
#: markers before the items, "Päätös <text>" sentences, running page headers dropped; coordinated body
#: names ("Ympäristö- ja rakennuslautakunta") and adjective + body word ("Yhteinen kirkkoneuvosto"), a body
#: name after the organisation and kind in capitals, unregistered dump abbreviations that fit the body and
#: form a run ("Kvalt 42"), "Päätöksen lisätiedot" as the decision, "Body § N date" item-page headers,
#: KTweb item lines that lost their "§" (:mod:`ingest.ktweb`), a dump item's unlabelled decision (its last
#: sentence that says what was done, on), "Khall 48 §" lines with the title above (:mod:`ingest.marker_lines`),
#: the meeting day under a column of labels.
#: 5: a town's or a municipality's board and council named as the organisation names its own ("KH" of a
#: kunta is its Kunnanhallitus, of a kaupunki its Kaupunginhallitus; Swedish Kommun-/Stads-).
#: 6: "Selostus" (the description, also after the decision), "Käsittely" / "Behandling" (the meeting's handling,
#: with the decision), "Valmistelijat ja lisätiedot (…):" and preparers' names listed after a blank line.
#: 7: a presenter line ("Esittelijä …") no longer starts the proposal: pages naming presenter and preparer
#: before the description keep the description as the description.
#: 8: a presenter under a bare "Esittelijä" label or a role alone under the proposal label ("Kommundirektören:"),
#: "Päätösehdotus oli", a bare "412/2023" under the title as the item's ID, "Perustelut" heading the description,
#: Swedish body names with the body word first ("Nämnden för …") in handling headings, "Dnr 211/2022".
#: 9: handling headings in short forms no registry holds ("Stst 12.1.2015 § 3"), read as a body the item names.
#: 10: a contents list of "N § TITLE" lines that the items restart at its first number, with anything between
#: it and the first item; a leading "(liite)" mark is no part of a title.
#: 11: a "Tiivistelmä:" summary above the first handling heading (ah.turku.fi) opens the description.
#: 12: "Lisätiedot" / "Ytterligare upplysningar" alone on its line anywhere (after the proposal on
#: paatokset.hel.fi): the contact people are preparers, e-mail and phone ("telefon:") dropped.
#: 13: CloudNC's "-" for an empty field and a presenter as "Name, title, e-mail" (or a bullet) under a bare
#: "Esittelijä"; "Kokouskäsittely" is a handling label; "Beskrivning" heads the description; "Valmistelu:"
#: names the preparers; owner labels in capitals ("KUNNANJOHTAJAN EHDOTUS:"); without an organisation name,
#: the document's own words tell a municipality's Kunnanhallitus from a town's Kaupunginhallitus; a label
#: in a side column with its text after a wide gap ("Päätösehdotus          Kaupunginhallitus …"); handling
#: headings and handling-table cells numbered before the sign ("Liikuntalautakunta 28.4.2015 52 §"); bare
#: markers ("KH § 188") dated by the handling table printed above the title; "Lisätietoja asiasta antaa …"
#: names the preparers; "68 §" alone on its line with the title under it starts an item (in a run of two or
#: more); regional councils, parishes and joint authorities in capitals are organisations; a tie between
#: markers' meetings no longer depends on the run's hash seed; a marker line with the body's whole name
#: ("Yhtymähallitus 36 §"); an organisation in the genitive before its body ("Kuvalan seurakuntayhtymän
#: yhteinen kirkkoneuvosto") is split from it; "Kuntayhtymän johtajan esitys:" is a proposal label; a body
#: with the meeting's number in a column after it ("Ympäristölautakunta    N:o 1 / 2024"); an agenda's
#: cover ("ASIALISTA", "Möteskallelse") bound to minutes whose items mostly record decisions is minutes; the
#: proposer's role before the proposal on one line ("Pelastusjohtaja: Johtokunta toteaa …") presents it.
#: 14: items numbered without the sign ("1 Kokouksen avaus", "<h3>1. Kokouksen avaus</h3>", "63   Kokouksen
#: laillisuus …") in a document with no § item, as a run of consecutive headings (:mod:`ingest.numbered_lines`);
#: an unlabelled item's decision starts at a line as well as at a sentence, not after a list's "3."; a contents
#: line "1   § 227   TITLE" (an attachment column) in a document numbering its items sign first is § 227; Dynasty
#: agenda item pages ("Esityslista 04.12.2025/Asianro 3"); a proposal on its label's line without a colon
#: ("Päätösehdotus Maaseutulautakunta päättää …"); a decisions page printing each item on one line ("§ 311 Title:
#: Decision.") and its meeting day on a heading below its undated title; a role in lower case before the name
#: under a bare presenter label ("Esittelijä" ⏎ "hallintopäällikkö Outi Lindvik", also after the decision);
#: "Valmistelu ja lisätiedot:" names the preparers, and an address written "nimi(at)…" is dropped as one.
#: A number alone on its line above the title ("1" ⏎ "Title pdf html", a decisions notice) is a numbered
#: heading, the page's link labels dropped; "Kuvaus" heads the description.
#: 15: Dynasty's PDF print, each item page headed "Tarkastuslautakunta   § 71   15.09.2025" (a run of two or
#: more for one meeting) with the title below and an earlier handling's line stacked above; such a line is
#: never taken for a running header; the running header the cleaner removed ("Kuusiston kaupunki Pöytäkirja
#: 9/2025 1 (6)") names the organisation, also in a Lapua-style document ("Kuusiston kunta PÖYTÄKIRJA 6/2025 1");
#: "Muutoksenhakuohje" (singular) ends the last item; "Päätösesitys:" and "<Role>n päätösesitys:" label a
#: proposal; "Esittelijä" is a presenter label only as a whole word (a sentence "Esittelijänä toimi …" or
#: "Esittelijän muutettua …" was cut as if it named a presenter: two Lapua items gain their sentence); a case
#: ID after the sign ("§ 31   Dnro 88/00.00.01/2026") is no title, the title being on the next line; a contents
#: list printed as headings under an unnamed head ("§ 11 Kokouksen laillisuus … 2") whose first number the
#: items start again at is no run of items (:mod:`ingest.contents`); "Kokous 20.4.2026 klo 18" names the meeting
#: day; "Käsittely: …" with its text on the label's line is the handling, kept with the decision.
PARSER_VERSION = "15"


class ParseFailedError(MinutesError):
    user_message = "Tiedoston jäsentäminen epäonnistui"


def parse_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
               user: dict[str, str] | None = None) -> ParsedDocument:
    """``path`` → its items; ``user`` holds ``--municipality``/``--body``/``--date`` values (gaps only).

    Raises:
        MinutesError: a typed refusal (unreadable, not minutes, …) or ParseFailedError for anything else.
    """
    where = str(path)
    try:
        doc = read_document(path, max_bytes=max_bytes)
        return split_document(doc, hints=hints_for(Path(path), user))
    except MinutesError as e:
        e.path = e.path or where
        raise
    except Exception as e:  # noqa: BLE001 - one broken file must never stop the run
        logger.exception("parsing %s failed", where)
        raise ParseFailedError(f"{type(e).__name__}: {e}", path=where) from e
