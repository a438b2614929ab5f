"""Generate the PDF and DOCX files of the fictional demo corpus in ``data/demo``.

ESIMERKKIAINEISTO – every municipality, person, company and decision here is
invented. The plain-text (.txt) and HTML files of the corpus are written by
hand; this script makes the three PDF minutes (layout modelled on real Finnish
municipal minutes: page header on every page, footer, first page with time,
place and the "Käsitellyt asiat" index, a participants page, each § starting on
a new page, appeal instructions at the end) and the one DOCX minutes file.

Usage::

    python scripts/make_demo_pdfs.py            # writes into data/demo
    python scripts/make_demo_pdfs.py --out DIR  # writes elsewhere (tests)

Output is deterministic: fixed creation dates and producer in the PDFs, fixed
core properties and ZIP timestamps in the DOCX. Needs fpdf2, python-docx and
DejaVu Sans (Debian package ``fonts-dejavu-core``); ``DEMO_FONT_DIR`` may point
at another folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf.

The meeting texts are item markup strings (see ``parse_items``), one line per
block: ``§ N | Title`` starts an item (``§ N+`` marks a LISÄPYKÄLÄ), ``PRE``
lines go above the § heading, ``@`` is the case ID, ``V`` a preparer line,
``P`` a paragraph, ``-`` a bullet, ``H`` a bold subheading (Ehdotus, Päätös),
``E`` the presenter line, ``B`` a bold label, ``S`` an earlier body's handling
(history heading), ``T`` a table row (cells split on ``;``, first row = head).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "demo"
MARKER = "ESIMERKKIAINEISTO – kuvitteellinen kunta, ei todellisia päätöksiä"
MUNICIPALITY = "Esimerkkilän kaupunki"
FOOTER = "Esimerkkilän kaupunki · Raatihuoneenkatu 1, 99100 Esimerkkilä · kirjaamo@esimerkkila.example"
FONT_DIRS = [
    os.environ.get("DEMO_FONT_DIR", ""),
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts",
]
ZWSP = "\u200b"


@dataclass(frozen=True)
class Meeting:
    """One meeting document to generate."""

    file: str
    body: str
    date: str  # DD.MM.YYYY
    number: str  # e.g. "3/2026"
    time: str
    place: str
    participants: list[tuple[str, list[str]]]
    signers: tuple[str, str]
    inspectors: tuple[str, str]
    items: str
    appeal_ban: str = ""  # e.g. "§20, §21"
    appeal_claim: str = ""
    zwsp: bool = False  # insert zero-width spaces after commas/hyphens, as some systems do


# --------------------------------------------------------------------------- content

TL8_BODY = """\
V Ville Honkanen, rakennuttajainsinööri, ville.honkanen@esimerkkila.example
P Esimerkkilän uimahalli on valmistunut vuonna 1979, ja sen edellinen laajempi korjaus tehtiin vuonna 1998. Vuonna 2025 tehdyn kuntotutkimuksen mukaan ilmanvaihto, vedenkäsittely, allastilojen laatoitus ja vesikaton rakenteet on uusittava viiden vuoden kuluessa.
P Arkkitehtitoimisto Kaari Oy:n laatiman hankesuunnitelman mukaan peruskorjauksen kokonaiskustannusarvio on 6 400 000 euroa (alv 0 %). Kustannukset jakautuvat vuodelle 2026 2 900 000 euroa ja vuodelle 2027 3 500 000 euroa. Hallin laajuus on 3 150 brm². Peruskorjauksessa rakennetaan uusi lasten opetusallas ja esteettömät pukutilat. Energiankulutuksen arvioidaan laskevan noin 35 prosenttia.
P Peruskorjaukseen haetaan liikuntapaikkarakentamisen valtionavustusta 900 000 euroa. Uimahalli on suljettuna peruskorjauksen ajan 1.9.2026–31.8.2027.
H Ehdotus
E Esittelijä: Jarmo Lehtonen, tekninen johtaja
P Tekninen lautakunta hyväksyy uimahallin peruskorjauksen hankesuunnitelman ja esittää kaupunginhallitukselle ja edelleen kaupunginvaltuustolle, että se hyväksyy hankesuunnitelman 6 400 000 euron kustannusarvioon perustuen.
H Päätös
P Lautakunta hyväksyi ehdotuksen."""

KH23_OWN = """\
E Esittelijä: Marja Ketola, kaupunginjohtaja
B Kaupunginjohtajan ehdotus:
P Kaupunginhallitus esittää kaupunginvaltuustolle, että se hyväksyy uimahallin peruskorjauksen hankesuunnitelman 6 400 000 euron kustannusarvioon perustuen ja että peruskorjaukseen haetaan liikuntapaikkarakentamisen valtionavustusta.
H Päätös
P Kaupunginhallitus hyväksyi kaupunginjohtajan ehdotuksen."""

TL_FEB_ITEMS = f"""\
§ 5 | Kokouksen laillisuus ja päätösvaltaisuus
P Esimerkkilän kaupungin hallintosäännön mukaan toimielin pitää kokouksensa päättämänään aikana ja päättämässään paikassa. Kokouskutsun antaa puheenjohtaja tai hänen estyneenä ollessaan varapuheenjohtaja.
P Kuntalain 103 §:n 2 momentin mukaan lautakunta on päätösvaltainen, kun enemmän kuin puolet sen jäsenistä on läsnä.
H Ehdotus
E Esittelijä: Jarmo Lehtonen, tekninen johtaja
P Puheenjohtaja toteaa kokouksen lailliseksi ja päätösvaltaiseksi.
H Päätös
P Puheenjohtaja totesi kokouksen lailliseksi ja päätösvaltaiseksi.
§ 6 | Pöytäkirjan tarkastus
P Pöytäkirja tarkastetaan sähköisesti. Pöytäkirjan tarkastusvuorossa ovat Olli Karppinen ja Hanna Välimäki.
H Ehdotus
E Esittelijä: Jarmo Lehtonen, tekninen johtaja
P Lautakunta valitsee keskuudestaan kaksi pöytäkirjan tarkastajaa.
H Päätös
P Pöytäkirjan tarkastajiksi valittiin Olli Karppinen ja Hanna Välimäki.
§ 7 | Katuvalaistuksen LED-saneeraus 2026–2027 / Hankesuunnitelma
@ ESIDno-2026-41
V Sanna Peltonen, kunnallistekniikan päällikkö, sanna.peltonen@esimerkkila.example
P Kaupungin katuvalaistuksessa on noin 4 300 valaisinta, joista 1 850 on vanhoja elohopea- ja suurpainenatriumvalaisimia. Elohopealamppujen myynti on kielletty EU:ssa, eikä vanhoihin valaisimiin saa enää varaosia.
P Hankesuunnitelmassa vanhat valaisimet vaihdetaan LED-valaisimiin kahdessa vaiheessa seuraavasti:
T Vaihe;Alueet;Valaisimia;Kustannusarvio
T 1. vaihe 2026;Keskusta, Asemanseutu, Kivikylä;980;420 000 €
T 2. vaihe 2027;Muut alueet;870;360 000 €
T Yhteensä;;1 850;780 000 €
P Katuvalaistuksen energiankulutus laskee noin 62 prosenttia, mikä tarkoittaa noin 95 000 euron vuosittaista säästöä. Uusi ohjausjärjestelmä himmentää valaistuksen 50 prosenttiin kello 23–05.
H Ehdotus
E Esittelijä: Jarmo Lehtonen, tekninen johtaja
P Tekninen lautakunta hyväksyy katuvalaistuksen LED-saneerauksen hankesuunnitelman ja päättää, että 1. vaihe toteutetaan vuonna 2026 talousarvion 420 000 euron määrärahalla. 2. vaiheen 360 000 euron määräraha esitetään vuoden 2027 talousarvioon.
H Päätös
P Lautakunta hyväksyi ehdotuksen.
§ 8 | Uimahallin peruskorjaus / Hankesuunnitelman hyväksyminen
@ ESIDno-2025-512
{TL8_BODY}
§ 9 | Katujen talvikunnossapidon alueurakka 2026–2029 / Urakoitsijan valinta
@ ESIDno-2025-497
V Sanna Peltonen, kunnallistekniikan päällikkö, sanna.peltonen@esimerkkila.example
P Katujen talvikunnossapidon alueurakka (auraus, hiekoitus ja lumenkuljetus) kilpailutettiin kolmeksi talvikaudeksi 1.10.2026–30.4.2029. Valintaperusteena oli halvin hinta. Määräaikaan 30.1.2026 mennessä saatiin kolme tarjousta: Kuljetus Mäkelä Oy 212 400 euroa vuodessa, Maanrakennus Korpi Oy 229 900 euroa vuodessa ja Tienhoito Virta Oy 241 300 euroa vuodessa (alv 0 %).
H Ehdotus
E Esittelijä: Jarmo Lehtonen, tekninen johtaja
P Tekninen lautakunta valitsee katujen talvikunnossapidon alueurakan urakoitsijaksi Kuljetus Mäkelä Oy:n hintaan 212 400 euroa vuodessa (alv 0 %) ajalle 1.10.2026–30.4.2029.
H Päätös
P Lautakunta hyväksyi ehdotuksen.
H Esteellisyys
P Marko Hietala poistui esteellisenä (yhteisöjäävi) asian käsittelyn ja päätöksenteon ajaksi, koska hän on Kuljetus Mäkelä Oy:n hallituksen jäsen.
§ 10 | Pientalotonttien hinnoittelu / Kuusirinteen asuinalue
@ ESIDno-2026-33
V Jarmo Lehtonen, tekninen johtaja, jarmo.lehtonen@esimerkkila.example
P Kuusirinteen asemakaava-alueelle valmistuu kesällä 2026 kadut ja kunnallistekniikka 18 omakotitontille. Tonttien koot ovat 800–1 200 m².
P Tonttien myyntihinnaksi esitetään 14 euroa neliömetriltä. Tontteja voidaan myös vuokrata, jolloin vuosivuokra on 5 prosenttia myyntihinnasta elinkustannusindeksiin sidottuna. Tontin varausmaksu on 500 euroa, ja se hyvitetään kauppahinnassa.
H Ehdotus
E Esittelijä: Jarmo Lehtonen, tekninen johtaja
P Tekninen lautakunta esittää kaupunginhallitukselle, että Kuusirinteen omakotitonttien hinnaksi vahvistetaan 14 euroa neliömetriltä ja vuosivuokraksi 5 prosenttia myyntihinnasta.
H Päätös
P Lautakunta hyväksyi ehdotuksen.
§ 11 | Viranhaltijapäätökset / Tekninen toimiala
P Teknisen toimialan viranhaltijat ovat tehneet 15.1.–10.2.2026 yhteensä 23 päätöstä, jotka koskevat muun muassa katulupia, tilavuokria ja pienhankintoja. Päätökset ovat nähtävillä kaupungin verkkosivuilla.
H Ehdotus
E Esittelijä: Jarmo Lehtonen, tekninen johtaja
P Lautakunta merkitsee viranhaltijapäätökset tiedoksi eikä ota niitä käsiteltäväkseen.
H Päätös
P Lautakunta hyväksyi ehdotuksen."""

KH_FEB_ITEMS = f"""\
§ 20 | Kokouksen laillisuus ja päätösvaltaisuus
P Esimerkkilän kaupungin hallintosäännön mukaan toimielin pitää kokouksensa päättämänään aikana ja päättämässään paikassa. Kokous pidetään myös, milloin puheenjohtaja katsoo kokouksen tarpeelliseksi tai enemmistö toimielimen jäsenistä tekee puheenjohtajalle esityksen sen pitämisestä.
P Kuntalain 103 §:n 2 momentin mukaan kaupunginhallitus on päätösvaltainen, kun enemmän kuin puolet sen jäsenistä on läsnä.
H Ehdotus
E Esittelijä: Marja Ketola, kaupunginjohtaja
B Kaupunginjohtajan ehdotus:
P Puheenjohtaja toteaa kokouksen laillisesti kokoonkutsutuksi ja päätösvaltaiseksi.
H Päätös
P Puheenjohtaja totesi kokouksen laillisesti kokoonkutsutuksi ja päätösvaltaiseksi.
§ 21 | Pöytäkirjan tarkastus
P Kaupunginhallituksen pöytäkirja tarkastetaan sähköisesti viimeistään kokousta seuraavana toisena työpäivänä.
H Ehdotus
E Esittelijä: Marja Ketola, kaupunginjohtaja
B Kaupunginjohtajan ehdotus:
P Pöytäkirjan tarkastajiksi valitaan Anu Heikkilä ja Timo Koskinen sekä varatarkastajaksi Marjut Salo.
H Päätös
P Pöytäkirjan tarkastajiksi valittiin Anu Heikkilä ja Timo Koskinen.
§ 22 | Esityslistan hyväksyminen
P Esityslista, joka sisältää selostuksen käsiteltävistä asioista ja ehdotukset päätöksiksi, on lähetetty kokouskutsun yhteydessä.
H Ehdotus
E Esittelijä: Marja Ketola, kaupunginjohtaja
B Kaupunginjohtajan ehdotus:
P Kaupunginhallitus hyväksyy esityslistan.
H Päätös
P Kaupunginhallitus hyväksyi esityslistan sillä lisäyksellä, että lisäpykälänä käsitellään avustus Esimerkkilän Yrittäjät ry:lle.
PRE Tekninen lautakunta, § 8, 12.02.2026
PRE Kaupunginhallitus, § 23, 23.02.2026
§ 23 | Uimahallin peruskorjaus / Hankesuunnitelman hyväksyminen
@ ESIDno-2025-512
S Tekninen lautakunta, 12.02.2026, § 8
{TL8_BODY}
S Kaupunginhallitus, 23.02.2026, § 23
H Ehdotus
{KH23_OWN}
§ 24 | Tontin myynti / Konepajankatu 7, kortteli 412 tontti 3
@ ESIDno-2026-58
V Jarmo Lehtonen, tekninen johtaja, jarmo.lehtonen@esimerkkila.example
P Rautio Metal Oy on 2.2.2026 tehnyt tarjouksen Konepajankadun teollisuusalueen tontin 412-3 ostamisesta. Tontin pinta-ala on 6 240 m², ja se on asemakaavassa teollisuus- ja varastorakennusten korttelialuetta (T). Yhtiö aikoo rakentaa tontille konepajahallin.
P Teollisuustonttien hinta on 9 euroa neliömetriltä, joten kauppahinta on 56 160 euroa. Ostajan on rakennettava tontille vähintään 800 kerrosneliömetrin suuruinen rakennus kahden vuoden kuluessa kaupanteosta. Jos rakentamisvelvoite laiminlyödään, ostaja maksaa kaupungille 10 000 euron sopimussakon.
H Ehdotus
E Esittelijä: Marja Ketola, kaupunginjohtaja
B Kaupunginjohtajan ehdotus:
P Kaupunginhallitus päättää myydä Rautio Metal Oy:lle tontin 412-3 (6 240 m²) 56 160 euron kauppahinnasta ja valtuuttaa teknisen johtajan allekirjoittamaan kauppakirjan.
H Päätös
P Kaupunginhallitus hyväksyi kaupunginjohtajan ehdotuksen.
H Esteellisyys
P Kaupunginhallituksen 2. varapuheenjohtaja Juha Rautio poistui esteellisenä (osallisuusjäävi) asian käsittelyn ja päätöksenteon ajaksi klo 17.42–17.50.
§ 25 | Lausunto hyvinvointialueen palveluverkkosuunnitelmasta
@ ESIDno-2026-49
V Antti Virtanen, hallintojohtaja, antti.virtanen@esimerkkila.example
P Esimerkkiseudun hyvinvointialue pyytää kunnilta lausuntoa palveluverkkosuunnitelman luonnoksesta 6.3.2026 mennessä. Luonnoksessa esitetään, että Kivikylän sivuvastaanotto lakkautetaan 1.6.2026 ja Esimerkkilän terveysaseman iltavastaanotto lyhenee päättymään kello 18.
P Luonnoksen mukaan hyvinvointialueen on sopeutettava talouttaan 38 miljoonalla eurolla vuosina 2026–2028. Palveluverkkoa tiivistetään kaikissa alueen kunnissa, ja osa vastaanottopalveluista siirretään digitaalisiksi ja liikkuviksi palveluiksi. Esimerkkilän osalta luonnoksessa esitetään lisäksi, että kotihoidon yöpartio yhdistetään Mallilan yöpartion kanssa ja että neuvolapalvelut keskitetään terveysasemalle.
P Kaupungin lausuntoluonnos on valmisteltu yhteistyössä sivistystoimen, teknisen toimen ja vanhusneuvoston kanssa. Vanhusneuvosto on 16.2.2026 pitämässään kokouksessa pitänyt erityisen tärkeänä, että ikäihmisten vastaanottopalvelut säilyvät lähellä asiakkaita ja että julkisen liikenteen yhteydet terveysasemalle otetaan huomioon palveluverkkoa muutettaessa.
P Lausuntoluonnoksessa kaupunki toteaa seuraavaa:
- Lähipalvelujen saatavuus on turvattava koko kaupungin alueella, myös haja-asutusalueilla, joilla julkinen liikenne on vähäistä.
- Kaupunki vastustaa Kivikylän sivuvastaanoton lakkauttamista 1.6.2026. Sivuvastaanotolla on noin 4 800 asiakaskäyntiä vuodessa, ja lähin vaihtoehtoinen vastaanotto on 24 kilometrin päässä.
- Kaupunki edellyttää, että Esimerkkilän terveysaseman vastaanotto on avoinna arkisin kello 8–20.
- Kaupunki kannattaa liikkuvan palveluyksikön kokeilua haja-asutusalueilla, kunhan se täydentää eikä korvaa kiinteitä vastaanottoja.
- Neuvolapalvelujen keskittäminen terveysasemalle on hyväksyttävää, jos lapsiperheille järjestetään ajanvaraus myös ilta-aikoihin.
- Kotihoidon yöpartioiden yhdistäminen ei saa pidentää avun saapumisaikaa yli 30 minuutin.
P Kaupunki pitää tärkeänä, että palveluverkkomuutosten vaikutukset arvioidaan kunnittain ja että kunnat otetaan mukaan muutosten toimeenpanon suunnitteluun. Kaupunki esittää, että hyvinvointialue ja kaupunki laativat yhdessä vuoden 2026 aikana sopimuksen lähipalvelujen tilojen käytöstä kaupungin omistamissa kiinteistöissä.
H Ehdotus
E Esittelijä: Marja Ketola, kaupunginjohtaja
B Kaupunginjohtajan ehdotus:
P Kaupunginhallitus antaa hyvinvointialueelle lausunnon palveluverkkosuunnitelmasta esityksen mukaisesti.
H Päätös
P Kaupunginhallitus hyväksyi kaupunginjohtajan ehdotuksen sillä muutoksella, että lausuntoon lisätään vaatimus hammashoitolan säilyttämisestä Esimerkkilän keskustassa.
§ 26 | Talousjohtajan viran täyttäminen
@ ESIDno-2025-610
V Antti Virtanen, hallintojohtaja, antti.virtanen@esimerkkila.example
P Talousjohtajan virka oli haettavana 1.12.2025–9.1.2026. Hakemuksia saapui 12. Haastatteluun kutsuttiin neljä hakijaa, ja kahdelle tehtiin soveltuvuusarviointi.
P Haastattelujen ja soveltuvuusarvioinnin perusteella parhaat edellytykset virkaan on KTM Laura Kivelällä, joka toimii tällä hetkellä Mallilan kunnan talouspäällikkönä.
H Ehdotus
E Esittelijä: Marja Ketola, kaupunginjohtaja
B Kaupunginjohtajan ehdotus:
P Kaupunginhallitus valitsee talousjohtajan virkaan KTM Laura Kivelän 1.5.2026 alkaen. Viran tehtäväkohtainen palkka on 6 150 euroa kuukaudessa, ja virassa noudatetaan kuuden kuukauden koeaikaa. Mikäli valittu ei ota virkaa vastaan, virkaan valitaan KTM Jani Koskela.
H Päätös
P Kaupunginhallitus hyväksyi kaupunginjohtajan ehdotuksen yksimielisesti.
§ 27 | Valtuustoaloite maksuttomasta joukkoliikenteestä yli 70-vuotiaille
@ ESIDno-2025-455
V Antti Virtanen, hallintojohtaja, antti.virtanen@esimerkkila.example
P Valtuutettu Eeva Niemi ja 13 muuta valtuutettua jättivät 15.9.2025 aloitteen, jossa esitetään, että kaupungin sisäinen joukkoliikenne muutetaan maksuttomaksi yli 70-vuotiaille.
P Selvityksen mukaan kaupungissa asuu noin 2 400 yli 70-vuotiasta. Maksuttomuus maksaisi lipputulojen menetyksenä ja sopimusmuutoksina noin 62 000 euroa vuodessa. Talousarviossa 2026 määrärahaa ei ole varattu.
H Ehdotus
E Esittelijä: Marja Ketola, kaupunginjohtaja
B Kaupunginjohtajan ehdotus:
P Kaupunginhallitus esittää kaupunginvaltuustolle, että aloite ei anna aihetta toimenpiteisiin ja aloite katsotaan loppuun käsitellyksi.
H Päätös
P Kaupunginjohtaja alusti asiaa. Keskustelun aikana Petri Lahtela ehdotti Eeva Niemen kannattamana, että yli 70-vuotiaille järjestetään maksuton joukkoliikennekokeilu ajalla 1.8.2026–31.7.2027.
P Puheenjohtaja totesi, että oli tehty kannatettu ehdotus, joten asiassa on äänestettävä. Äänestystavaksi hyväksyttiin avoin äänestys: kaupunginjohtajan ehdotusta kannattavat äänestävät JAA ja Petri Lahtelan ehdotusta kannattavat EI.
P Äänestyksessä annettiin 7 JAA-ääntä (Pekka Lindroos, Sari Mäenpää, Juha Rautio, Anu Heikkilä, Marjut Salo, Timo Koskinen, Kari Hakala) ja 4 EI-ääntä (Petri Lahtela, Eeva Niemi, Riikka Ojala, Mikko Nurmi).
P Puheenjohtaja totesi, että kaupunginhallitus on äänin 7–4 hyväksynyt kaupunginjohtajan ehdotuksen.
§ 28 | Ilmoitusasiat
P Kaupunginhallitukselle saatetaan tiedoksi:
- Esimerkkiseudun työllisyysalueen lautakunnan pöytäkirja 20.1.2026
- Sivistyslautakunnan pöytäkirja 21.1.2026
- Kuntaliiton yleiskirje 3/2026 kuntien talousarvioiden laadinnasta
H Ehdotus
E Esittelijä: Marja Ketola, kaupunginjohtaja
B Kaupunginjohtajan ehdotus:
P Kaupunginhallitus merkitsee ilmoitusasiat tiedoksi.
H Päätös
P Kaupunginhallitus merkitsi ilmoitusasiat tiedoksi.
§ 29+ | LISÄPYKÄLÄ: Avustus Esimerkkilän Yrittäjät ry:lle Markkinapäivien järjestämiseen
@ ESIDno-2026-77
V Antti Virtanen, hallintojohtaja, antti.virtanen@esimerkkila.example
P Esimerkkilän Yrittäjät ry hakee kaupungilta 4 500 euron avustusta Markkinapäivien järjestämiseen torilla 6.–7.6.2026. Tapahtuman kokonaisbudjetti on 18 000 euroa, ja siihen odotetaan noin 6 000 kävijää. Avustus maksetaan kaupunginhallituksen käyttövaroista.
H Ehdotus
E Esittelijä: Marja Ketola, kaupunginjohtaja
B Kaupunginjohtajan ehdotus:
P Kaupunginhallitus myöntää Esimerkkilän Yrittäjät ry:lle 4 500 euron avustuksen Markkinapäivien 2026 järjestämiseen.
H Päätös
P Kaupunginhallitus päätti yksimielisesti käsitellä asian lisäpykälänä ja hyväksyi kaupunginjohtajan ehdotuksen."""

TL_APR_ITEMS = """\
§ 14 | Kokouksen laillisuus ja päätösvaltaisuus
P Esimerkkilän kaupungin hallintosäännön mukaan toimielin pitää kokouksensa päättämänään aikana ja päättämässään paikassa. Kokouskutsun antaa puheenjohtaja tai hänen estyneenä ollessaan varapuheenjohtaja.
P Kuntalain 103 §:n 2 momentin mukaan lautakunta on päätösvaltainen, kun enemmän kuin puolet sen jäsenistä on läsnä.
H Ehdotus
E Esittelijä: Jarmo Lehtonen, tekninen johtaja
P Puheenjohtaja toteaa kokouksen lailliseksi ja päätösvaltaiseksi.
H Päätös
P Puheenjohtaja totesi kokouksen lailliseksi ja päätösvaltaiseksi.
§ 15 | Pöytäkirjan tarkastus
P Pöytäkirja tarkastetaan sähköisesti. Pöytäkirjan tarkastusvuorossa ovat Jussi Peltola ja Satu Karvonen.
H Ehdotus
E Esittelijä: Jarmo Lehtonen, tekninen johtaja
P Lautakunta valitsee keskuudestaan kaksi pöytäkirjan tarkastajaa.
H Päätös
P Pöytäkirjan tarkastajiksi valittiin Jussi Peltola ja Satu Karvonen.
§ 16 | Uimahallin peruskorjaus / Pääurakoitsijan valinta
@ ESIDno-2025-512
V Ville Honkanen, rakennuttajainsinööri, ville.honkanen@esimerkkila.example
P Kaupunginvaltuusto hyväksyi 30.3.2026 § 12 uimahallin peruskorjauksen hankesuunnitelman 6 400 000 euron kustannusarvioon perustuen. Pääurakka kilpailutettiin avoimella menettelyllä, ja hankintailmoitus julkaistiin 2.3.2026.
P Määräaikaan 7.4.2026 mennessä saatiin neljä tarjousta. Valintaperusteena oli kokonaistaloudellinen edullisuus: hinta 70 prosenttia ja laatu 30 prosenttia.
T Tarjoaja;Hinta (alv 0 %);Pisteet
T Rakennus Kivijalka Oy;5 745 000 €;96,2
T Rakennusliike Harjunen Oy;5 912 000 €;92,8
T Esimerkin Rakennustekniikka Oy;6 088 000 €;88,1
T Kortteliurakointi Oy;6 230 000 €;85,4
P Peruskorjaustyöt alkavat 1.9.2026, ja urakka valmistuu viimeistään 15.8.2027.
H Ehdotus
E Esittelijä: Jarmo Lehtonen, tekninen johtaja
P Tekninen lautakunta valitsee uimahallin peruskorjauksen pääurakoitsijaksi Rakennus Kivijalka Oy:n 5 745 000 euron (alv 0 %) kokonaishinnalla ja valtuuttaa teknisen johtajan allekirjoittamaan urakkasopimuksen.
H Päätös
P Lautakunta hyväksyi ehdotuksen yksimielisesti.
§ 17 | Katuvalaistuksen LED-saneeraus, 1. vaihe / Urakoitsijan valinta
@ ESIDno-2026-41
V Sanna Peltonen, kunnallistekniikan päällikkö, sanna.peltonen@esimerkkila.example
P Tekninen lautakunta hyväksyi 12.2.2026 § 7 katuvalaistuksen LED-saneerauksen hankesuunnitelman. Ensimmäisen vaiheen (980 valaisinta) asennusurakka kilpailutettiin, ja tarjouksen jättivät Valopolku Oy 398 500 euroa, Sähkö-Esimerkki Oy 411 200 euroa ja Lumen Asennus Oy 436 900 euroa (alv 0 %).
P Urakka toteutetaan 1.6.–30.11.2026.
H Ehdotus
E Esittelijä: Jarmo Lehtonen, tekninen johtaja
P Tekninen lautakunta valitsee katuvalaistuksen LED-saneerauksen 1. vaiheen urakoitsijaksi Valopolku Oy:n 398 500 euron (alv 0 %) hinnalla.
H Päätös
P Lautakunta hyväksyi ehdotuksen.
§ 18 | Koulutien nopeusrajoituksen alentaminen 30 km/h:iin
@ ESIDno-2026-102
V Sanna Peltonen, kunnallistekniikan päällikkö, sanna.peltonen@esimerkkila.example
P Koulutien asukkaat ovat jättäneet 87 allekirjoittajan aloitteen, jossa esitetään Koulutien nopeusrajoituksen alentamista 40 km/h:sta 30 km/h:iin välillä Kirkkotie–Ahonperäntie. Kadulla kulkee päivittäin noin 300 koululaista.
P Liikenneturvallisuussuunnitelman mukaan koulujen läheisyydessä suositellaan 30 km/h:n nopeusrajoitusta. Muutoksen kustannus liikennemerkkeineen on noin 3 500 euroa.
H Ehdotus
E Esittelijä: Jarmo Lehtonen, tekninen johtaja
P Tekninen lautakunta päättää alentaa Koulutien nopeusrajoituksen 30 km/h:iin välillä Kirkkotie–Ahonperäntie 1.6.2026 alkaen.
H Päätös
P Keskustelun kuluessa Leena Aho ehdotti Jussi Peltolan kannattamana, että asia jätetään pöydälle, jotta kadun liikennemäärät ja ajonopeudet ehditään mitata toukokuun aikana. Lautakunta päätti yksimielisesti jättää asian pöydälle.
§ 19 | Leikkipaikkojen palveluverkkosuunnitelma 2026–2035
@ ESIDno-2025-533
V Sanna Peltonen, kunnallistekniikan päällikkö, sanna.peltonen@esimerkkila.example
P Kaupungilla on 28 leikkipaikkaa, joista monen välineet ovat tulossa käyttöikänsä päähän. Palveluverkkosuunnitelman luonnoksessa leikkipaikkojen määrä vähennetään 19:ään vuoteen 2035 mennessä, ja jäljelle jäävät leikkipaikat kunnostetaan. Yhdeksän vähän käytettyä leikkipaikkaa poistettaisiin. Suunnitelman investointitarve on noin 640 000 euroa kymmenessä vuodessa.
H Ehdotus
E Esittelijä: Jarmo Lehtonen, tekninen johtaja
P Tekninen lautakunta hyväksyy leikkipaikkojen palveluverkkosuunnitelman vuosille 2026–2035.
H Päätös
P Lautakunta päätti yksimielisesti palauttaa asian valmisteluun siten, että asukkaita kuullaan poistettavaksi esitetyistä leikkipaikoista ennen päätöksentekoa.
§ 20 | Viranhaltijapäätökset / Tekninen toimiala
P Teknisen toimialan viranhaltijat ovat tehneet 11.2.–10.4.2026 yhteensä 41 päätöstä, jotka koskevat muun muassa katulupia, tilavuokria ja pienhankintoja. Päätökset ovat nähtävillä kaupungin verkkosivuilla.
H Ehdotus
E Esittelijä: Jarmo Lehtonen, tekninen johtaja
P Lautakunta merkitsee viranhaltijapäätökset tiedoksi eikä ota niitä käsiteltäväkseen.
H Päätös
P Lautakunta hyväksyi ehdotuksen.
§ 21+ | LISÄPYKÄLÄ: Keskuspuiston leikkipaikan turvallisuuskorjaukset
@ ESIDno-2026-119
V Sanna Peltonen, kunnallistekniikan päällikkö, sanna.peltonen@esimerkkila.example
P Keskuspuiston leikkipaikan vuositarkastuksessa 8.4.2026 havaittiin, että keinutelineen kiinnitykset ja kiipeilytelineen verkko ovat vaurioituneet. Välineet on suljettu käytöltä. Keinutelineen ja kiipeilytelineen uusiminen maksaa 14 800 euroa, ja se katetaan puistojen kunnossapidon määrärahasta.
H Ehdotus
E Esittelijä: Jarmo Lehtonen, tekninen johtaja
P Tekninen lautakunta päättää uusia Keskuspuiston leikkipaikan keinutelineen ja kiipeilytelineen 14 800 euron kustannuksella ennen kesälomakautta.
H Päätös
P Lautakunta päätti yksimielisesti käsitellä asian lisäpykälänä ja hyväksyi ehdotuksen."""

KV_MAR_ITEMS = f"""\
§ 10 | Kokouksen laillisuus ja päätösvaltaisuus
P Kaupunginvaltuuston kokouskutsu on julkaistu kaupungin verkkosivuilla 20.3.2026. Kuntalain 103 §:n 1 momentin mukaan valtuusto on päätösvaltainen, kun vähintään kaksi kolmasosaa valtuutetuista on läsnä.
H Ehdotus
P Puheenjohtaja toteaa kokouksen laillisesti koolle kutsutuksi ja päätösvaltaiseksi.
H Päätös
P Nimenhuudon mukaan läsnä oli 33 valtuutettua. Puheenjohtaja totesi kokouksen laillisesti koolle kutsutuksi ja päätösvaltaiseksi.
§ 11 | Pöytäkirjan tarkastajien valinta
P Pöytäkirjan tarkastusvuorossa ovat Heli Koivula ja Janne Saarela.
H Ehdotus
P Pöytäkirjan tarkastajiksi valitaan Heli Koivula ja Janne Saarela.
H Päätös
P Pöytäkirjan tarkastajiksi valittiin Heli Koivula ja Janne Saarela.
§ 12 | Uimahallin peruskorjaus / Hankesuunnitelman hyväksyminen
@ ESIDno-2025-512
S Tekninen lautakunta, 12.02.2026, § 8
{TL8_BODY}
S Kaupunginhallitus, 23.02.2026, § 23
H Ehdotus
{KH23_OWN}
S Kaupunginvaltuusto, 30.03.2026, § 12
H Ehdotus
B Kaupunginhallituksen ehdotus:
P Kaupunginvaltuusto hyväksyy uimahallin peruskorjauksen hankesuunnitelman 6 400 000 euron kustannusarvioon perustuen ja päättää, että peruskorjaukseen haetaan liikuntapaikkarakentamisen valtionavustusta.
H Päätös
P Kaupunginvaltuusto hyväksyi kaupunginhallituksen ehdotuksen yksimielisesti.
§ 13 | Eron myöntäminen teknisen lautakunnan jäsenyydestä ja uuden jäsenen valinta
@ ESIDno-2026-88
V Antti Virtanen, hallintojohtaja, antti.virtanen@esimerkkila.example
P Teknisen lautakunnan jäsen Tiina Rinne pyytää eroa lautakunnan jäsenyydestä 2.3.2026 päivätyllä kirjeellä, koska hän on muuttanut pois Esimerkkilästä. Kuntalain 70 §:n mukaan luottamushenkilö, joka menettää vaalikelpoisuutensa, vapautuu tehtävästään.
P Valtuustoryhmä on esittänyt uudeksi jäseneksi Satu Karvosta.
H Ehdotus
B Kaupunginhallituksen ehdotus:
P Kaupunginvaltuusto myöntää Tiina Rinteelle eron teknisen lautakunnan jäsenyydestä ja valitsee lautakunnan jäseneksi jäljellä olevaksi toimikaudeksi Satu Karvosen.
H Päätös
P Kaupunginvaltuusto hyväksyi ehdotuksen yksimielisesti.
§ 14 | Ilmoitusasiat / Valtuustoaloitteet
P Kokouksessa jätettiin seuraava aloite:
- Valtuutettu Sanna Koivisto ja 9 muuta valtuutettua jättivät aloitteen koirapuiston rakentamisesta Keskuspuistoon.
H Ehdotus
P Kaupunginvaltuusto merkitsee aloitteen tiedoksi ja lähettää sen kaupunginhallituksen valmisteltavaksi.
H Päätös
P Kaupunginvaltuusto merkitsi aloitteen tiedoksi ja lähetti sen kaupunginhallituksen valmisteltavaksi."""

APPEAL_BAN = (
    "Tähän päätökseen, joka koskee vain valmistelua tai täytäntöönpanoa, ei saa hakea "
    "muutosta oikaisuvaatimuksella eikä kunnallisvalituksella (Kuntalaki 136 §)."
)
APPEAL_CLAIM = [
    "Jos olet tyytymätön päätökseen, voit vaatia siihen oikaisua toimielimeltä eli tehdä "
    "oikaisuvaatimuksen. Oikaisuvaatimuksen saa tehdä asianosainen ja kunnan jäsen.",
    "Oikaisuvaatimus on tehtävä 14 päivän kuluessa päätöksen tiedoksisaannista. Kunnan jäsenen "
    "katsotaan saaneen tiedon päätöksestä seitsemän päivän kuluttua siitä, kun pöytäkirja on "
    "asetettu nähtäväksi yleisessä tietoverkossa.",
    "Oikaisuvaatimus toimitetaan osoitteeseen: Esimerkkilän kaupunki, kirjaamo, "
    "Raatihuoneenkatu 1, 99100 Esimerkkilä, kirjaamo@esimerkkila.example.",
]

MEETINGS: list[Meeting] = [
    Meeting(
        file="tekninen-lautakunta-2026-02-12.pdf",
        body="Tekninen lautakunta",
        date="12.02.2026",
        number="2/2026",
        time="12.02.2026, klo 16:00 - 18:05",
        place="Kaupungintalo, teknisen lautakunnan kokoushuone",
        participants=[
            ("Saapuvilla olleet jäsenet", [
                "Matti Kangas, puheenjohtaja", "Leena Aho, varapuheenjohtaja", "Marko Hietala, poistui 16:48",
                "Olli Karppinen", "Jussi Peltola", "Tiina Rinne", "Hanna Välimäki"]),
            ("Muut saapuvilla olleet", [
                "Juha Rautio, kaupunginhallituksen edustaja", "Jarmo Lehtonen, tekninen johtaja, esittelijä",
                "Minna Hautala, hallintosihteeri, sihteeri",
                "Sanna Peltonen, kunnallistekniikan päällikkö, § 7-9"]),
            ("Poissa", ["Aki Nieminen"]),
        ],
        signers=("Matti Kangas", "Minna Hautala"),
        inspectors=("Olli Karppinen", "Hanna Välimäki"),
        items=TL_FEB_ITEMS,
        appeal_ban="§5, §6, §7, §8, §11",
        appeal_claim="§9, §10",
    ),
    Meeting(
        file="kaupunginhallitus-2026-02-23.pdf",
        body="Kaupunginhallitus",
        date="23.02.2026",
        number="3/2026",
        time="23.02.2026, klo 17:00 - 19:12",
        place="Kaupungintalo, kaupunginhallituksen kokoushuone",
        participants=[
            ("Saapuvilla olleet jäsenet", [
                "Pekka Lindroos, puheenjohtaja", "Sari Mäenpää, 1. varapuheenjohtaja",
                "Juha Rautio, 2. varapuheenjohtaja", "Kari Hakala", "Anu Heikkilä", "Timo Koskinen",
                "Petri Lahtela", "Eeva Niemi", "Mikko Nurmi", "Riikka Ojala", "Marjut Salo"]),
            ("Muut saapuvilla olleet", [
                "Raimo Ylinen, kaupunginvaltuuston puheenjohtaja", "Marja Ketola, kaupunginjohtaja, esittelijä",
                "Antti Virtanen, hallintojohtaja, sihteeri", "Jarmo Lehtonen, tekninen johtaja, § 23-24"]),
        ],
        signers=("Pekka Lindroos", "Antti Virtanen"),
        inspectors=("Anu Heikkilä", "Timo Koskinen"),
        items=KH_FEB_ITEMS,
        appeal_ban="§20, §21, §22, §23, §27, §28",
        appeal_claim="§24, §25, §26, §29",
        zwsp=True,
    ),
    Meeting(
        file="tekninen-lautakunta-2026-04-14.pdf",
        body="Tekninen lautakunta",
        date="14.04.2026",
        number="3/2026",
        time="14.04.2026, klo 16:00 - 18:20",
        place="Kaupungintalo, teknisen lautakunnan kokoushuone",
        participants=[
            ("Saapuvilla olleet jäsenet", [
                "Matti Kangas, puheenjohtaja", "Leena Aho, varapuheenjohtaja", "Marko Hietala",
                "Olli Karppinen", "Satu Karvonen", "Aki Nieminen", "Jussi Peltola", "Hanna Välimäki"]),
            ("Muut saapuvilla olleet", [
                "Juha Rautio, kaupunginhallituksen edustaja", "Jarmo Lehtonen, tekninen johtaja, esittelijä",
                "Minna Hautala, hallintosihteeri, sihteeri", "Ville Honkanen, rakennuttajainsinööri, § 16"]),
        ],
        signers=("Matti Kangas", "Minna Hautala"),
        inspectors=("Jussi Peltola", "Satu Karvonen"),
        items=TL_APR_ITEMS,
        appeal_ban="§14, §15, §18, §19, §20",
        appeal_claim="§16, §17, §21",
    ),
]

DOCX_MEETING = Meeting(
    file="kaupunginvaltuusto-2026-03-30.docx",
    body="Kaupunginvaltuusto",
    date="30.03.2026",
    number="2/2026",
    time="30.03.2026, klo 18:00 - 20:35",
    place="Kaupungintalo, valtuustosali",
    participants=[
        ("Saapuvilla olleet valtuutetut", ["33 valtuutettua, nimet läsnäololuettelossa"]),
        ("Muut saapuvilla olleet", [
            "Raimo Ylinen, puheenjohtaja", "Marja Ketola, kaupunginjohtaja",
            "Antti Virtanen, hallintojohtaja, sihteeri"]),
    ],
    signers=("Raimo Ylinen", "Antti Virtanen"),
    inspectors=("Heli Koivula", "Janne Saarela"),
    items=KV_MAR_ITEMS,
)

# --------------------------------------------------------------------------- parsing markup


@dataclass
class Block:
    kind: str  # PRE, SEC, @, V, P, -, H, E, B, S, T
    text: str


@dataclass
class Item:
    section: int
    title: str
    extra: bool
    pre: list[str]
    blocks: list[Block]


_SEC = re.compile(r"^§ (\d+)(\+?) \| (.+)$")


def parse_items(markup: str) -> list[Item]:
    """Parse the item markup of one meeting into items."""
    items: list[Item] = []
    pre: list[str] = []
    for line in markup.splitlines():
        if not line.strip():
            continue
        m = _SEC.match(line)
        if m:
            items.append(Item(int(m.group(1)), m.group(3), bool(m.group(2)), pre, []))
            pre = []
            continue
        kind, _, text = line.partition(" ")
        if kind == "PRE":
            pre.append(text)
        else:
            items[-1].blocks.append(Block(kind, text))
    return items


def _zwsp(text: str) -> str:
    """Insert zero-width spaces after commas and word hyphens, like some minutes systems do."""
    text = text.replace(", ", "," + ZWSP + " ")
    return re.sub(r"(?<=\w)-(?=\w)", "-" + ZWSP, text)


# --------------------------------------------------------------------------- PDF


def _find_font(name: str) -> Path:
    for d in FONT_DIRS:
        if d and (Path(d) / name).is_file():
            return Path(d) / name
    raise SystemExit(
        f"Fonttia {name} ei löytynyt. Asenna: apt-get install fonts-dejavu-core "
        "tai aseta DEMO_FONT_DIR."
    )


def _make_pdf_class():  # imported lazily so --help works without fpdf2
    from fpdf import FPDF

    class MinutesPDF(FPDF):
        """A4 minutes with a Finnish municipal page header and a footer."""

        meeting: Meeting

        def header(self) -> None:
            m = self.meeting
            self.set_xy(20, 10)
            self.set_font("DejaVu", "B", 9)
            self.cell(80, 4.5, MUNICIPALITY)
            self.cell(45, 4.5, "Pöytäkirja")
            self.set_font("DejaVu", "", 9)
            self.cell(20, 4.5, m.number)
            self.cell(0, 4.5, f"{self.page_no()} ({{nb}})")
            self.set_xy(20, 14.5)
            self.cell(80, 4.5, m.body)
            self.cell(45, 4.5, m.date)
            self.line(20, 24, 190, 24)
            self.set_y(30)

        def footer(self) -> None:
            self.set_y(-14)
            self.line(20, self.get_y() - 1, 190, self.get_y() - 1)
            self.set_font("DejaVu", "", 7)
            self.set_x(20)
            self.cell(170, 4, FOOTER, align="C")

    return MinutesPDF


IND = 45  # left edge of indented body text
WIDTH = 145


def _para(pdf, text: str, *, bold: bool = False, x: float = IND, w: float = WIDTH,
          size: float = 10, after: float = 2.5) -> None:
    pdf.set_font("DejaVu", "B" if bold else "", size)
    pdf.set_x(x)
    pdf.multi_cell(w, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    if after:
        pdf.ln(after)


def _table_rows(blocks: list, i: int) -> tuple[list[list[str]], int]:
    """The cells of the run of table blocks starting at ``i``, and the index after it."""
    rows = []
    while i < len(blocks) and blocks[i].kind == "T":
        rows.append(blocks[i].text.split(";"))
        i += 1
    return rows, i


def _table(pdf, rows: list[list[str]]) -> None:
    pdf.set_font("DejaVu", "", 9)
    pdf.set_x(IND)
    with pdf.table(width=WIDTH, align="LEFT", line_height=5, first_row_as_headings=True,
                   text_align="LEFT") as table:
        for r in rows:
            row = table.row()
            for c in r:
                row.cell(c)
    pdf.ln(2.5)


def _render_item_pdf(pdf, item: Item, zw: bool) -> None:
    z = _zwsp if zw else (lambda s: s)
    pdf.add_page()
    for line in item.pre:
        _para(pdf, line, bold=True, x=20, w=170, after=0)
    if item.pre:
        pdf.ln(2)
    _para(pdf, f"§ {item.section}", bold=True, x=20, w=170, after=0)
    _para(pdf, item.title, bold=True, x=20, w=170, after=3)
    blocks = item.blocks
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "@":
            _para(pdf, b.text, x=20, w=170, after=3)
        elif b.kind == "V":
            _para(pdf, "Valmistelija / lisätiedot:", after=0)
            _para(pdf, b.text, after=3)
        elif b.kind == "P":
            _para(pdf, z(b.text))
        elif b.kind == "-":
            _para(pdf, "- " + z(b.text), after=1)
        elif b.kind == "H":
            pdf.ln(1)
            _para(pdf, b.text, bold=True, after=0.5)
        elif b.kind == "E":
            _para(pdf, _zwsp(b.text), after=1.5)
        elif b.kind == "B":
            _para(pdf, b.text, bold=True, after=0.5)
        elif b.kind == "S":
            pdf.ln(2)
            pdf.line(20, pdf.get_y(), 190, pdf.get_y())
            pdf.ln(2)
            _para(pdf, b.text, bold=True, x=20, w=170, after=2)
        elif b.kind == "T":
            rows, i = _table_rows(blocks, i)
            _table(pdf, rows)
            continue
        else:
            raise ValueError(f"unknown block {b.kind!r} in § {item.section}")
        i += 1


def _label_rows(pdf, rows: list[tuple[str, str]]) -> None:
    for label, value in rows:
        pdf.set_font("DejaVu", "", 10)
        pdf.set_x(20)
        y = pdf.get_y()
        pdf.cell(25, 6, label)
        pdf.set_xy(IND, y)
        pdf.multi_cell(WIDTH, 6, value, align="L", new_x="LMARGIN", new_y="NEXT")


def _new_pdf(m: Meeting):  # -> MinutesPDF
    """An empty MinutesPDF for ``m`` with fonts, margins and fixed metadata (byte-stable output)."""
    cls = _make_pdf_class()
    pdf = cls(format="A4")
    pdf.meeting = m
    pdf.add_font("DejaVu", "", str(_find_font("DejaVuSans.ttf")))
    pdf.add_font("DejaVu", "B", str(_find_font("DejaVuSans-Bold.ttf")))
    pdf.set_margins(20, 30, 20)
    pdf.set_auto_page_break(True, margin=22)
    d, mo, y = m.date.split(".")
    stamp = datetime(int(y), int(mo), int(d), 20, 0, tzinfo=UTC)
    pdf.set_creation_date(stamp)
    pdf.set_title(f"Pöytäkirja {m.body} {m.date}")
    pdf.set_author(f"{MUNICIPALITY} (kuvitteellinen)")
    pdf.set_subject(MARKER)
    pdf.set_creator("scripts/make_demo_pdfs.py")
    pdf.set_producer("scripts/make_demo_pdfs.py")
    return pdf


def _render_front_page(pdf, m: Meeting, items: list[Item]) -> None:
    """Page 1: marker, time and place, index of sections."""
    pdf.add_page()
    _para(pdf, MARKER, bold=True, x=20, w=170, size=11, after=4)
    _label_rows(pdf, [("Aika", m.time), ("Paikka", m.place)])
    pdf.ln(3)
    _para(pdf, "Käsitellyt asiat", bold=True, x=20, w=170, after=1)
    extras_started = False
    for it in items:
        if it.extra and not extras_started:
            _para(pdf, "Lisäpykälät", bold=True, x=20, w=170, after=1)
            extras_started = True
        y0 = pdf.get_y()
        pdf.set_font("DejaVu", "B", 10)
        pdf.set_x(20)
        pdf.cell(25, 6, f"§ {it.section}")
        pdf.set_xy(IND, y0)
        pdf.multi_cell(WIDTH, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")


def _name_pair(pdf, left: str, right: str) -> None:
    pdf.set_x(IND)
    pdf.cell(75, 5, left)
    pdf.cell(70, 5, right, new_x="LMARGIN", new_y="NEXT")


def _render_participants_page(pdf, m: Meeting) -> None:
    """Page 2: participants, signatures, inspection."""
    pdf.add_page()
    for label, names in m.participants:
        _para(pdf, label, x=20, w=170, after=0)
        for n in names:
            _para(pdf, n, after=0)
        pdf.ln(2)
    _para(pdf, "Allekirjoitukset", x=20, w=170, after=8)
    pdf.set_font("DejaVu", "", 10)
    _name_pair(pdf, m.signers[0], m.signers[1])
    _name_pair(pdf, "Puheenjohtaja", "Sihteeri")
    pdf.ln(4)
    _para(pdf, "Pöytäkirjan tarkastus", x=20, w=170, after=0)
    _para(pdf, "Pöytäkirja on tarkastettu ja hyväksytty", after=6)
    _name_pair(pdf, m.inspectors[0], m.inspectors[1])
    pdf.ln(4)
    _para(pdf, "Pöytäkirjan nähtävänäolo", x=20, w=170, after=0)
    _para(pdf, "Esimerkkilän kaupungin verkkosivuilla tarkastamisen jälkeen.")


def _render_appeals(pdf, m: Meeting) -> None:
    """Appeal instructions, as real minutes end with them."""
    if m.appeal_ban:
        pdf.add_page()
        _para(pdf, "Muutoksenhakukielto", bold=True, x=20, w=170, after=0)
        _para(pdf, m.appeal_ban, x=20, w=170, after=0)
        _para(pdf, "Oikaisuvaatimus- ja valituskielto", bold=True, after=1)
        _para(pdf, APPEAL_BAN)
    if m.appeal_claim:
        pdf.add_page()
        _para(pdf, "Oikaisuvaatimus", bold=True, x=20, w=170, after=0)
        _para(pdf, m.appeal_claim, x=20, w=170, after=0)
        _para(pdf, "Oikaisuvaatimusohje", bold=True, after=1)
        for p in APPEAL_CLAIM:
            _para(pdf, p)


def render_pdf(m: Meeting, out: Path) -> Path:
    """Write one meeting as a PDF and return its path."""
    pdf = _new_pdf(m)
    items = parse_items(m.items)
    _render_front_page(pdf, m, items)
    _render_participants_page(pdf, m)
    for it in items:
        _render_item_pdf(pdf, it, m.zwsp)
    _render_appeals(pdf, m)
    path = out / m.file
    pdf.output(str(path))
    return path


# --------------------------------------------------------------------------- DOCX

_FIXED_ZIP_TIME = (2026, 3, 31, 12, 0, 0)


def _new_docx(m: Meeting):  # -> docx.Document
    """An empty DOCX for ``m`` with fixed core properties and the page header."""
    from docx import Document as DocxDocument

    doc = DocxDocument()
    cp = doc.core_properties
    fixed = datetime(2026, 3, 31, 12, 0, 0)
    cp.author = f"{MUNICIPALITY} (kuvitteellinen)"
    cp.title = f"Pöytäkirja {m.body} {m.date}"
    cp.subject = MARKER
    cp.created = fixed
    cp.modified = fixed
    cp.last_printed = fixed
    cp.last_modified_by = "scripts/make_demo_pdfs.py"
    cp.revision = 1
    header = doc.sections[0].header.paragraphs[0]
    header.text = f"{MUNICIPALITY}\tPöytäkirja {m.number}\t{m.body} {m.date}"
    return doc


def _docx_front_matter(doc, m: Meeting, items: list[Item]) -> None:
    """Marker, meeting data, the "Käsitellyt asiat" index, participants and inspectors."""
    doc.add_paragraph().add_run(MARKER).bold = True
    doc.add_paragraph(MUNICIPALITY)
    doc.add_heading(m.body, level=1)
    doc.add_paragraph(f"Pöytäkirja {m.number}")
    doc.add_paragraph(f"Aika: {m.time}")
    doc.add_paragraph(f"Paikka: {m.place}")
    doc.add_paragraph().add_run("Käsitellyt asiat").bold = True
    for it in items:
        doc.add_paragraph(f"§ {it.section} {it.title}", style="List Bullet")
    for label, names in m.participants:
        doc.add_paragraph().add_run(label).bold = True
        doc.add_paragraph("; ".join(names))
    doc.add_paragraph(f"Pöytäkirjantarkastajat: {m.inspectors[0]} ja {m.inspectors[1]}")


def _docx_table(doc, rows: list[list[str]]) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, cells in enumerate(rows):
        for c, val in enumerate(cells):
            table.cell(r, c).text = val


def _render_item_docx(doc, item: Item) -> None:
    doc.add_heading(f"§ {item.section} {item.title}", level=2)
    blocks = item.blocks
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "@":
            doc.add_paragraph(b.text)
        elif b.kind == "V":
            doc.add_paragraph(f"Valmistelija / lisätiedot: {b.text}")
        elif b.kind in ("P", "E"):
            doc.add_paragraph(b.text)
        elif b.kind == "-":
            doc.add_paragraph(b.text, style="List Bullet")
        elif b.kind in ("H", "B", "S"):
            doc.add_paragraph().add_run(b.text).bold = True
        elif b.kind == "T":
            rows, i = _table_rows(blocks, i)
            _docx_table(doc, rows)
            continue
        i += 1


def render_docx(m: Meeting, out: Path) -> Path:
    """Write one meeting as a DOCX (with fixed metadata and ZIP times) and return its path."""
    doc = _new_docx(m)
    items = parse_items(m.items)
    _docx_front_matter(doc, m, items)
    for it in items:
        _render_item_docx(doc, it)
    buf = io.BytesIO()
    doc.save(buf)
    path = out / m.file
    _rezip_fixed(buf.getvalue(), path)
    return path


def _rezip_fixed(data: bytes, path: Path) -> None:
    """Rewrite a ZIP with fixed member timestamps so the DOCX bytes are reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))


# --------------------------------------------------------------------------- main


def generate(out: Path) -> list[Path]:
    """Generate every PDF and the DOCX into ``out``; return the written paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = [render_pdf(m, out) for m in MEETINGS]
    written.append(render_docx(DOCX_MEETING, out))
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Luo esimerkkiaineiston PDF- ja DOCX-pöytäkirjat.")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="kohdekansio (oletus data/demo)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    for p in generate(args.out):
        logger.info("kirjoitettu %s", p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
