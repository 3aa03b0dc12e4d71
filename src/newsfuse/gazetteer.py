"""A small hand-written gazetteer: countries, their capitals, demonyms and the
aliases news uses ("U.S.", "Viet Nam", "the DPRK").

Used by the rule-based entity finder (no model needed) and to normalise places
so that "Hanoi" and "Vietnam" meet when claims are compared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# country | capital(s) | demonyms | aliases  (";" separates several)
_TABLE = """\
Afghanistan|Kabul|Afghan|
Albania|Tirana|Albanian|
Algeria|Algiers|Algerian|
Argentina|Buenos Aires|Argentine;Argentinian|
Armenia|Yerevan|Armenian|
Australia|Canberra|Australian|
Austria|Vienna|Austrian|
Azerbaijan|Baku|Azerbaijani|
Bahrain|Manama|Bahraini|
Bangladesh|Dhaka|Bangladeshi|
Belarus|Minsk|Belarusian|
Belgium|Brussels|Belgian|
Bolivia|La Paz;Sucre|Bolivian|
Bosnia and Herzegovina|Sarajevo|Bosnian|Bosnia
Brazil|Brasilia;Brasília|Brazilian|
Bulgaria|Sofia|Bulgarian|
Cambodia|Phnom Penh|Cambodian|
Cameroon|Yaounde|Cameroonian|
Canada|Ottawa|Canadian|
Chile|Santiago|Chilean|
China|Beijing|Chinese|People's Republic of China;PRC
Colombia|Bogota;Bogotá|Colombian|
Congo|Kinshasa|Congolese|Democratic Republic of Congo;DRC
Croatia|Zagreb|Croatian|
Cuba|Havana|Cuban|
Cyprus|Nicosia|Cypriot|
Czech Republic|Prague|Czech|Czechia
Denmark|Copenhagen|Danish|
Ecuador|Quito|Ecuadorian|
Egypt|Cairo|Egyptian|
Estonia|Tallinn|Estonian|
Ethiopia|Addis Ababa|Ethiopian|
Finland|Helsinki|Finnish|
France|Paris|French|
Georgia|Tbilisi|Georgian|
Germany|Berlin|German|
Ghana|Accra|Ghanaian|
Greece|Athens|Greek|
Hungary|Budapest|Hungarian|
Iceland|Reykjavik|Icelandic|
India|New Delhi|Indian|
Indonesia|Jakarta|Indonesian|
Iran|Tehran|Iranian|
Iraq|Baghdad|Iraqi|
Ireland|Dublin|Irish|
Israel|Jerusalem|Israeli|
Italy|Rome|Italian|
Japan|Tokyo|Japanese|
Jordan|Amman|Jordanian|
Kazakhstan|Astana|Kazakh|
Kenya|Nairobi|Kenyan|
Kuwait|Kuwait City|Kuwaiti|
Kyrgyzstan|Bishkek|Kyrgyz|
Laos|Vientiane|Lao;Laotian|
Latvia|Riga|Latvian|
Lebanon|Beirut|Lebanese|
Libya|Tripoli|Libyan|
Lithuania|Vilnius|Lithuanian|
Malaysia|Kuala Lumpur|Malaysian|
Mali|Bamako|Malian|
Mexico|Mexico City|Mexican|
Moldova|Chisinau|Moldovan|
Mongolia|Ulaanbaatar|Mongolian|
Morocco|Rabat|Moroccan|
Myanmar|Naypyidaw|Burmese|Burma
Nepal|Kathmandu|Nepali;Nepalese|
Netherlands|Amsterdam|Dutch|Holland
New Zealand|Wellington|New Zealander|
Nicaragua|Managua|Nicaraguan|
Niger|Niamey|Nigerien|
Nigeria|Abuja|Nigerian|
North Korea|Pyongyang|North Korean|DPRK;Democratic People's Republic of Korea
Norway|Oslo|Norwegian|
Oman|Muscat|Omani|
Pakistan|Islamabad|Pakistani|
Palestine|Ramallah|Palestinian|Palestinian Territories
Peru|Lima|Peruvian|
Philippines|Manila|Filipino;Philippine|
Poland|Warsaw|Polish|
Portugal|Lisbon|Portuguese|
Qatar|Doha|Qatari|
Romania|Bucharest|Romanian|
Russia|Moscow|Russian|Russian Federation
Rwanda|Kigali|Rwandan|
Saudi Arabia|Riyadh|Saudi|
Senegal|Dakar|Senegalese|
Serbia|Belgrade|Serbian|
Singapore|Singapore|Singaporean|
Slovakia|Bratislava|Slovak|
Slovenia|Ljubljana|Slovenian|
Somalia|Mogadishu|Somali|
South Africa|Pretoria|South African|
South Korea|Seoul|South Korean|Republic of Korea
Spain|Madrid|Spanish|
Sri Lanka|Colombo|Sri Lankan|
Sudan|Khartoum|Sudanese|
Sweden|Stockholm|Swedish|
Switzerland|Bern|Swiss|
Syria|Damascus|Syrian|
Taiwan|Taipei|Taiwanese|
Tajikistan|Dushanbe|Tajik|
Tanzania|Dodoma|Tanzanian|
Thailand|Bangkok|Thai|
Tunisia|Tunis|Tunisian|
Turkey|Ankara|Turkish|Turkiye;Türkiye
Turkmenistan|Ashgabat|Turkmen|
Uganda|Kampala|Ugandan|
Ukraine|Kyiv;Kiev|Ukrainian|
United Arab Emirates|Abu Dhabi|Emirati|UAE
United Kingdom|London|British|UK;U.K.;Britain;Great Britain
United States|Washington|American;U.S.;US|US;U.S.;USA;U.S.A.;America;United States of America
Uzbekistan|Tashkent|Uzbek|
Venezuela|Caracas|Venezuelan|
Vietnam|Hanoi|Vietnamese|Viet Nam
Yemen|Sanaa|Yemeni|
Zambia|Lusaka|Zambian|
Zimbabwe|Harare|Zimbabwean|
"""

# Regions and large cities that are not capitals: place -> country ("" when
# it spans several).
_OTHER_PLACES = """\
Asia|;Europe|;Africa|;Middle East|;Far East|Russia;Northeast Asia|;Southeast Asia|;
Central Asia|;East Asia|;South Asia|;Latin America|;North America|;South America|;
Gaza|Palestine;Gaza Strip|Palestine;West Bank|Palestine;Crimea|Ukraine;Donbas|Ukraine;
Kharkiv|Ukraine;Odesa|Ukraine;Siberia|Russia;Vladivostok|Russia;St Petersburg|Russia;
St. Petersburg|Russia;Ho Chi Minh City|Vietnam;Shanghai|China;Hong Kong|China;
New York|United States;Los Angeles|United States;Chicago|United States;
California|United States;Texas|United States;Florida|United States;Mumbai|India;
Istanbul|Turkey;Dubai|United Arab Emirates;Sydney|Australia;Toronto|Canada;
Geneva|Switzerland;Osaka|Japan;Busan|South Korea;Kaesong|North Korea;
Korean Peninsula|;Black Sea|;Pacific|;Atlantic|;Arctic|;Baltic|;Balkans|"""


def wordset(text: str) -> frozenset[str]:
    """A word list written as a wrapped string, the way the lexicons here are kept."""
    return frozenset(text.split())


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # canonical ("Vietnam", "Hanoi")
    country: str  # the country it lies in, or "" for regions spanning several
    kind: str  # "country", "capital", "place"


def _build() -> tuple[dict[str, Place], dict[str, str]]:
    places: dict[str, Place] = {}
    demonyms: dict[str, str] = {}
    for line in _TABLE.splitlines():
        country, capitals, demonym_list, aliases = line.split("|")
        places[country.lower()] = Place(country, country, "country")
        for alias in filter(None, aliases.split(";")):
            places[alias.lower()] = Place(country, country, "country")
        for capital in filter(None, capitals.split(";")):
            places.setdefault(capital.lower(), Place(capitals.split(";")[0], country, "capital"))
        for demonym in filter(None, demonym_list.split(";")):
            demonyms[demonym.lower()] = country
    for item in _OTHER_PLACES.replace("\n", "").split(";"):
        name, country = item.split("|")
        places.setdefault(name.lower(), Place(name, country, "place"))
    return places, demonyms


PLACES, DEMONYMS = _build()
# The first word of every name `lookup_place` knows (dots kept and dropped):
# a word that is none of them starts no place, whatever follows it.
PLACE_FIRST_WORDS = frozenset(
    word for name in PLACES for word in (name.split(" ")[0], name.replace(".", "").split(" ")[0])
)
# Longest gazetteer entry in words: how far a longest-match lookup must look.
MAX_PLACE_WORDS = max(len(name.split()) for name in PLACES)


# `re.I` matches these with ASCII letters, but `str.lower` keeps them (and
# turns "İ" into two characters).
_FOLD_TRAPS = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


def fold(text: str) -> str:
    """`text` lower-cased, character for character: a case-sensitive pattern of
    lower-case ASCII words matches in it exactly where, and at the offsets
    where, the same pattern with `re.I` matches in `text`. Case-insensitive
    regexes are several times slower than case-sensitive ones."""
    # `translate` reads a non-ASCII string character by character: only when needed.
    if text.isascii() or ("İ" not in text and "ı" not in text and "ſ" not in text):
        return text.lower()
    return text.translate(_FOLD_TRAPS).lower()


_Trie = dict[str, "_Trie"]  # char -> subtree; "" marks the end of a word


def word_alternation(words: Iterable[str]) -> str:
    """A regex alternation of `words` as a prefix tree ("visit(?:ed|s)?" rather
    than "visited|visits|visit"): where a word starts, `re` then follows one
    branch instead of trying every word. It matches the same strings."""
    tree: _Trie = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _alternation(tree)


def _alternation(node: _Trie) -> str:
    branches = [re.escape(char) + _alternation(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    ends_here = "" in node
    body = branches[0] if len(branches) == 1 and not ends_here else "(?:" + "|".join(branches) + ")"
    return body + "?" if ends_here else body


def lookup_place(name: str) -> Place | None:
    """The place called `name` (case-insensitive, "the" and dots tolerated)."""
    key = name.strip().lower()
    key = key.removeprefix("the ")
    return PLACES.get(key) or PLACES.get(key.replace(".", ""))


def country_of(name: str) -> str:
    """The country a place name belongs to; the name itself when unknown."""
    place = lookup_place(name)
    if place is None:
        return name
    return place.country or place.name


def demonym_country(word: str) -> str | None:
    """ "Russian" -> "Russia"; None for a word that is no demonym."""
    return DEMONYMS.get(word.lower())
