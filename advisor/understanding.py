"""What a message asks, decided once.

The NLU side (``components.understanding``) calls :func:`understand` for every message and
puts the resulting :class:`Meaning` into the parse data; the actions read it and never look
at the text again. Keeping the decision here, in the core, means the two Rasa processes
cannot disagree about a message, and every rule of interpretation can be tested without
Rasa.

A meaning combines:

- what the message *does* (the intent: ask, filter, rank, compare, ...), from the classifier,
  corrected where the question library knows better ("what's the salary?" is a question the
  library holds, even when the classifier thought it out of scope);
- which *topic* of the question library it asks about (``advisor.topics`` guesses), or the
  closest few when unsure;
- the programs and states it names, the schools it names that are not in the file
  (``advisor.schools``), the acronyms the knowledge files never use (``advisor.vocabulary``),
  the list item it refers to ("the first one", "those two", "the others"), the constraints
  of a filter, and the direction of a ranking ("most expensive" is not "cheapest");
- what the student says about themselves (``advisor.profile``: "i live in utah" is their
  residency, not a filter), each question of a message that asks several (``parts``), and
  whether it checks a conclusion ("so clarkson is cheaper, right?").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from advisor.advising import ORDINALS, Budget, Constraints
from advisor.constraints import parse, parse_budget
from advisor.knowledge import Knowledge, Residency, Unit
from advisor.matching import PROGRAM, US_STATE, NameMatch
from advisor.profile import Profile, stated
from advisor.schools import unknown_schools
from advisor.topics import TopicGuess
from advisor.vocabulary import unfamiliar_terms

# Intents (what a message does), as trained in data/nlu.yml.
ASK = "ask_question"
FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
INFORM = "inform_program"
LIST = "list_programs"
FILTER = "filter_programs"
RANK = "rank_programs"
COMPARE = "compare_programs"
ADVICE = "get_advice"
SHARE_PROFILE = "share_profile"  # "i live in utah", "I'm ARRT registered"
STOP = "stop"  # "stop", "cancel", "never mind": leaves the guided form
ASK_HUMAN = "ask_human"  # "can I talk to someone": the hand-off to a person

# Topic recognition (advisor.topics): a topic is taken when the library's classifier gives it
# at least CONFIDENT, or at least AGREED when the nearest example phrasing belongs to the
# same topic; otherwise the closest topics (probability >= UNSURE) are offered. When two
# blank topics share the doubt ("the waiting list" or "how competitive admission is"), the
# honest answer names both. Chosen on the library's own examples and the held-out
# questions, and measured on the real-question dev set by `make eval`.
CONFIDENT = 0.5
AGREED = 0.15
UNSURE = 0.05
BLANK_PAIR = 0.5
ALTERNATIVES = 3
# With a program named, a per-program fact this likely is answered, the alternatives offered.
TENTATIVE = 0.25
# The intent classifier is believed when its best intent has at least INTENT_THRESHOLD and
# leads the next by INTENT_MARGIN (what Rasa's FallbackClassifier did, decided here instead).
INTENT_THRESHOLD = 0.3
INTENT_MARGIN = 0.05
# A question with no recognisable topic is an advising request when that was the
# classifier's second choice with at least this much.
ADVISING_RUNNER_UP = 0.25
# "and for everyone else?": a follow-up is short.
FOLLOW_UP_WORDS = 7
# "what about HACC?" is a follow-up when the classifier is this sure of it.
SURE_FOLLOW_UP = 0.5
# An out-of-scope verdict gives way only to a topic whose nearest example is this similar:
# out-of-scope training messages reach 0.49 at the 90th percentile ("tell me a joke": 0.56),
# real questions 0.52 at the 5th.
OUT_OF_SCOPE_SIMILARITY = 0.6
# A blank topic the library recognises this surely is asked, not listed, unless the
# classifier is SURE_LIST of a list.
CLEAR_TOPIC = 0.7
SURE_LIST = 0.8
NEARLY_CERTAIN_TOPIC = 0.9


@dataclass(frozen=True)
class Part:
    """One question of a message that asks several: "how much is clarkson and when can i
    start" is two parts, each answered in turn."""

    topic: str
    programs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meaning:
    """Everything one message asks, as the actions read it."""

    intent: str
    topic: str | None = None
    topic_score: float = 0.0
    alternatives: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    unknown_schools: tuple[str, ...] = ()
    reference: str | None = None
    comparative: bool = False  # "which of them is cheaper?": about the list last shown
    # "cost" or "duration"; checking "is that my best option?": "fit" (the student's wishes)
    rank_by: str | None = None
    descending: bool = False  # most expensive / longest first
    unit: str | None = None  # a Unit value: "which is cheapest per credit hour"
    residency: str | None = None  # a Residency value: "and for everyone else?"
    # Answered as the most likely topic, with the alternatives offered beside the answer.
    tentative: bool = False
    constraints: Constraints = field(default_factory=Constraints)
    # Acronyms the knowledge files never use ("Is the GRE required?"): named as unknown
    # before the answer, so that the answer is not read as covering them.
    unfamiliar: tuple[str, ...] = ()
    # What the student says about themselves in this message (advisor.profile); where they
    # live is not among ``states``.
    profile: Profile = field(default_factory=Profile)
    # Every question of a message that asks several, in order (the first is ``topic``).
    parts: tuple[Part, ...] = ()
    # "so clarkson is cheaper, right?": the student's conclusion, to confirm or correct
    # (``rank_by`` says about what; the first program named is the one they concluded on).
    checking: bool = False
    # The figure the student concluded ("so it's 9739 a semester for me, right?"), to check
    # against the program's cost for them.
    figure: Budget | None = None
    # "tell me more" (or its button): the whole of a long text, not its phone-sized start.
    full: bool = False
    # The message asks something (a question mark, or a question word opening a sentence):
    # in the guided form, "how much is weber?" is a question to answer, not an answer.
    asks: bool = False

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["profile"] = self.profile.as_dict()
        if self.constraints.budget:
            data["constraints"]["budget"] = self.constraints.budget.as_dict()
        data["figure"] = self.figure.as_dict() if self.figure else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Meaning:
        """From the parse data, tolerant of what another version of the NLU may have sent:
        unknown keys are dropped, a missing intent is a fall-back, an unknown residency none."""
        known = Constraints.__dataclass_fields__
        wanted = {k: v for k, v in (data.get("constraints") or {}).items() if k in known}
        if wanted.get("budget"):
            wanted["budget"] = Budget.from_dict(wanted["budget"])
        wanted["states"] = tuple(wanted.get("states") or ())
        tuples = ("alternatives", "programs", "states", "unknown_schools", "unfamiliar")
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields.update({k: tuple(data.get(k) or ()) for k in tuples})
        fields["constraints"] = Constraints(**wanted)
        fields["profile"] = Profile.from_dict(data.get("profile"))
        try:
            fields["figure"] = Budget.from_dict(data["figure"]) if data.get("figure") else None
        except (KeyError, TypeError, ValueError):
            fields["figure"] = None
        fields["parts"] = tuple(
            Part(str(p["topic"]), tuple(p.get("programs") or ()))
            for p in data.get("parts") or ()
            if isinstance(p, dict) and p.get("topic")
        )
        fields.setdefault("intent", FALLBACK)
        if fields.get("residency") not in {r.value for r in Residency}:
            fields["residency"] = None
        if fields.get("unit") not in {u.value for u in Unit}:
            fields["unit"] = None
        return cls(**fields)


