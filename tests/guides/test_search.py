"""Search by the words people use: diacritics folded, typos forgiven, nonsense finds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.guides.loader import Library, load_library
from assistant.guides.models import LANGUAGES, PlanTemplate, text_in
from assistant.guides.search import fold, library_order, search

LIBRARY = load_library()
GUIDE_IDS = sorted(gid for gid, loaded in LIBRARY.guides.items()
                   if not isinstance(loaded.document, PlanTemplate))


def ids(query: str, lang: str = "da", library: Library = LIBRARY) -> list[str]:
    return [g.id for g in search(library, query, lang)]  # type: ignore[arg-type]


def test_fold_writes_danish_letters_both_ways() -> None:
    assert fold("Forhånd") == ("forhaand", "forhand")
    assert fold("Bælte-fiksering, nødvendig!") == ("baelte fiksering noedvendig",
                                                   "balte fiksering nodvendig")
    assert fold("Légaré") == ("legare",)
    assert fold("  ") == ("",)


@pytest.mark.parametrize("query", ["forhaand", "forhånd", "forhand", "Forhånd",
                                   "forhåndstilkendegivelse", "forhaandstilkendegivelse",
                                   "forhandstilkendegivelse", "advance statement",
                                   "forhåndstilkendegivlese"])  # the last with a typo
def test_the_words_for_an_advance_statement_find_it_first(query: str) -> None:
    assert ids(query)[:1] == ["forhaandstilkendegivelse"]


@pytest.mark.parametrize("query", ["bælte", "baelte", "balte"])
def test_baelte_finds_the_guides_about_restraint(query: str) -> None:
    # Wishes about restraint first; then calming methods, which aim to prevent it.
    assert ids(query)[:2] == ["forhaandstilkendegivelse", "beroligende-metoder"]


def test_baeltefiksering_finds_both_guides_about_restraint() -> None:
    assert set(ids("Bæltefiksering")[:2]) == {"forhaandstilkendegivelse", "beroligende-metoder"}


@pytest.mark.parametrize("query", ["PN", "pn", "pro necessitate", "beroligende medicin"])
def test_pn_finds_the_calming_methods_with_extra_medication(query: str) -> None:
    assert ids(query)[:1] == ["beroligende-metoder"]


def test_fastholdelse_finds_the_guides_that_talk_about_being_held() -> None:
    assert set(ids("fastholdelse")[:2]) == {"forhaandstilkendegivelse",
                                            "beroligende-metoder-unge"}


@pytest.mark.parametrize("query", ["netværksmøde", "netvaerksmoede", "netvarksmode",
                                   "netvaerksmode", "Netværksmøde"])
def test_netvaerksmoede_finds_both_network_meeting_guides_first(query: str) -> None:
    assert set(ids(query)[:2]) == {"netvaerksmoede", "netvaerksmoede-unge"}


@pytest.mark.parametrize(("query", "first"), [
    ("kriseplna", "samarbejde-ved-kriser"),
    ("kriseplan", "samarbejde-ved-kriser"),
    ("kontaktprson", "valg-af-kontaktperson"),
    ("pårørnde", "paaroerende-inddragelse-unge"),
    ("blitzmode", "blitzmoede"),
    ("udskrivningsaftale", "ua-kp-grundoplysninger"),
])
def test_a_typo_still_finds(query: str, first: str) -> None:
    assert first in ids(query)[:2]


@pytest.mark.parametrize(("query", "expected"), [
    ("UA", "ua-kp-grundoplysninger"),
    ("KP", "ua-kp-grundoplysninger"),
    ("tryghedsplan", "tryghedsplan-grundoplysninger"),
    ("peer", "forberedelse-med-peer"),
    ("forberedelse", "forberedelse-med-peer"),
    ("blitzmøde", "blitzmoede"),
    ("pårørende", "paaroerende-inddragelse"),
    ("kontaktperson", "valg-af-kontaktperson"),
    ("koordinationsplan", "ua-kp-grundoplysninger"),
])
def test_the_words_clinicians_use_find_their_guide(query: str, expected: str) -> None:
    assert expected in ids(query)[:4]


@pytest.mark.parametrize("query", ["xyzzy", "qwertyuiop", "zz", "q", "blørfnak", "1234"])
def test_nonsense_finds_nothing(query: str) -> None:
    assert ids(query) == []


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_lists_every_guide_in_library_order(query: str) -> None:
    assert ids(query) == [g.id for g in library_order(LIBRARY, "da")]
    assert sorted(ids(query)) == GUIDE_IDS


def test_library_order_is_decision_aids_then_meeting_guides_by_title() -> None:
    for lang in LANGUAGES:
        docs = library_order(LIBRARY, lang)
        kinds = [g.kind for g in docs]
        assert kinds == sorted(kinds)  # decision_aid < meeting_guide
        for kind in ("decision_aid", "meeting_guide"):
            titles = [text_in(g.title, lang).casefold() for g in docs if g.kind == kind]
            assert titles == sorted(titles)


@pytest.mark.parametrize("guide_id", GUIDE_IDS)
@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_title_typed_out_finds_its_guide_first_at_every_letter(
    guide_id: str, lang: str
) -> None:
    """The way the home screen is used: the title typed letter by letter (and the tests'
    drivers type its first 30 characters) lists the guide all along, first once it is whole."""
    title = text_in(LIBRARY.guides[guide_id].document.title, lang)  # type: ignore[arg-type]
    assert ids(title, lang)[:1] == [guide_id]
    assert ids(title[:30], lang)[:1] == [guide_id]
    for n in range(1, len(title) + 1):
        assert guide_id in ids(title[:n], lang), title[:n]


def test_a_guide_id_finds_its_guide_first() -> None:
    for guide_id in GUIDE_IDS:
        assert ids(guide_id)[:1] == [guide_id]


def test_keywords_of_an_authors_guide_are_searched(tmp_path: Path, example_aid_text: str) -> None:
    aid = tmp_path / "aid.yaml"
    aid.write_text(example_aid_text.replace(
        '  - {da: "tavshedspligt", en: "confidentiality"}\n',
        '  - {da: "tavshedspligt", en: "confidentiality"}\n'
        '  - {da: "hemmelighedskræmmeri", en: "secrecy"}\n'), encoding="utf-8")
    from tests.conftest import EXAMPLES

    library = load_library([EXAMPLES / "eksempel-plan.yaml", aid], include_bundled=False)
    assert library.ok, [p.format() for p in library.errors]
    assert ids("hemmelighedskraemmeri", library=library) == ["eksempel-beslutning"]
    assert ids("secrecy", "en", library=library) == ["eksempel-beslutning"]
    assert ids("tavshedspligt", library=library) == ["eksempel-beslutning"]
    # The situation counts too ("Du er indlagt …").
    assert ids("indlagt", library=library) == ["eksempel-beslutning"]


def test_every_bundled_guide_has_keywords_in_both_languages() -> None:
    for guide_id in GUIDE_IDS:
        guide = LIBRARY.guides[guide_id].document
        assert guide.keywords, guide_id  # type: ignore[union-attr]
        for keyword in guide.keywords:  # type: ignore[union-attr]
            assert not isinstance(keyword, str) and keyword.en, (guide_id, keyword)


def test_the_home_screen_uses_this_search() -> None:
    """The home screen searches the cards (it may draw them before the library is checked):
    the same guides in the same order as a search of the loaded library."""
    from assistant.guides.search import search_cards
    from assistant.guides.status import LibraryStatus
    from assistant.tui.screens import home

    assert home.search_cards is search_cards
    cards = LibraryStatus.from_library(LIBRARY).cards
    for query in ("forhaand", "", "kriseplna", "tvang"):
        for lang in ("da", "en"):
            assert [c.id for c in search_cards(cards, query, lang)] == \
                [g.id for g in search(LIBRARY, query, lang)]


def test_lint_warns_about_a_guide_without_keywords_and_reads_none_for_lix(
    tmp_path: Path, example_aid_text: str
) -> None:
    import datetime as dt

    from assistant.guides.lint import lint_library
    from tests.conftest import EXAMPLES

    def lint(text: str) -> tuple[list[tuple[str, str]], float]:
        aid = tmp_path / "aid.yaml"
        aid.write_text(text, encoding="utf-8")
        library = load_library([EXAMPLES / "eksempel-plan.yaml", aid], include_bundled=False)
        report = lint_library(library, today=dt.date(2026, 11, 23))
        return [(p.severity, p.code) for p in report.problems], report.lix["eksempel-beslutning"]

    keywords = example_aid_text[example_aid_text.index("keywords:\n"):]
    assert keywords.count("\n") == 3, "the example ends with its keywords"
    clean, lix_with = lint(example_aid_text)
    assert clean == []
    found, lix_without = lint(example_aid_text.replace(keywords, ""))
    assert found == [("warning", "keywords")]
    assert lix_with == lix_without  # search words are not text anyone reads
    # A keyword is a text like any other: Danish alone is a translation warning.
    found, _lix = lint(example_aid_text.replace('{da: "pårørende", en: "relatives"}',
                                                "pårørende"))
    assert found == [("warning", "translation")]
