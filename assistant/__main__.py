"""``python -m assistant "kysymys"`` — answer a question from the command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date
from pathlib import Path

from core.config import Settings
from core.errors import ConfigError, MinutesError


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m assistant",
        description="Vastaa suomeksi pöytäkirjoja koskevaan kysymykseen ja näyttää lähteet "
                    "(toimielin, päivämäärä, §, diaarinumero). Ilman kysymystä käynnistyy keskustelutila.",
    )
    p.add_argument("question", nargs="*", help="kysymys, esim. \"Mitä työllisyysalue päätti maaliskuussa?\"")
    p.add_argument("--json", action="store_true", help="tulosta JSON: answer, refused, citations, retrieved")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="päivä, johon suhteelliset ajat (viime kuussa) sidotaan")
    p.add_argument("--store", type=Path, help="indeksin kansio (oletus $MINUTES_STORE tai var/store)")
    p.add_argument("-v", "--verbose", action="store_true", help="näytä lokit")
    return p


def _print_answer(ans, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        # dropped_sentences: model sentences the verifier removed (the text already says so).
        out = ans.to_json()
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return
    print(ans.text)
    if ans.citations:
        print("\nLähteet:")
        for n, c in enumerate(ans.citations, 1):
            print(f"  [{n}] {c.label()} – {c.title} ({Path(c.source).name}, s. {c.page})")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    try:
        settings = Settings.from_env(store_dir=args.store, today=args.as_of)
    except ConfigError as e:
        print(f"Virhe: {e.message()}", file=sys.stderr)
        return 2
    today = date.fromisoformat(args.as_of) if args.as_of else None
    from assistant.service import Assistant, Conversation

    try:
        bot = Assistant.open(settings)
    except MinutesError as e:
        print(f"Virhe: {e.message()}", file=sys.stderr)
        return 2
    conv = Conversation()
    if args.question:
        _print_answer(bot.ask(" ".join(args.question), conv, today=today), args.json)
        return 0
    print("Pöytäkirja-avustaja. Kirjoita kysymys (tyhjä rivi tai Ctrl-D lopettaa, 'uusi' aloittaa uuden keskustelun).")
    while True:
        try:
            line = input("> ").strip()
        except EOFError:
            break
        if not line:
            break
        if line.lower() in {"uusi", "/uusi"}:
            conv.reset()
            print("Uusi keskustelu aloitettu.")
            continue
        _print_answer(bot.ask(line, conv, today=today), args.json)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