# --- references, rankings, residency -------------------------------------------

# An ordinal refers to the list only as "the first (one, program, ...)", not in "the last
# day to apply".
_ORDINAL = (
    r"(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last)"
    r"(?=\s+(?:one|program|programme|school|college|option|course|on the list)\b|\s*[?.!,]|\s*$)"
)
_REFERENCE = re.compile(
    r"\b((?:one|program|school)\s+you\s+(?:mentioned|said|listed|named|showed)\s+(?:first|last)|"
    r"(?:the\s+)?other\s+(?:one|program|school)\b(?!s)|(?:the\s+)?others\b|(?:the\s+)?rest\b"
    r"(?=\s*[?.!,]|\s*$|\s+of\s+them)|(?:those|these)\s+two\b|"
    rf"(?:first|top) two|{_ORDINAL}|both(?= of them| programs| schools| ones| with|\s*[?.!,]|\s*$)|"
    r"all (?:of )?(?:them|these|those|the programs|five|5)|"
    r"cheaper|cheapest|shorter|shortest|faster|fastest)\b",
    re.IGNORECASE,
)
_DURATION_WORDS = re.compile(
    r"\b(long|longest|longer|slow|slowest|slower|fast|fastest|faster|quick|quickest|quicker|"
    r"short|shortest|shorter|soon|soonest|time|duration|length)\b",
    re.IGNORECASE,
)
_COST_WORDS = re.compile(
    r"\b(cheap\w*|afford\w*|expensive|pric\w*|cost\w*|tuition|money|budget|dear\w*)\b",
    re.IGNORECASE,
)
_DESCENDING_COST = re.compile(
    r"\b(most expensive|more expensive|priciest|pricier|highest (?:tuition|cost|price)|"
    r"costliest|costs? the most|most costly)\b",
    re.IGNORECASE,
)
_DESCENDING_TIME = re.compile(
    r"\b(longest|slowest|longer|slower|most time|more time|takes the most)\b", re.IGNORECASE
)
_FROM_TO = re.compile(r"\bfrom (?:the )?(.+?) to\b", re.IGNORECASE)
# "compare them", "how do the two differ": the list last shown.
_THE_SHOWN = re.compile(
    r"\b(them|these|those|the two|both|(?:you )?(?:just )?(?:listed|showed|shown|mentioned))\b",
    re.IGNORECASE,
)
_COMPARATIVE = re.compile(
    r"\b(cheaper|less expensive|more expensive|faster|quicker|shorter|longer|slower|which one|"
    r"(?:of|between) (?:them|these|those|the two|both))\b",
    re.IGNORECASE,
)
_RESIDENCY_FOLLOW_UP = (
    (re.compile(r"\b(out[- ]of[- ]state|non[- ]?residents?|everyone else|everybody else|"
                r"other states?|if I don'?t live there|not a resident)\b", re.I),
     Residency.OUT_OF_STATE),
    (re.compile(r"\b(in[- ]state|residents?)\b", re.I), Residency.IN_STATE),
)  # fmt: skip
# References to one program of those shown ("the last one", "the other one").
_ONE_PROGRAM = frozenset(ORDINALS) | {"last", "other"}


