"""Synthetic Finnish minutes for the scale benchmark (bench/scale.py): fictional towns, bodies and cases.

Every word list and sentence template here was written for the benchmark; no text comes from real
minutes. One plain-text file per meeting (20 items), in ``<municipality>/<body>/<year>/``, the layout a
regional collection would have. Items vary in topic, length (a few are long enough for several
passages), case ID, amounts, companies and places, so that lexical and dense search see a realistic
spread of terms rather than one repeated text.

Example::

    from pathlib import Path
    from bench.scale_corpus import write_corpus
    corpus = write_corpus(Path("/tmp/c"), 2000)   # 100 files
    corpus.meetings[0].folder, corpus.meetings[0].body
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ITEMS_PER_MEETING = 20
YEARS = 10
FIRST_DAY = date(2016, 1, 1)
FICTIONAL_MARK = "SYNTEETTINEN TESTIAINEISTO – kuvitteellinen kunta, ei todellisia päätöksiä"

#: (full name as the parser stores it, abbreviation used on the § line); all in core.bodies' registry.
BODIES: tuple[tuple[str, str], ...] = (
    ("Kaupunginhallitus", "KH"), ("Kaupunginvaltuusto", "KV"), ("Tekninen lautakunta", "Tekla"),
    ("Sivistyslautakunta", "Sivla"), ("Hyvinvointilautakunta", "Hyvla"), ("Ympäristölautakunta", "Ympla"),
    ("Tarkastuslautakunta", "Tarla"), ("Vapaa-ajanlautakunta", "Vapla"), ("Keskusvaalilautakunta", "Kvlk"),
)
# Invented town stems (genitive = stem + "n"); 48 towns so that one town's filter is ~2 % of the store.
_STEMS = ("Usvala Kaislela Sammalla Tähkälä Routala Hallela Kuurala Vilukka Lumiala Jäkälä Kanervala Sarala "
          "Puolukkala Karpalo Mustikkala Paatela Hirsilä Tervala Pihkala Kaarnala Kuusikkala Näreä Oravala "
          "Kärpälä Ilvesla Kotkala Haukkala Tikkala Sirkkala Heinälä Apilala Ohrala Kaurala Ruisla Vehnälä "
          "Pellavala Humalala Tuulela Myrskylä Sumula Kastela Huurrela Hankela Kiteelä Pilvelä Sateela "
          "Ukkosela Virtala").split()
MUNICIPALITIES: tuple[str, ...] = tuple(s + "n kaupunki" for s in _STEMS)

_TOPICS = ("päiväkodin laajennus", "koulukeskuksen peruskorjaus", "kevyen liikenteen väylä", "uimahallin katto",
           "vesihuollon saneeraus", "asemakaavan muutos", "katuvalaistuksen uusiminen", "nuorisotilan vuokrasopimus",
           "kirjaston aukioloajat", "talousarvion muutos", "tilinpäätös ja toimintakertomus",
           "henkilöstön palkkaus", "maa-alueen myynti", "tonttien hinnoittelu", "avustusten jakaminen",
           "kouluruokailun hankinta", "liikuntapaikkojen kunnossapito", "kotoutumisohjelma",
           "työllisyyspalvelujen järjestäminen", "jätehuoltomääräykset", "sisäilmaselvitys", "energiaremontti",
           "jäähallin lämmitys", "hulevesiohjelma", "yleiskaavan laatiminen", "viheralueohjelma",
           "koulukuljetusten kilpailutus", "vaalipiirin äänestyspaikat", "tarkastussuunnitelma",
           "ympäristönsuojelumääräykset", "maa-ainesten ottolupa", "museon kokoelmapoliittinen ohjelma")
_PLACES = ("Keskustan", "Asemanseudun", "Kirkonkylän", "Rantapuiston", "Teollisuusalueen", "Koulumäen",
           "Urheilupuiston", "Satama-alueen", "Peltoaukean", "Harjunrinteen", "Myllykylän", "Torikorttelin")
_COMPANIES = ("Rakennus Kivikari Oy", "Putkityö Virtanen Oy", "Sähköasennus Välkky Oy", "Maanrakennus Kourula Oy",
              "Konsulttitoimisto Kaari Oy", "Kiinteistöpalvelu Huolto-Aho Oy", "Ruokapalvelu Lautanen Oy",
              "Liikenne Linjala Oy", "Arkkitehtitoimisto Piirto Oy", "Valaistus Loiste Oy", "Vesityö Pisara Oy")
_ROLES = ("kaupunginjohtaja", "hallintojohtaja", "tekninen johtaja", "sivistysjohtaja", "talousjohtaja",
          "hyvinvointijohtaja", "ympäristöpäällikkö", "rakennustarkastaja", "kaavoituspäällikkö")
_PEOPLE = ("Aino Mäkiaho", "Eero Kalliokoski", "Helmi Rantavuo", "Ilmari Peltokari", "Kerttu Salmivaara",
           "Lauri Hongisto", "Martta Koivuranta", "Oskari Lehtimaa", "Saimi Vuorenpää", "Toivo Niittyaho")
_DECISIONS = ("Hyväksyttiin yksimielisesti.", "Hyväksyttiin päätösehdotuksen mukaisesti.", "Merkittiin tiedoksi.",
              "Asia palautettiin uudelleen valmisteltavaksi.", "Hyväksyttiin äänin 7–4.",
              "Asia jätettiin pöydälle seuraavaan kokoukseen.", "Hyväksyttiin muutetun ehdotuksen mukaisesti.")
# Compound nouns and street names give the vocabulary a long tail of rarer terms, as real minutes have.
_PARTS = ("koulu päiväkoti kirjasto uimahalli jäähalli nuorisotila terveysasema paloasema varikko vesitorni "
          "urheilukenttä leikkipuisto kunnantalo virastotalo kotipalvelu asuntola vanhainkoti liikuntasali "
          "pumppaamo puhdistamo venesatama uimaranta hiihtolatu kuntorata torialue pysäköinti").split()
_WHOLES = ("katto julkisivu piha keittiö ilmanvaihto lämmitys valaistus aita ikkunat lattia sähköistys "
           "kalustus salaojitus viemäröinti opasteet kulunvalvonta paloilmoitin hissi esteettömyys "
           "aurinkovoimala varavoima laajennus purku siivous vartiointi").split()
_STREETS = ("Haapa Koivu Pihlaja Kataja Vaahtera Leppä Raita Tuomi Kuusi Mänty Kaski Paju Honka Saarni "
            "Jalava Lehmus Tammi Vaapukka Mesimarja Lakka Kielo Vuokko Orvokki Kaunokki Ruusu Sireeni").split()
_STREET_KINDS = ("katu", "tie", "polku", "kuja", "rinne")
# Sentence templates: {p} place, {t} topic, {c} company, {e} euros, {n} small number, {r} role, {h} person,
# {y} year, {o} compound object, {s} street.
_SENTENCES = (
    "Kohteena on {o}, jonka kunto on arvioitu heikoksi.",
    "{s} varrella sijaitsevan kiinteistön {o} uusitaan kokonaan.",
    "Suunnitelmaan sisältyy myös {o} sekä {o2}.",
    "Katusuunnitelma koskee {s} ja sen liittymiä.",
    "Tilaaja on saanut {c}:ltä lisätyötarjouksen, joka koskee kohdetta {o}.",
    "Korjausvelan arvioidaan olevan {e} euroa, ja suurin erä on {o}.",
    "{p} alueella on todettu tarve toteuttaa {t}.",
    "Hankkeen kustannusarvio on {e} euroa, ja siihen on varattu määräraha vuoden {y} talousarviossa.",
    "Tarjouspyyntöön saatiin {n} tarjousta, joista edullisimman teki {c}.",
    "Urakoitsijaksi esitetään {c}, jonka tarjous oli kokonaistaloudellisesti edullisin.",
    "Työt on tarkoitus aloittaa keväällä {y} ja saada valmiiksi syksyn aikana.",
    "Asiasta on pyydetty lausunnot nuorisovaltuustolta, vanhusneuvostolta ja vammaisneuvostolta.",
    "Lausunnoissa korostettiin esteettömyyttä, turvallisuutta ja kustannusten hallintaa.",
    "Kiinteistön kuntotutkimuksessa havaittiin kosteusvaurioita ja ilmanvaihdon puutteita.",
    "Valtionavustusta haetaan {e} euroa, mikä kattaa noin {n}0 prosenttia kustannuksista.",
    "Asukastilaisuus pidettiin {p} koululla, ja siihen osallistui noin {n}0 asukasta.",
    "Asiaa on valmistellut {r} yhdessä {h}n kanssa.",
    "Sopimus tehdään {n} vuodeksi, ja siihen sisältyy kahden vuoden optio.",
    "Käyttökustannusten arvioidaan kasvavan {e} euroa vuodessa.",
    "Suunnitelmasta jätettiin {n} muistutusta, ja niihin on annettu vastineet.",
    "Hankinnassa noudatetaan hankintalakia, ja ilmoitus julkaistiin Hilma-palvelussa.",
    "Vuokra-aika alkaa 1.{n}.{y}, ja kuukausivuokra on {e} euroa.",
    "Investointi sisältyy taloussuunnitelmaan vuosille {y}–{y2}.",
    "Palvelun käyttäjämäärä on kasvanut edellisvuodesta noin {n}0 prosenttia.",
    "Tarkastuslautakunta on arviointikertomuksessaan kiinnittänyt huomiota talouden tasapainoon.",
    "Liikenneturvallisuutta parannetaan korotetuilla suojateillä ja uudella valaistuksella.",
    "Kaavaluonnos on ollut nähtävillä, ja siitä saatiin {n} mielipidettä.",
    "Henkilöstövaikutukset on käsitelty yhteistoimintamenettelyssä.",
    "Ympäristövaikutukset arvioidaan ennen lopullista päätöstä.",
    "{h} esitti, että asia palautetaan uudelleen valmisteltavaksi.",
)


def question_words(rng: random.Random) -> str:
    """Words a user asking about these minutes might type (the topics and objects items are about)."""
    return f"{rng.choice(_TOPICS)} {rng.choice(_PLACES).lower()}" if rng.random() < 0.6 else (
        f"{_compound(rng)} {rng.choice(_COMPANIES).split()[1]}")


@dataclass(frozen=True)
class MeetingFile:
    """One generated meeting: where it is and what filters find it."""

    path: Path
    folder: Path  # <corpus>/<town>/<body abbr>/<year>
    municipality: str
    body: str
    day: date


@dataclass(frozen=True)
class Corpus:
    root: Path
    meetings: tuple[MeetingFile, ...]

    def municipality_folders(self) -> list[Path]:
        """One folder per town, in a fixed order: the unit of one ingest run when a region is loaded."""
        return sorted({self.root / m.path.relative_to(self.root).parts[0] for m in self.meetings})


def _compound(rng: random.Random) -> str:
    return rng.choice(_PARTS) + rng.choice(_WHOLES)


def _item_text(rng: random.Random, day: date) -> tuple[str, str]:
    """(title, body paragraphs) of one item; ~1 in 12 is long enough for several passages."""
    topic = rng.choice(_TOPICS) if rng.random() < 0.7 else _compound(rng)
    place = rng.choice(_PLACES)
    sentences = rng.randint(18, 60) if rng.random() < 0.08 else rng.randint(3, 12)
    y = day.year
    fill = {"p": place, "t": topic, "y": y, "y2": y + 4}
    paras, para = [], []
    for tmpl in rng.choices(_SENTENCES, k=sentences):
        fill.update(c=rng.choice(_COMPANIES), e=f"{rng.randint(2, 990) * 1000:,}".replace(",", " "),
                    n=rng.randint(2, 9), r=rng.choice(_ROLES), h=rng.choice(_PEOPLE), o=_compound(rng),
                    o2=_compound(rng), s=rng.choice(_STREETS) + rng.choice(_STREET_KINDS))
        para.append(tmpl.format(**fill))
        if len(para) >= rng.randint(2, 5):
            paras.append(" ".join(para))
            para = []
    if para:
        paras.append(" ".join(para))
    return f"{place} {topic}", "\n\n".join(paras)


def meeting_text(rng: random.Random, municipality: str, body: str, abbr: str, day: date, number: int,
                 first_section: int, case_base: int) -> str:
    """One meeting's minutes as a plain-text export: header, then 20 items with § line, case ID, decision."""
    d = f"{day.day:02d}.{day.month:02d}.{day.year}"
    parts = [f"{FICTIONAL_MARK}\n\n{municipality}\n{body}\nPöytäkirja {number}/{day.year}\n"]
    for k in range(ITEMS_PER_MEETING):
        title, text = _item_text(rng, day)
        case = f"{case_base + k}/{rng.randint(0, 14):02d}.{rng.randint(0, 9):02d}.{rng.randint(0, 9):02d}/{day.year}"
        parts.append(
            f"{title[0].upper()}{title[1:]}\n\n{abbr} {d} § {first_section + k}\n{case}\n\n{text}\n\n"
            f"Valmistelija: {rng.choice(_ROLES)} {rng.choice(_PEOPLE)}\n\n"
            f"Päätösehdotus:\n\n{body} päättää hyväksyä esityksen.\n\nPäätös:\n\n{rng.choice(_DECISIONS)}\n")
    return "\n".join(parts)


