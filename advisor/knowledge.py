"""The knowledge files: schema, loading, validation and look-up.

Admissions staff edit ``knowledge/*.yml`` by hand, so every mistake must come back as a
sentence they can act on: the file, the entry (by its id) and the field. Everything the bot
says about a program is read from the objects defined here; nothing else in the code base
holds a fact. This module imports no Rasa code: the action server and the NLU component
both use it.
"""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Extra, Field, ValidationError, root_validator, validator

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "knowledge"
KNOWLEDGE_DIR_ENV = "PACS_KNOWLEDGE_DIR"


class KnowledgeError(ValueError):
    """A knowledge file cannot be used; the message names file, entry and field."""


class Strict(BaseModel):
    """Unknown keys are typos (``tution:``), not extensions: refuse them."""

    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True
        allow_mutation = False


class Unit(str, Enum):
    PER_CREDIT = "per_credit"
    PER_SEMESTER = "per_semester"
    PER_YEAR = "per_year"
    PROGRAM_TOTAL = "program_total"


class Residency(str, Enum):
    ANY = "any"
    IN_STATE = "in_state"
    OUT_OF_STATE = "out_of_state"


class OnlineStatus(str, Enum):
    FULLY_ONLINE = "fully_online"
    DISTANCE_OPTIONS = "distance_options"
    ON_CAMPUS = "on_campus"
    UNKNOWN = "unknown"


class Location(Strict):
    city: str
    state: str


class Accreditation(Strict):
    body: str
    abbreviation: str | None = None


class Duration(Strict):
    text: str
    min_months: int = Field(..., ge=0)
    max_months: int = Field(..., ge=0)

    @root_validator(skip_on_failure=True)
    def _ordered(cls, values: dict[str, Any]) -> dict[str, Any]:
        if values["min_months"] > values["max_months"]:
            raise ValueError("min_months is larger than max_months")
        return values


class TuitionFigure(Strict):
    amount: float = Field(..., gt=0)
    unit: Unit
    residency: Residency = Residency.ANY
    note: str | None = None


class Admission(Strict):
    standalone: bool | None = None
    institution_admission_required: bool | None = None
    licensure_required: list[str] = []
    summary: str | None = None


class Online(Strict):
    status: OnlineStatus = OnlineStatus.UNKNOWN
    note: str | None = None


class FinancialAid(Strict):
    available: bool | None = None
    note: str | None = None


class CredentialKind(str, Enum):
    DEGREE = "degree"
    CERTIFICATE = "certificate"


class Credential(Strict):
    kind: CredentialKind | None = None
    name: str | None = None
    credit_hours: int | None = Field(default=None, gt=0)
    note: str | None = None


class Certification(Strict):
    prepares_for: str | None = None
    abii_exam_eligible: bool | None = None
    # The condition of eligibility in a few words ("after three years' work in the field"):
    # it travels with every claim of eligibility.
    abii_condition: str | None = None
    abii_note: str | None = None
    continuing_education: list[str] = []


class Contact(Strict):
    """How to reach the program's admissions staff; only what the school published."""

    office: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None


TERMS = ("spring", "summer", "fall", "winter")


class Program(Strict):
    id: str = Field(..., regex=r"^[a-z][a-z0-9_]*$")
    name: str
    aliases: list[str] = []
    location: Location
    accreditation: Accreditation | None = None
    duration: Duration | None = None
    tuition: list[TuitionFigure] = []
    admission: Admission = Admission()
    online: Online = Online()
    financial_aid: FinancialAid = FinancialAid()
    start_terms: list[str] = []
    credential: Credential = Credential()
    certification: Certification = Certification()
    contact: Contact | None = None
    source: str

    @validator("start_terms", each_item=True)
    def _known_term(cls, term: str) -> str:
        if term.lower() not in TERMS:
            raise ValueError(f"'{term}' is not a term; use one of {', '.join(TERMS)}")
        return term.lower()

    @property
    def names(self) -> list[str]:
        """Every name a person might use for the program, official name first."""
        return [self.name, *self.aliases]


class Topic(Strict):
    id: str = Field(..., regex=r"^[a-z][a-z0-9_]*$")
    title: str
    text: str
    points: list[str] = []