def reference_in(text: str) -> str | None:
    """'the first one' -> 'first'; 'all of them' -> 'all'; 'those two' -> 'both'; 'the top
    two' -> 'first_two'; 'the others' -> 'others'; 'the other one' -> 'other'."""
    match = _REFERENCE.search(text)
    if not match:
        return None
    word = re.sub(r"\s+", " ", match.group(1).lower())
    if " you " in word:
        return "last" if word.endswith("last") else "first"  # "the one you mentioned first"
    if word.endswith(" two"):
        # "the top two" of the list shown; "those two" last talked about
        return "first_two" if word.startswith(("first", "top")) else "both"
    if "other" in word or "rest" in word:
        # "the other one": the one of the pair not in focus; "the others": the rest
        return "other" if word.endswith(("one", "program", "school")) else "others"
    return "all" if word.startswith("all") else word


def residency_in(text: str) -> str | None:
    return next((r.value for pattern, r in _RESIDENCY_FOLLOW_UP if pattern.search(text)), None)


def ranking_of(text: str) -> tuple[str, bool]:
    """(what to rank by, whether largest first). "From cheapest to most expensive" starts
    where it says."""
    start = _FROM_TO.search(text)
    text_to_read = start.group(1) if start else text
    if _DURATION_WORDS.search(text) and not _COST_WORDS.search(text):
        return "duration", bool(_DESCENDING_TIME.search(text_to_read))
    return "cost", bool(_DESCENDING_COST.search(text_to_read))


_RANK_UNITS = (
    (re.compile(r"\bper[- ]credit|\ba credit\b|\bcredit[- ]hour\b", re.I), Unit.PER_CREDIT),
    (re.compile(r"\bper[- ](?:year|yr)\b|\ba year\b|\byearly\b|\bannual", re.I), Unit.PER_YEAR),
    (re.compile(r"\bper[- ](?:semester|term)\b|\ba semester\b", re.I), Unit.PER_SEMESTER),
    (re.compile(r"\b(?:in )?total\b|\bwhole program\b|\boverall\b", re.I), Unit.PROGRAM_TOTAL),
)


def unit_in(text: str) -> str | None:
    """The unit a cost ranking asks for: "which is cheapest per credit hour" ranks only the
    per-credit rates."""
    return next((unit.value for pattern, unit in _RANK_UNITS if pattern.search(text)), None)


def is_comparative(text: str) -> bool:
    """ "Which of them is cheaper?" asks about the list last shown."""
    return bool(_COMPARATIVE.search(text))


# "so X is cheaper for me, right?", "is clarkson cheaper than weber?", "so oregon tech is
# the cheapest of the three, right?": a conclusion to check.
_TAG = re.compile(
    r"(?:,|\s)\s*(?:right|correct|yes|yeah|no|isn'?t it|am i right)\s*\?*\s*$"
    r"|\b(?:right|correct)\s*\?",
    re.IGNORECASE,
)
_CHECK = re.compile(rf"{_TAG.pattern}|^\s*(?:so\s+)?(?:is|isn'?t|are|would)\b", re.IGNORECASE)
_CHECKED = re.compile(
    r"\b(?:cheaper|cheapest|less expensive|least expensive|costs? less|quicker|quickest|faster|"
    r"fastest|shorter|shortest)\b",
    re.IGNORECASE,
)
# A tuition figure the student works with: "$7,584", "6228", "9,739" (not "6 months").
_FIGURE = re.compile(r"\$\s?\d[\d,]*|\b\d{1,3},\d{3}\b|\b\d{4,6}\b(?!\s*(?:months?|years?|hours?))")
# "is that my best option?", "so weber is my best bet?", "is it the right choice for me?"
_BEST = re.compile(
    r"\b(?:best|right|ideal|better)\s+(?:option|choice|bet|fit|pick)\b"
    r"|\bthe (?:best|right) (?:one|program|school) for me\b",
    re.IGNORECASE,
)
# What "is that my best option?" points back at.
_POINTING = re.compile(r"\b(?:that|it|this|they|those|these)\b", re.IGNORECASE)