def write_corpus(root: Path, n_items: int, seed: int = 7) -> Corpus:
    """``n_items // 20`` meeting files; each (town, body, day) at most once, spread over ten years."""
    rng = random.Random(seed)
    days = YEARS * 365
    per_town = len(BODIES) * days
    slots = sorted(rng.sample(range(len(MUNICIPALITIES) * per_town), n_items // ITEMS_PER_MEETING))
    out = []
    for m, slot in enumerate(slots):
        town, rest = divmod(slot, per_town)
        body, abbr = BODIES[rest % len(BODIES)]
        day = FIRST_DAY + timedelta(days=rest // len(BODIES))
        out.append(write_meeting(root, rng, MUNICIPALITIES[town], body, abbr, day, 1 + (m % 7),
                                 1 + (m % 5) * ITEMS_PER_MEETING, 100 + m * ITEMS_PER_MEETING))
    return Corpus(root, tuple(out))


def write_meeting(root: Path, rng: random.Random, municipality: str, body: str, abbr: str, day: date,
                  number: int, first_section: int, case_base: int) -> MeetingFile:
    folder = root / municipality.split()[0] / abbr / str(day.year)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{abbr}-{day.isoformat()}.txt"
    path.write_text(meeting_text(rng, municipality, body, abbr, day, number, first_section, case_base),
                    encoding="utf-8")
    return MeetingFile(path, folder, municipality, body, day)


def write_extra_meeting(root: Path, seed: int = 99) -> MeetingFile:
    """The meeting added to a built store: a new town's folder and a date after the corpus."""
    return write_meeting(root, random.Random(seed), "Uusilan kaupunki", "Kaupunginhallitus", "KH",
                         date(FIRST_DAY.year + YEARS, 1, 15), 1, 1, 900_000)