# The per-program answers a question-library topic may point to (``fact:``); the wording of
# each lives in ``advisor.replies``.
FACT_FIELDS = ("overview", "cost", "admission", "licence", "online", "duration", "location",
               "accreditation", "financial_aid", "start_terms", "credential", "exams",
               "continuing_education", "contact")  # fmt: skip


class QuestionTopic(Strict):
    """One thing students ask (knowledge/questions.yml). No ``fact`` and no ``general`` means
    the school has not published an answer: the bot says so instead of guessing."""

    id: str = Field(..., regex=r"^[a-z][a-z0-9_]*$")
    name: str
    examples: list[str] = Field(..., min_items=1)
    fact: str | None = None
    general: str | None = None
    office: str = "the school's admissions office"
    related: list[str] = []

    @validator("fact")
    def _known_fact(cls, fact: str | None) -> str | None:
        if fact is not None and fact not in FACT_FIELDS:
            raise ValueError(f"'{fact}' is not one of {', '.join(FACT_FIELDS)}")
        return fact

    @property
    def blank(self) -> bool:
        return self.fact is None and self.general is None


class QuestionsFile(Strict):
    topics: list[QuestionTopic]


class ProgramsFile(Strict):
    programs: list[Program]


class TopicsFile(Strict):
    topics: list[Topic]


TOPIC_IDS = ("what_is_pacs", "pacs_certificate", "admission_requirements", "accreditation", "abii")


@dataclass(frozen=True)
class Knowledge:
    """One consistent, validated snapshot of the knowledge files."""

    programs: tuple[Program, ...]
    topics: tuple[Topic, ...]
    directory: Path
    questions: tuple[QuestionTopic, ...] = ()

    def program(self, program_id: str) -> Program:
        for program in self.programs:
            if program.id == program_id:
                return program
        raise KeyError(program_id)

    def has_program(self, program_id: str) -> bool:
        return any(p.id == program_id for p in self.programs)

    def topic(self, topic_id: str) -> Topic:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise KeyError(topic_id)

    def question(self, topic_id: str) -> QuestionTopic:
        for entry in self.questions:
            if entry.id == topic_id:
                return entry
        raise KeyError(topic_id)

    def has_question(self, topic_id: str) -> bool:
        return any(q.id == topic_id for q in self.questions)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(f"{path}: file not found") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise KnowledgeError(f"{path}:{where}: not valid YAML ({problem})") from None


def _describe(path: Path, raw: Any, list_key: str, error: ValidationError) -> str:
    """Turn pydantic's error list into lines that name the file, the entry and the field."""
    entries = raw.get(list_key) if isinstance(raw, dict) else None
    lines = []
    for item in error.errors():
        loc = list(item["loc"])
        entry = "the file"
        if len(loc) >= 2 and loc[0] == list_key and isinstance(loc[1], int):
            index = loc[1]
            ident = None
            if isinstance(entries, list) and index < len(entries):
                candidate = entries[index]
                ident = candidate.get("id") if isinstance(candidate, dict) else None
            entry = f"entry #{index + 1}" + (f" (id '{ident}')" if ident else "")
            loc = loc[2:]
        field = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc)
        field = field.replace(".[", "[") or "(whole entry)"
        lines.append(f"{path}: {entry}, field '{field}': {item['msg']}")
    return "\n".join(lines)


def _parse(path: Path, model: type[BaseModel], list_key: str) -> Any:
    raw = _read_yaml(path)
    try:
        return model.parse_obj(raw)
    except ValidationError as error:
        raise KnowledgeError(_describe(path, raw, list_key, error)) from None


def _check_consistency(programs: list[Program], topics: list[Topic], directory: Path) -> None:
    """Rules that span entries: unique ids, unique names, the topics the bot relies on."""
    problems = []
    programs_path = directory / "programs.yml"
    seen_ids: dict[str, int] = {}
    seen_names: dict[str, str] = {}
    for index, program in enumerate(programs, start=1):
        if program.id in seen_ids:
            problems.append(
                f"{programs_path}: entry #{index} (id '{program.id}'), field 'id': "
                f"duplicate of entry #{seen_ids[program.id]}"
            )
        seen_ids.setdefault(program.id, index)
        for name in program.names:
            key = normalise(name)
            owner = seen_names.get(key)
            if owner and owner != program.id:
                problems.append(
                    f"{programs_path}: entry #{index} (id '{program.id}'), field 'aliases': "
                    f"'{name}' already names '{owner}'"
                )
            seen_names[key] = program.id
    topic_ids = {t.id for t in topics}
    for missing in [t for t in TOPIC_IDS if t not in topic_ids]:
        problems.append(f"{directory / 'topics.yml'}: topic '{missing}' is missing")
    if problems:
        raise KnowledgeError("\n".join(problems))