# A message that asks something: a question mark, or a question word opening a sentence.
_ASKS = re.compile(
    r"\?|(?:^|[.!;,]\s*|\b(?:and|so|but)\s+)(?:what|whats|what's|how|when|where|which|who|is|are|"
    r"do|does|can|could|will|would|should|tell me|compare|rank|list|show|any)\b",
    re.IGNORECASE,
)
# The whole message is "stop", "cancel", "never mind", "forget it" (leaving the guided form).
_STOP = re.compile(
    r"\s*(?:ok(?:ay)?,?\s+|no,?\s+)?"
    r"(?:stop|cancel|quit|exit|abort|never\s*mind|forget(?: about)? it)"
    r"(?:[\s,]+(?:please|thanks?|that|it))*[\s.!]*",
    re.IGNORECASE,
)
# "whats AART", "what does ardms stand for", "what's the AART thing it mentions"
_DEFINED = re.compile(
    r"\s*(?:(?:ok|so|and|hmm)\b[\s,]*)*(?:what|who)(?:'s|s|\s+is|\s+are|\s+does|\s+do)\s+"
    r"(?:the\s+|an?\s+)?([a-z]{3,6})(?:\s+(?:stand\s+for|mean|short\s+for|thing\b[^?]*))?"
    r"[\s?.!]*",
    re.IGNORECASE,
)
# The library's topic for what the registries' letters stand for (topics.yml `registries`).
REGISTRY_NAMES = "registry_names"


def registries(knowledge: Knowledge) -> frozenset[str]:
    """The registries the knowledge files name: those programs require, and the acronyms of
    the registries topic (the source's "AART" among them)."""
    required = {r.upper() for p in knowledge.programs for r in p.admission.licensure_required}
    general = knowledge.question(REGISTRY_NAMES).general
    if general:
        required |= set(re.findall(r"\b[A-Z]{3,6}\b", knowledge.topic(general).text))
    return frozenset(required)


# The whole message asks for the rest of what was just said.
_MORE = re.compile(
    r"\s*(?:ok(?:ay)?,?\s+|and\s+)?(?:tell me more|more|more please|go on|continue|keep going|"
    r"more info(?:rmation)?|more details?|can you (?:tell me|say) more|say more)"
    r"(?:[\s,]+(?:please|about (?:it|that)))*[\s.!?]*",
    re.IGNORECASE,
)
# Asking for a person to talk with, as opposed to asking for a contact ("who can I call at
# Clarkson?", "admissions contact please"), which the file answers or names as unknown.
_PERSON = (
    r"(?:person|human|someone|somebody|anyone|anybody|advisor|adviser|counsel+or|agent|"
    r"rep(?:resentative)?|operator|staff(?:\s+member)?|admissions|people)"
)
_WANTS_A_PERSON = re.compile(
    r"\b(?:talk|speak|chat|connect|put\s+me\s+through|transfer|hand\s+me\s+over|get|"
    rf"message\s+me|in\s+touch)\b.{{0,40}}\b{_PERSON}\b"
    r"|\b(?:real|live|actual)\s+(?:person|human|agent|advisor|adviser)\b|\ba\s+human\b"
    r"|^\s*(?:human|operator|agent)\b"
    rf"|\b(?:can|could|would)\s+(?:someone|somebody|anyone|a\s+(?:person|human|staff\s+member))\b"
    r"|\b(?:want|need|like|prefer)\b.{0,20}\b(?:a|an)\s+(?:person|human|advisor|adviser|agent)\b"
    rf"|\bis\s+(?:anyone|someone|anybody|a\s+staff\s+member)\b.{{0,40}}\bavailable\b",
    re.IGNORECASE,
)
# "what do you know about me so far", "what did I tell you"
_ABOUT_ME = re.compile(
    r"\b(?:know|remember|have|noted|got)\b[^?.!]{0,25}\babout me\b|\bmy profile\b|"
    r"\bwhat (?:have|did) i (?:tell|told|say|said)\b",
    re.IGNORECASE,
)
# "im in utah btw, does that change anything", "ok what if i just did a certificate under
# 8000": what the student says about themselves, and what it changes
_CHANGES_THINGS = re.compile(
    r"\b(?:does|would|will|did)\s+(?:that|it|this)\s+(?:change|matter|make\s+(?:a|any)\s+"
    r"difference)\b|^\s*(?:(?:ok(?:ay)?|so|and|hmm)\b[\s,]*)*what\s+if\s+i\b",
    re.IGNORECASE,
)
# "near me", "in my state", "anything there": the state the student lives in is where to look.
_NEAR_ME = re.compile(
    r"\b(?:near|close to|around|nearby)\s+(?:me|here|where i live|home)\b|\bin my (?:state|area)\b|"
    r"\bnearby\b|\blocal(?:ly)?\b|"
    r"\b(?:anything|something|programs?|schools?|options?|one)\s+(?:out\s+|over\s+)?there\b",
    re.IGNORECASE,
)


