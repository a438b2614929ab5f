"""ingest.attendance: the meeting's attendance lists from the front matter (fictional names)."""

from __future__ import annotations

from ingest.attendance import MAX_ENTRIES, attendance

BLOCK = """Esimerkkilän kaupunki
Pöytäkirja
2/2026
Saapuvilla olleet jäsenet
Veera Esimerkki, puheenjohtaja
Olli Malli, 1. varapuheenjohtaja
Aino Testinen
Muut saapuvilla olleet
Kalle Kuvitelma, Tekninen johtaja, esittelijä
Poissa olleet
Paavo Poissaolija
Allekirjoitukset
Veera Esimerkki""".split("\n")


def test_block_lists_one_person_a_line_until_the_absentees() -> None:
    assert attendance(BLOCK) == [
        "Saapuvilla olleet jäsenet: Veera Esimerkki, puheenjohtaja",
        "Saapuvilla olleet jäsenet: Olli Malli, 1. varapuheenjohtaja",
        "Saapuvilla olleet jäsenet: Aino Testinen",
        "Muut saapuvilla olleet: Kalle Kuvitelma, Tekninen johtaja, esittelijä",
    ]


def test_inline_lists_with_roles_in_parentheses_or_after_semicolons() -> None:
    line = "Saapuvilla olleet jäsenet: Veera Esimerkki (puheenjohtaja), Olli Malli (varapuheenjohtaja), Aino Testinen"
    assert attendance([line]) == ["Saapuvilla olleet jäsenet: Veera Esimerkki, puheenjohtaja",
                                  "Saapuvilla olleet jäsenet: Olli Malli, varapuheenjohtaja",
                                  "Saapuvilla olleet jäsenet: Aino Testinen"]
    assert attendance(["Muut saapuvilla olleet", "Kalle Kuvitelma, kaupunginjohtaja; Aino Testinen, sihteeri"]) == [
        "Muut saapuvilla olleet: Kalle Kuvitelma, kaupunginjohtaja", "Muut saapuvilla olleet: Aino Testinen, sihteeri"]
    # Two names separated by a comma are two people, not a person and a role.
    assert attendance(["Läsnä: Veera Esimerkki, Aino Testinen"]) == ["Läsnä: Veera Esimerkki", "Läsnä: Aino Testinen"]


def test_what_is_not_a_list_of_people_gives_nothing() -> None:
    assert attendance(["Saapuvilla olleet valtuutetut", "33 valtuutettua, nimet läsnäololuettelossa"]) == []
    assert attendance(["Saapuvilla olleet jäsenet: ks. liite"]) == []
    # Names outside an attendance heading (signatures, text) are not attendees.
    assert attendance(["Allekirjoitukset", "Veera Esimerkki, puheenjohtaja"]) == []
    # A page header between the heading and the names is skipped; a run of other lines ends the list.
    assert attendance(["Läsnä", "Pöytäkirja 2/2026", "Veera Esimerkki, puheenjohtaja"]) == [
        "Läsnä: Veera Esimerkki, puheenjohtaja"]
    assert attendance(["Läsnä", "yksi", "kaksi", "kolme", "Veera Esimerkki, puheenjohtaja"]) == []


def test_a_misread_block_longer_than_any_board_is_dropped() -> None:
    names = [f"Henkilö Numero{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(MAX_ENTRIES + 1)]
    assert attendance(["Läsnä", *names]) == []
    assert len(attendance(["Läsnä", *names[:10]])) == 10
