"""``python -m ingest PATH...`` — read minutes into the store."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from core.config import Settings
from core.errors import ConfigError, MinutesError


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Lukee pöytäkirjat ja esityslistat (PDF, TXT, HTML, DOCX) hakuindeksiin, yksi kohde per §. "
                    "Muuttumattomat tiedostot ohitetaan; muuttunut tiedosto korvaa vain omat kohteensa.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="tiedostoja tai kansioita (rekursiivisesti); --repair toimii ilmankin")
    p.add_argument("--store", type=Path, help="indeksin kansio (oletus $MINUTES_STORE tai var/store)")
    p.add_argument("--report", type=Path, metavar="FILE.json", help="kirjoita poimintaraportti JSON-tiedostoon")
    p.add_argument("--prune", action="store_true", help="poista indeksistä tiedostot, joita ei enää ole annetuissa kansioissa")
    p.add_argument("--rebuild", action="store_true", help="rakenna indeksi alusta (esim. upotusmallin vaihduttua)")
    p.add_argument("--model", help="upotusmalli (oletus $EMBEDDING_MODEL tai multilingual-e5-small)")
    p.add_argument("--municipality", metavar="NIMI",
                   help='organisaatio, jos asiakirja ei sitä kerro (esim. "Jämsän kaupunki")')
    p.add_argument("--body", metavar="TOIMIELIN", help="toimielin, jos asiakirja ei sitä kerro (esim. Kaupunginhallitus)")
    p.add_argument("--date", metavar="PVM", help="kokouspäivä, jos asiakirja ei sitä kerro (esim. 4.12.2023)")
    add_store_arguments(p)
    p.add_argument("-q", "--quiet", action="store_true", help="ei edistymispalkkeja")
    p.add_argument("-v", "--verbose", action="store_true", help="näytä lokit")
    return p


def add_store_arguments(p: argparse.ArgumentParser) -> None:
    """Flags about the store itself: repair and the writer lock."""
    p.add_argument("--repair", action="store_true",
                   help="tarkista indeksi ja rakenna puuttuvat osat (sanahakemisto, tekstijaksot, vektorit) "
                        "kohteista; anna kansio, jos kohteita on kadonnut")
    p.add_argument("--upgrade", action="store_true",
                   help="päivitä vanhassa muodossa oleva indeksi ja sen vektorihaun asetukset nykyisiksi "
                        "kohteista (tiedostoja ei lueta eikä upoteta uudelleen)")
    p.add_argument("--no-wait", action="store_true",
                   help="älä odota, jos toinen tuonti on jo käynnissä samaan indeksiin, vaan lopeta virheeseen")


def store_options(args: argparse.Namespace) -> dict[str, object]:
    """``run`` keyword arguments for the store flags; a waiting run says why it waits."""
    return {"wait": not args.no_wait, "upgrade": args.upgrade, "repair": args.repair,
            "on_wait": lambda msg: print(msg, file=sys.stderr, flush=True)}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.paths and not (args.repair or args.upgrade):
        parser.error("anna ainakin yksi tiedosto tai kansio (tai --repair / --upgrade)")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env(store_dir=args.store, embedding_model=args.model)
    except ConfigError as e:
        print(f"Virhe: {e.message()}", file=sys.stderr)
        return 2
    from ingest.pipeline import run

    try:
        user = {k: v for k, v in (("municipality", args.municipality), ("body", args.body), ("date", args.date)) if v}
        s = run(args.paths, settings, prune=args.prune, rebuild=args.rebuild, report_path=args.report,
                show_progress=not args.quiet, user=user or None, **store_options(args))
    except MinutesError as e:
        print(f"Virhe: {e.message()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Keskeytetty: indeksi on edellisessä eheässä tilassa; aja komento uudelleen.", file=sys.stderr)
        return 130
    print(f"Tiedostoja: {s.files_seen} (muuttuneita {s.files_changed}, ennallaan {s.files_unchanged}, "
          f"poistettuja {s.files_pruned}, ohitettuja {len(s.files_failed)})")
    print(f"Kohteita (§) indeksissä: {s.items_total}; kirjoitettu {s.items_written}, poistettu {s.items_deleted}; "
          f"upotettu {s.passages_embedded} tekstijaksoa")
    print(f"Aika: luku {s.seconds_parse:.1f} s, upotus {s.seconds_embed:.1f} s, kirjoitus {s.seconds_write:.1f} s"
          + ("" if s.wrote else " (ei muutoksia, mitään ei kirjoitettu)"))
    print(f"Indeksi: {settings.store_dir}")
    if args.repair and s.wrote is False:
        print("Hakuindeksi on eheä; korjattavaa ei löytynyt.")
    if args.upgrade and s.wrote:
        print("Hakuindeksi on päivitetty nykyiseen tallennusmuotoon.")
    for w in s.warnings:
        print(f"Huom: {w}", file=sys.stderr)
    for _path, reason in s.files_failed:
        print(f"Ohitettu: {reason}", file=sys.stderr)
    if args.report:
        print(f"Raportti: {args.report}")
    return 1 if s.files_failed else 0


if __name__ == "__main__":
    sys.exit(main())