# --- messages that ask several questions -------------------------------------------------------

_QUESTION_WORD = (
    r"(?:what|whats|what's|how|when|where|which|who|whom|is|are|do|does|did|can|could|will|"
    r"would|should|any|has|have)\b"
)
# "...? and ...", "..., and when ...", "... and is it ...", "... also ...", "...; ..."
_QUESTION_BREAK = re.compile(
    r"\?\s+(?=\S)|\s*;\s+|,?\s+also,?\s+|\.\s+also\b,?\s*"
    rf"|,\s+(?:and\s+)?(?={_QUESTION_WORD})|\s+and\s+(?={_QUESTION_WORD})",
    re.IGNORECASE,
)
# A part is a question: it opens with a question word ("and", "also", "so" aside).
_A_QUESTION = re.compile(
    rf"\s*(?:(?:and|also|so|but|ok|okay|thx|thanks|like)\b[\s,.]*)*{_QUESTION_WORD}", re.IGNORECASE
)
# A part must say something: "and is it online" has three words.
SHORTEST_PART = 3


def question_spans(text: str) -> list[tuple[int, int]]:
    """Where each question of a message that asks several is; empty for one question.
    "how long is weber, how much for in state, and is it online" -> three spans."""
    spans = []
    start = 0
    for match in _QUESTION_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    spans = [(s, e) for s, e in spans if len(text[s:e].split()) >= SHORTEST_PART]
    # Each part must be a question ("After I graduate, when should I ...?" is one).
    if len(spans) < 2 or not all(_A_QUESTION.match(text[s:e]) for s, e in spans):
        return []
    return spans


def _parts(
    parts: Sequence[tuple[int, int, TopicGuess]],
    names: Sequence[NameMatch],
    programs: tuple[str, ...],
    skip: Sequence[tuple[int, int]],
) -> tuple[Part, ...]:
    """The questions of a message, each with a clear topic and its programs (those named in
    it, else those of the whole message: "how much is clarkson and when can i start")."""
    found: list[Part] = []
    for start, end, guess in parts:
        best, score = guess.best
        if best is None or not (score >= CONFIDENT or (score >= AGREED and guess.nearest == best)):
            return ()  # a part not understood: the message is not taken apart
        own = tuple(
            dict.fromkeys(
                m.value
                for m in names
                if m.entity == PROGRAM
                and start <= m.start < end
                and not any(s <= m.start < e for s, e in skip)
            )
        )
        found.append(Part(best, own or programs))
    return tuple(found) if len({p.topic for p in found}) > 1 else ()


# --- the decision ---------------------------------------------------------------------------------


def understand(
    text: str,
    intents: Sequence[tuple[str, float]],
    names: Sequence[NameMatch],
    guess: TopicGuess,
    knowledge: Knowledge,
    parts: Sequence[tuple[int, int, TopicGuess]] = (),
) -> Meaning:
    """Decide what ``text`` asks, given the intent classifier's ranking (most likely first),
    the names found in it and the question library's view of its topic; ``parts``: the
    library's view of each question of a message that asks several (``question_spans``)."""
    decided = replace(
        _understand(text, intents, names, guess, knowledge), asks=bool(_ASKS.search(text))
    )
    if len(parts) < 2 or decided.intent not in (ASK, INFORM, FALLBACK, SHARE_PROFILE):
        return decided
    skip = [(s, e) for _, s, e in unknown_schools(text, names, knowledge)]
    found = _parts(parts, names, decided.programs, skip)
    if not found:
        return decided
    return replace(decided, intent=ASK, topic=found[0].topic, parts=found, tentative=False)


