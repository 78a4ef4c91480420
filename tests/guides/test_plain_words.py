"""Plain words for patients: no instrument names or citations in what the patient is shown.

Prompts, help texts, choices, intros and the situation are read in the room with a patient in
crisis; references belong in `sources:` and the chat's sources view (F9), and the built-in
steps' references in `flow.BUILTIN_SOURCES`. Detail at the *everything* level is the
exception: the patient chose "Alt – med detaljer og kilder" (everything, with sources), so
`more.everything` may name the study it rests on.
"""

from __future__ import annotations

import itertools
import re

import pytest

from assistant.guides import step_ids
from assistant.guides.flow import (
    BUILTIN_SOURCES,
    DECIDED_BY,
    DECISION_ROLE,
    INFORMATION_LEVEL,
    NEXT_STEPS,
    SURE_STEPS,
    builtin_sources,
    flow,
)
from assistant.guides.loader import load_library
from assistant.guides.models import (
    LANGUAGES,
    DecisionAid,
    MeetingGuide,
    PlanTemplate,
    iter_text_paths,
    text_in,
)

LIBRARY = load_library()
GUIDES = {gid: loaded.document for gid, loaded in LIBRARY.guides.items()
          if not isinstance(loaded.document, PlanTemplate)}

#: Academic words a patient should not meet: authors, "et al.", seed files, project names.
ACADEMIC = re.compile(
    r"\bet al\b|\bm\.fl\.|Degner|Légaré|Control Preferences|SURE-test|SURE test|\bseed |"
    r"\bLKT\b"
    # a "(Name YYYY)" or "(Name et al. YYYY; …)" citation
    r"|\([^()]*\b[A-ZÆØÅ][\w-]*[^()]*\b(19|20)\d\d[a-z]?\)",
)
#: Not shown to the patient: search words, and the metadata of the review process.
NOT_SHOWN = {"keywords", "authors", "update_policy", "funding", "conflicts_of_interest"}


def _patient_texts(value: object) -> list[tuple[str, str]]:
    """(path, text) for every text the patient may be shown, in both languages."""
    found = []
    for path, text in iter_text_paths(value):
        if path and path[0] in NOT_SHOWN:
            continue
        if any(a == "more" and b == "everything" for a, b in itertools.pairwise(path)):
            continue  # chosen "with details and sources" (see the module's docstring)
        for lang in LANGUAGES:
            found.append((".".join(map(str, path)) + f" [{lang}]", text_in(text, lang)))
    return found


def test_the_pattern_catches_the_citations_the_issue_names() -> None:
    for bad in ("(Efter Control Preferences Scale, Degner 1997.)",
                "SURE-testen (Légaré et al. 2010), spørgsmål 1 af 4",
                "de spørgsmål, som LKT Tvang foreslår", "(Bone m.fl. 2019)",
                "(de Jong 2016; Molyneaux 2019)", "(Bowers et al. 2015)", "jf. seed 001"):
        assert ACADEMIC.search(bad), bad
    for fine in ("Der er ikke noget rigtigt svar.", "Spørgsmål 1 af 4.",
                 "Hvornår ser vi planen igen (fx 2027)?", "Ring 1813 (døgnåben)."):
        assert not ACADEMIC.search(fine), fine


BUILTIN = [INFORMATION_LEVEL, DECISION_ROLE, DECIDED_BY, *SURE_STEPS, NEXT_STEPS]


@pytest.mark.parametrize("step", BUILTIN, ids=[s.id for s in BUILTIN])
def test_builtin_steps_speak_plainly(step: object) -> None:
    found = [(p, t) for p, t in _patient_texts(step) if ACADEMIC.search(t)]
    assert found == []


def test_the_sure_items_say_which_question_in_plain_words() -> None:
    assert [text_in(s.help, "da") for s in SURE_STEPS][1:] == [
        f"Spørgsmål {n} af 4 om, hvor sikker du er på dit valg." for n in (2, 3, 4)]
    assert "spørgsmål 1 af 4" in text_in(SURE_STEPS[0].help, "da")
    assert "question 1 of 4" in text_in(SURE_STEPS[0].help, "en")


@pytest.mark.parametrize("guide_id", sorted(GUIDES))
def test_what_a_bundled_guide_shows_the_patient_is_plain(guide_id: str) -> None:
    guide = GUIDES[guide_id]
    texts = _patient_texts(guide)
    # The conversation as the patient meets it, built-in steps included.
    for item in flow(guide):
        texts += [(f"flow {item.id}.{p}", t) for p, t in _patient_texts(item.step)]
    found = [(p, t) for p, t in texts if ACADEMIC.search(t)]
    assert found == []


def test_the_builtin_references_are_kept_in_one_place() -> None:
    by_id = {s.id: s for s in BUILTIN_SOURCES}
    assert "Degner" in by_id["control-preferences-scale"].citation
    assert "Légaré" in by_id["sure"].citation and "O'Connor" in by_id["sure"].citation
    assert "001_4e62c2f7fc255890" in by_id["beslutningshjaelper"].citation
    assert by_id["sure"].steps == set(step_ids.SURE_IDS)
    assert step_ids.DECISION_ROLE in by_id["control-preferences-scale"].steps
    for source in BUILTIN_SOURCES:
        assert source.about.en and source.steps <= set(step_ids.BUILTIN)


def test_builtin_sources_follow_the_steps_a_guide_asks() -> None:
    aid = GUIDES["forhaandstilkendegivelse"]
    assert isinstance(aid, DecisionAid)
    assert [s.id for s in builtin_sources(aid)] == [
        "beslutningshjaelper", "control-preferences-scale", "sure"]
    no_sure = aid.model_copy(update={"decision": aid.decision.model_copy(update={"sure": False})})
    assert "sure" not in [s.id for s in builtin_sources(no_sure)]
    meeting = GUIDES["netvaerksmoede"]
    assert isinstance(meeting, MeetingGuide)
    assert builtin_sources(meeting) == ()


def test_every_bundled_guide_keeps_its_sources() -> None:
    for guide_id, guide in GUIDES.items():
        assert guide.sources, guide_id