def _check_questions(questions: list[QuestionTopic], topics: list[Topic], path: Path) -> None:
    """Ids unique; every ``general`` names a topic of topics.yml, every ``related`` a topic
    of this file."""
    problems = []
    ids = [q.id for q in questions]
    topic_ids = {t.id for t in topics}
    for index, entry in enumerate(questions, start=1):
        where = f"{path}: entry #{index} (id '{entry.id}')"
        if ids.index(entry.id) != index - 1:
            problems.append(f"{where}, field 'id': duplicate of entry #{ids.index(entry.id) + 1}")
        if entry.general and entry.general not in topic_ids:
            problems.append(f"{where}, field 'general': no topic '{entry.general}' in topics.yml")
        for related in entry.related:
            if related not in ids:
                problems.append(f"{where}, field 'related': no topic '{related}' in this file")
    if problems:
        raise KnowledgeError("\n".join(problems))


def drop_article(name: str) -> str:
    """ "The Higher Learning Commission" -> "Higher Learning Commission"."""
    return name[4:] if name.lower().startswith("the ") else name


def normalise(text: str) -> str:
    """Lower-case, punctuation-free form used to compare names."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


def knowledge_dir() -> Path:
    return Path(os.environ.get(KNOWLEDGE_DIR_ENV) or DEFAULT_DIR)


def load(directory: Path | None = None) -> Knowledge:
    """Read and validate ``programs.yml``, ``topics.yml`` and ``questions.yml`` (the question
    library, optional: without it every question is answered as "not understood"); raise
    KnowledgeError on any flaw."""
    directory = Path(directory) if directory else knowledge_dir()
    programs = _parse(directory / "programs.yml", ProgramsFile, "programs").programs
    topics = _parse(directory / "topics.yml", TopicsFile, "topics").topics
    _check_consistency(programs, topics, directory)
    questions: list[QuestionTopic] = []
    if (directory / "questions.yml").exists():
        questions = _parse(directory / "questions.yml", QuestionsFile, "topics").topics
        _check_questions(questions, topics, directory / "questions.yml")
    return Knowledge(
        programs=tuple(programs),
        topics=tuple(topics),
        directory=directory,
        questions=tuple(questions),
    )


class KnowledgeStore:
    """The current knowledge, re-read when a file changes, never replaced by a broken edit.

    Both long-running processes (action server, Rasa server) hold one store. ``current()``
    costs a ``stat`` at most once per ``check_interval`` seconds, so answering stays fast while
    an edit by staff still takes effect within seconds, without restart or retraining.
    """

    def __init__(
        self,
        directory: Path | None = None,
        check_interval: float = 1.0,
        on_error: Any | None = None,
    ) -> None:
        self.directory = Path(directory) if directory else knowledge_dir()
        self.check_interval = check_interval
        self.on_error = on_error
        self.last_error: str | None = None
        self._lock = threading.Lock()
        self._knowledge = load(self.directory)
        self._stamp = self._fingerprint()
        self._checked = time.monotonic()

    def _fingerprint(self) -> tuple[tuple[str, float, int], ...]:
        stamps = []
        for path in sorted(self.directory.glob("*.yml")):
            try:
                info = path.stat()
            except FileNotFoundError:
                continue
            stamps.append((path.name, info.st_mtime, info.st_size))
        return tuple(stamps)

    def current(self) -> Knowledge:
        now = time.monotonic()
        if now - self._checked < self.check_interval:
            return self._knowledge
        with self._lock:
            self._checked = now
            stamp = self._fingerprint()
            if stamp != self._stamp:
                self._stamp = stamp
                try:
                    self._knowledge = load(self.directory)
                    self.last_error = None
                except KnowledgeError as error:
                    self.last_error = str(error)
                    if self.on_error:
                        self.on_error(self.last_error)
        return self._knowledge