def _understand(
    text: str,
    intents: Sequence[tuple[str, float]],
    names: Sequence[NameMatch],
    guess: TopicGuess,
    knowledge: Knowledge,
) -> Meaning:
    schools = unknown_schools(text, names, knowledge)
    profile, lives = stated(text, names)
    if _NEAR_ME.search(text):
        lives = ()  # "I'm in Texas, is there a program near me?" asks for schools there
    # "The Clarkson School" names another school than Clarkson College.
    programs = tuple(
        dict.fromkeys(
            m.value
            for m in names
            if m.entity == PROGRAM and not any(s <= m.start < e for _, s, e in schools)
        )
    )
    states = tuple(
        dict.fromkeys(
            m.value
            for m in names
            if m.entity == US_STATE
            and not any(s <= m.start < e for _, s, e in schools)
            and m.value not in lives  # "i live in utah": residency, not a place to look
        )
    )
    base: dict[str, Any] = dict(
        programs=programs,
        states=states,
        unknown_schools=tuple(name for name, _, _ in schools),
        reference=reference_in(text),
        comparative=is_comparative(text),
        # "as a Texas resident": the profile's state decides per program, not the word
        residency=None if profile.state else residency_in(text),
        unfamiliar=unfamiliar_terms(
            text, [(m.start, m.end) for m in names] + [(s, e) for _, s, e in schools], knowledge
        ),
        profile=profile,
    )
    named = _DEFINED.fullmatch(text)
    known = knowledge.has_question(REGISTRY_NAMES)
    if named and known and named.group(1).upper() in registries(knowledge):
        # "whats AART", "what does ardms stand for": what the registry's letters stand for
        return Meaning(ASK, topic=REGISTRY_NAMES, topic_score=1.0, **base)
    if _MORE.fullmatch(text):
        return Meaning(INFORM, full=True, **base)  # the rest of what was just said
    if _STOP.fullmatch(text):
        return Meaning(STOP, **base)  # "cancel", "never mind": whatever the classifier thinks
    if intents and intents[0][0] == SHARE_PROFILE and (profile.is_empty() or _ASKS.search(text)):
        # "I don't hold any license, which programs would take me?": the question decides,
        # and a statement the rules find nothing in is no statement. The rest of the ranking
        # is read as if the classifier had not had that choice.
        intents = _without_first(intents)
    if intents and intents[0][0] == ASK_HUMAN and not _WANTS_A_PERSON.search(text):
        # "who can I call at Clarkson?" asks for a contact, not for a person to chat with
        intents = _without_first(intents)
    intent, confidence = intents[0] if intents else (FALLBACK, 0.0)
    runner_up = intents[1][1] if len(intents) > 1 else 0.0
    sure = confidence >= INTENT_THRESHOLD and confidence - runner_up >= INTENT_MARGIN
    if intent in (FILTER, RANK, COMPARE, LIST) and len(intents) > 1 and not profile.is_empty():
        # "im ARDMS registered, want the quickest option": a statement about themselves and a
        # request; the statement explains the classifier's doubt between the two
        sure = sure or (intents[1][0] == SHARE_PROFILE and confidence >= INTENT_THRESHOLD)
    if intent == FILTER and confidence >= INTENT_THRESHOLD and _strong_constraints(text, knowledge):
        # "Is there a program accredited by the Higher Learning Commission?": an accreditor,
        # money, time or a start term named make a filter, however close a question came
        sure = True
    best, score = guess.best
    clear = best is not None and (score >= CONFIDENT or (score >= AGREED and guess.nearest == best))
    blanks = _blank_pair(guess, knowledge)

    if intent == COMPARE and not programs and not base["reference"] and _THE_SHOWN.search(text):
        base["reference"] = "all"
    if _bare_follow_up(text, names) and (programs or states):
        # "what about the Harrisburg program?", "and EFSC?": the last question, another program
        return Meaning(INFORM, **base)
    if base["reference"] and not names and not _CHECKED.search(text) and _bare_reference(text):
        # "and the first two?", "what about the others?": the last question, about them
        return Meaning(INFORM, **base)
    follow_up = len(text.split()) <= FOLLOW_UP_WORDS and _FOLLOWING_ON.search(text)
    if base["residency"] and follow_up and not programs and not clear:
        return Meaning(INFORM, **base)  # "and for everyone else?" after a tuition answer
    if _BEST.search(text) and (programs or _POINTING.search(text)):
        # "is that my best option?": checked against what the student told
        return Meaning(RANK, rank_by="fit", checking=True, **base)
    figure = _FIGURE.search(text)
    compared = _CHECKED.search(text) and (programs or base["reference"])
    if (_CHECK.search(text) and compared) or (_TAG.search(text) and figure):
        # "so clarkson is cheaper for me now, right?", "so its 9739 a semester for me, right?":
        # yes, no or it depends, with the reason
        rank_by, _ = ranking_of(text)
        amount = parse_budget(text[figure.start() :], bare=True) if figure else None
        return Meaning(RANK, rank_by=rank_by, checking=True, figure=amount, **base)
    statement = not profile.is_empty() and not _ASKS.search(text)
    advising = sure and intent in (FILTER, RANK, COMPARE, LIST)
    changes = not profile.is_empty() and _CHANGES_THINGS.search(text)
    if _ABOUT_ME.search(text) or (statement and not advising) or changes:
        # "actually I moved to Ohio" (whatever topic it resembles), "what do you know about me"
        return Meaning(SHARE_PROFILE, **base)
    if intent == ASK and len(intents) > 1:
        # "how does it stack up against Weber State?": no topic, and comparing was the
        # classifier's next thought; "is there a program accredited by the HLC?": a
        # constraint, and filtering was its next thought.
        second, second_confidence = intents[1]
        runner_up = second in (FILTER, RANK, COMPARE, LIST)
        # A question with a likely topic is not a list ("What are PACS certificates?": two
        # definitions in doubt); it is a filter only with real constraints.
        fits = (not clear and (second != LIST or score < TENTATIVE)) or (
            second == FILTER and _strong_constraints(text, knowledge)
        )
        if runner_up and second_confidence >= ADVISING_RUNNER_UP and fits:
            intent, confidence, sure = second, second_confidence, True
    one = base["reference"] in _ONE_PROGRAM and not _CHECKED.search(text)
    if base["reference"] and clear and (one or intent not in (FILTER, RANK, COMPARE, LIST)):
        # "how much is the third one?", "the last one, whats it cost": a question about a
        # program of the list shown
        return Meaning(ASK, topic=best, topic_score=round(score, 3), **base)
    if sure and intent in (FILTER, RANK, COMPARE, LIST):
        topic = best if clear else None
        agreed = clear and guess.nearest == best
        decided = _advising(text, intent, confidence, knowledge, base, topic, score, agreed)
        if statement and decided.intent in (LIST, ASK):
            return Meaning(SHARE_PROFILE, **base)  # "i live in utah": nothing to look for
        return decided
    if sure and intent == OUT_OF_SCOPE:
        # Only a question the library clearly holds ("what's the salary?") beats it.
        if clear and guess.similarity >= OUT_OF_SCOPE_SIMILARITY:
            return Meaning(ASK, topic=best, topic_score=round(score, 3), **base)
        return Meaning(OUT_OF_SCOPE, **base)
    if sure and intent == ADVICE and _certain(guess):
        # "Who should I go to for the latest information?" asks for the contact, not for
        # help choosing a program.
        return Meaning(ASK, topic=best, topic_score=round(score, 3), **base)
    if sure and intent == INFORM and confidence >= SURE_FOLLOW_UP and not clear:
        # "and at Clarkson?", "what about the Harrisburg program?": the same question again
        return Meaning(INFORM, **base)
    if sure and intent not in (ASK, INFORM, SHARE_PROFILE):
        return Meaning(intent, **base)  # greet, thank, get_advice, ...
    if clear:
        # "I'm ARRT registered, can I get into EFSC?": the question, answered for them
        return Meaning(ASK, topic=best, topic_score=round(score, 3), **base)
    if statement:
        return Meaning(SHARE_PROFILE, **base)  # "actually I moved to Ohio"
    if blanks:
        # Two blank topics share the doubt: the honest answer names both.
        return Meaning(
            ASK, topic=blanks[0], topic_score=round(score, 3), alternatives=blanks, **base
        )
    close = tuple(t for t, p in guess.ranking[:ALTERNATIVES] if p >= UNSURE)
    answerable = best is not None and knowledge.has_question(best)
    if programs and best and answerable and score >= TENTATIVE and knowledge.question(best).fact:
        # A program is named and its likeliest fact is known: answer it, and offer the
        # other readings beside the answer rather than asking first.
        return Meaning(
            ASK,
            topic=best,
            topic_score=round(score, 3),
            alternatives=close[1:],
            tentative=True,
            **base,
        )
    if states and not programs:
        # "is there a PACS program in Texas?": where programs are
        return Meaning(FILTER, constraints=Constraints(states=states), **base)
    if (programs or base["unknown_schools"]) and not close:
        return Meaning(ASK, topic="program_overview", **base)
    if close:
        return Meaning(FALLBACK, topic_score=round(score, 3), alternatives=close, **base)
    return Meaning(FALLBACK, **base)


def _without_first(intents: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    """The classifier's ranking as if it had not had its first choice."""
    rest = 1.0 - intents[0][1]
    return [(name, p / rest if rest > 0 else p) for name, p in intents[1:]]


def _certain(guess: TopicGuess) -> bool:
    """The library is nearly certain of the topic, and an example phrasing close to the
    message says the same."""
    best, score = guess.best
    return (
        score >= NEARLY_CERTAIN_TOPIC
        and guess.nearest == best
        and guess.similarity >= OUT_OF_SCOPE_SIMILARITY
    )


def _strong_constraints(text: str, knowledge: Knowledge) -> bool:
    """Constraints beyond a mention of online study or a state ("is the Utah program
    online?" asks about the program in Utah): an accreditor, money, time, a start term."""
    wanted = replace(parse(text, knowledge), states=(), fully_online=None)
    return not wanted.is_empty()


# How a follow-up opens: "and for everyone else?", "what about non-residents?"
_FOLLOWING_ON = re.compile(
    r"^\s*(?:and|but|so|ok|okay|what about|how about|what if|same for|for)\b|\belse\b",
    re.IGNORECASE,
)
# The words that may surround a name in a follow-up: "what about the Florida school?",
# "the one in Omaha", "same question for Clarkson", "ok and EFSC then?"
_FOLLOW_UP_WORDS = frozenset(
    {
        "and", "ok", "okay", "so", "then", "also", "what", "how", "about", "same", "thing",
        "question", "for", "at", "of", "the", "one", "that", "this", "these", "school", "college",
        "program", "programme", "course", "in", "please", "too", "instead", "a", "an",
        "resident", "residents", "student", "students", "someone", "me", "from",
    }
)  # fmt: skip


# A closing condition: ", if i get registered later?"
_CONDITION = re.compile(r",\s*(?:if|once|when|assuming)\b[^,]*$", re.IGNORECASE)


def _bare_follow_up(text: str, names: Sequence[NameMatch]) -> bool:
    """The message is only names of programs (or of their cities or states) with "and",
    "what about" and the like: the last question, asked again about them."""
    if not names:
        return False
    # "and eastern florida, if i get registered later?": the condition is not a new question
    text = _CONDITION.sub("", text)
    names = [m for m in names if m.end <= len(text)]
    masked = text
    for match in sorted(names, key=lambda m: -m.start):
        masked = masked[: match.start] + " " + masked[match.end :]
    words = re.findall(r"[a-z']+", masked.lower())
    return all(word in _FOLLOW_UP_WORDS for word in words)


def _bare_reference(text: str) -> bool:
    """The message is only a reference to programs shown, with "and", "what about" and the
    like around it."""
    rest = _REFERENCE.sub(" ", text, count=1)
    return all(word in _FOLLOW_UP_WORDS for word in re.findall(r"[a-z']+", rest.lower()))


def _blank_pair(guess: TopicGuess, knowledge: Knowledge) -> tuple[str, ...]:
    """The two most likely topics, when both are blanks and together likely enough."""
    top = guess.ranking[:2]
    if len(top) < 2 or top[0][1] + top[1][1] < BLANK_PAIR:
        return ()
    if not all(knowledge.has_question(t) and knowledge.question(t).blank for t, _ in top):
        return ()
    return (top[0][0], top[1][0])


def _advising(
    text: str,
    intent: str,
    confidence: float,
    knowledge: Knowledge,
    base: dict[str, Any],
    topic: str | None,
    score: float,
    agreed: bool,
) -> Meaning:
    """``agreed``: the topic's classifier and its nearest example phrasing agree."""
    wanted = parse(text, knowledge)
    # Only the states asked about: "im in florida. whats the fastest" ranks every program.
    wanted = replace(wanted, states=tuple(s for s in wanted.states if s in base["states"]))
    rank_by, descending = ranking_of(text)
    # "online" alone is a weak cue ("software requirements of the online programs?", "do
    # online programs charge out-of-state tuition?") that a nearly certain topic outweighs,
    # or a confident one its nearest example agrees with, or a program named ("what does
    # Oregon Tech offer online?" asks whether it is online).
    only_online = wanted == Constraints(fully_online=True)
    outweighed = score >= NEARLY_CERTAIN_TOPIC or (agreed and score >= CONFIDENT)
    weak = wanted.is_empty() or (only_online and outweighed)
    if topic and intent in (LIST, FILTER) and knowledge.has_question(topic):
        entry = knowledge.question(topic)
        # "What payment options are available?", "do all states require licensure?": a
        # question the library holds, with no per-program answer, is not a list. A filter
        # that carries real constraints stays a filter.
        listed = intent == LIST and score >= CLEAR_TOPIC and confidence < SURE_LIST
        if (entry.blank or not entry.fact) and (listed or (intent == FILTER and weak)):
            return Meaning(ASK, topic=topic, topic_score=round(score, 3), **base)
        if base["programs"] and (weak or only_online):
            # "what does Oregon Tech offer online?" asks about the program named
            return Meaning(ASK, topic=topic, topic_score=round(score, 3), **base)
    if intent == LIST and not wanted.is_empty():
        intent = FILTER  # "list the online ones": a list with a wish is a filter
    if intent == FILTER and wanted.is_empty():
        # "the most affordable program" names an order, not a constraint.
        ordered = _COST_WORDS.search(text) or _DURATION_WORDS.search(text)
        intent = RANK if ordered else LIST
    return Meaning(
        intent,
        rank_by=rank_by if intent == RANK else None,
        descending=descending if intent == RANK else False,
        unit=unit_in(text) if intent == RANK and rank_by == "cost" else None,
        constraints=wanted if intent == FILTER else Constraints(),
        **base,
    )
