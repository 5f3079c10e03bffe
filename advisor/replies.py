"""Every sentence the advisor builds, in one place.

Fixed texts (greeting, out-of-scope, rephrase) live in ``domain.yml``; the sentences here are
the ones that carry facts, the form's questions and buttons, and the channels' answers to bad
input. Two kinds of phrase come from elsewhere and are assembled here: a tuition figure's
wording (``advisor.tuition``: "$632 per credit hour") and the reason an advice judges a
program by (``advisor.advising``: "takes three years"). Each function takes the snapshot it
reads from, so a reply can never mix two versions of the file. When a field is empty the
reply says so and where to ask — it never fills the gap.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

from advisor.advising import Outcome, Ranked, Verdict
from advisor.bottom_line import Answer, BottomLine, Fit
from advisor.knowledge import (
    FACT_FIELDS,
    Knowledge,
    OnlineStatus,
    Program,
    QuestionTopic,
    Residency,
    Topic,
    Unit,
    drop_article,
)
from advisor.profile import Profile
from advisor.tuition import UNIT_LABELS, applicable, derived_totals, describe, money

# What each fact is called in a sentence ("I don't have information about <label> ...").
FACT_LABELS: dict[str, str] = {
    "cost": "the tuition",
    "admission": "the admission requirements",
    "online": "whether the program can be taken online",
    "duration": "how long the program takes",
    "location": "the location",
    "accreditation": "the accreditation",
    "financial_aid": "financial aid",
    "start_terms": "the start terms",
    "credential": "the credential and credit hours",
    "exams": "certification-exam eligibility",
    "continuing_education": "whether its courses count as continuing education",
    "licence": "whether a license or registry is required to enroll",
    "contact": "an admissions contact",
    "overview": "the program",
}
FACTS = tuple(FACT_LABELS)
assert set(FACTS) == set(FACT_FIELDS), "every fact of the question library needs a label"


def join_words(items: Sequence[str], last: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def where_to_ask(program: Program) -> str:
    """The published admissions contact, or the honest general pointer when there is none."""
    contact = program.contact
    if contact:
        routes = [r for r in (contact.email, contact.phone, contact.url) if r]
        if routes:
            office = contact.office or f"{program.name} admissions"
            return f"You can ask {office}: {join_words(routes, 'or')}."
    return f"Please ask {program.name}'s admissions office directly."


def unknown(program: Program, fact: str) -> str:
    return (
        f"I don't have information about {FACT_LABELS[fact]} for {program.name}. "
        f"{where_to_ask(program)}"
    )


def _cost(program: Program, knowledge: Knowledge, residency: Residency | None = None) -> str | None:
    figures = applicable(program, residency)
    if not figures:
        return None
    lines = [
        f"Estimated tuition at {program.name}: " + "; ".join(describe(f) for f in figures) + "."
    ]
    totals = [
        t
        for t in derived_totals(program)
        if residency is None or t.residency in (residency, Residency.ANY)
    ]
    for total in totals:
        lines.append(f"For the whole program that comes to {money(total.amount)} ({total.basis}).")
    per_credit = any(f.unit is Unit.PER_CREDIT for f in figures)
    if per_credit and not totals:
        lines.append("I don't know the program's credit hours, so I can't give a total.")
    return " ".join(lines)


def _admission(program: Program, knowledge: Knowledge) -> str | None:
    admission = program.admission
    if admission.summary:
        return f"Admission to {program.name}: {admission.summary}"
    if admission.licensure_required:
        return (
            f"{program.name} requires a license from "
            f"{join_words(admission.licensure_required, 'or')}."
        )
    if admission.standalone:
        return f"{program.name}'s program is stand-alone: no admission to the institution needed."
    typical = knowledge.topic("admission_requirements")
    return (
        f"I don't have {program.name}'s own admission requirements. Nearly all PACS programs ask "
        f"for {join_words(typical.points)}. {where_to_ask(program)}"
    )


def _online(program: Program, knowledge: Knowledge) -> str | None:
    status = program.online.status
    note = f" {program.online.note}" if program.online.note else ""
    if status is OnlineStatus.FULLY_ONLINE:
        return f"Yes — {program.name}'s PACS program can be taken online.{note}"
    if status is OnlineStatus.DISTANCE_OPTIONS:
        return f"{program.name} offers distance learning.{note}"
    if status is OnlineStatus.ON_CAMPUS:
        return f"No — {program.name}'s program is taught on campus.{note}"
    return None


def _duration(program: Program, knowledge: Knowledge) -> str | None:
    if not program.duration:
        return None
    return f"{program.name}: the expected time to completion is {program.duration.text}."


def _location(program: Program, knowledge: Knowledge) -> str | None:
    place = program.location
    return f"{program.name} is in {place.city}, {place.state}."


def _accreditation(program: Program, knowledge: Knowledge) -> str | None:
    body = program.accreditation
    if not body:
        return None
    abbreviation = f" ({body.abbreviation})" if body.abbreviation else ""
    return f"{program.name} is accredited by the {drop_article(body.body)}{abbreviation}."


def _financial_aid(program: Program, knowledge: Knowledge) -> str | None:
    aid = program.financial_aid
    note = f" {aid.note}" if aid.note else ""
    if aid.available is True:
        return f"Yes, financial aid is available for {program.name}'s program.{note}"
    if aid.available is False:
        return f"No financial aid is available for {program.name}'s PACS program.{note}"
    return None


def _start_terms(program: Program, knowledge: Knowledge) -> str | None:
    if not program.start_terms:
        return None
    return f"At {program.name} you can start in the {join_words(program.start_terms, 'or')}."


def _credential(program: Program, knowledge: Knowledge) -> str | None:
    credential = program.credential
    if not credential.name and not credential.credit_hours:
        return None
    parts = [f"{program.name} awards: {credential.name or 'a PACS credential'}."]
    if credential.note:
        parts.append(credential.note)
    if credential.credit_hours:
        parts.append(f"The program is {credential.credit_hours} credit hours.")
    else:
        parts.append("I don't have the number of credit hours.")
    return " ".join(parts)


def _exams(program: Program, knowledge: Knowledge | None = None) -> str | None:
    cert = program.certification
    parts = []
    if cert.prepares_for:
        parts.append(f"{program.name}'s program prepares you for {cert.prepares_for}.")
    if cert.abii_note:
        parts.append(cert.abii_note)
    elif cert.abii_exam_eligible is True:
        parts.append("It qualifies you for the ABII examination.")
    if cert.continuing_education:
        parts.append(
            "Its courses count toward the continuing-education requirements of "
            f"{join_words(cert.continuing_education)}."
        )
    if cert.abii_exam_eligible is None and not cert.abii_note:
        parts.append("I don't have information on ABII exam eligibility for it.")
    return " ".join(parts) if parts else None


def _licence(program: Program, knowledge: Knowledge) -> str | None:
    required = program.admission.licensure_required
    if required:
        return f"Yes — {program.name} requires a license from {join_words(required, 'or')}."
    return None


def _continuing_education(program: Program, knowledge: Knowledge) -> str | None:
    bodies = program.certification.continuing_education
    if not bodies:
        return None
    return (
        f"{program.name}'s courses count toward the continuing-education requirements of "
        f"{join_words(bodies)}."
    )


def _contact(program: Program, knowledge: Knowledge) -> str | None:
    contact = program.contact
    if not contact or not any((contact.email, contact.phone, contact.url)):
        return (
            f"I don't have an admissions contact for {program.name} in my records. "
            f"Please reach {program.name}'s admissions office through the school's own website."
        )
    return where_to_ask(program)


def _overview(program: Program, knowledge: Knowledge) -> str | None:
    lines = [f"{program.name} ({program.location.city}, {program.location.state})"]
    if program.credential.name:
        lines.append(f"- Credential: {program.credential.name}")
    if program.duration:
        lines.append(f"- Time to completion: {program.duration.text}")
    if program.tuition:
        lines.append("- Tuition: " + "; ".join(describe(f) for f in program.tuition))
    if program.accreditation:
        lines.append(
            f"- Accreditation: {program.accreditation.abbreviation or program.accreditation.body}"
        )
    online = {
        OnlineStatus.FULLY_ONLINE: "yes",
        OnlineStatus.DISTANCE_OPTIONS: "distance learning offered",
        OnlineStatus.ON_CAMPUS: "no, on campus",
    }.get(program.online.status, "not stated")
    lines.append(f"- Online: {online}")
    if program.admission.licensure_required:
        lines.append(
            f"- Requires a license: {join_words(program.admission.licensure_required, 'or')}"
        )
    return "\n".join(lines)


ANSWERS: dict[str, Callable[[Program, Knowledge], str | None]] = {
    "cost": _cost,
    "admission": _admission,
    "online": _online,
    "duration": _duration,
    "location": _location,
    "accreditation": _accreditation,
    "financial_aid": _financial_aid,
    "start_terms": _start_terms,
    "credential": _credential,
    "exams": _exams,
    "continuing_education": _continuing_education,
    "licence": _licence,
    "contact": _contact,
    "overview": _overview,
}


def fact(
    knowledge: Knowledge, program_id: str, fact_name: str, residency: Residency | None = None
) -> str:
    """The answer about one fact of one program — or the honest 'I don't have that'.
    ``residency`` narrows a tuition answer ("and for everyone else?")."""
    program = knowledge.program(program_id)
    if fact_name == "cost":
        return _cost(program, knowledge, residency) or unknown(program, fact_name)
    return ANSWERS[fact_name](program, knowledge) or unknown(program, fact_name)


def facts(
    knowledge: Knowledge,
    program_ids: Sequence[str],
    fact_name: str,
    residency: Residency | None = None,
    profile: Profile | None = None,
) -> list[str]:
    """One answer per program. With the student's ``profile``, a tuition answer gives the
    figures that apply to them and says what it assumed ("For you, as a Utah resident:"),
    and a license answer says whether they meet the requirement."""
    profile = profile or Profile()
    answers = []
    assumed = False
    for program_id in program_ids:
        program = knowledge.program(program_id)
        theirs = residency or (profile.residency_at(program) if fact_name == "cost" else None)
        assumed |= residency is None and theirs is not None and _by_residency(program)
        answer = fact(knowledge, program_id, fact_name, theirs)
        meets = _meets_license(program, profile) if fact_name in ("admission", "licence") else ""
        answers.append(f"{answer} {meets}".strip())
    if assumed and answers:
        answers[0] = f"{for_you(profile)} {answers[0]}"
    return answers


def for_you(profile: Profile) -> str:
    """What an answer assumed about the student, said first."""
    if not profile.state:
        return ""
    article = "an" if profile.state[0] in "AEIO" else "a"  # "an Ohio", "a Utah"
    return f"For you, as {article} {profile.state} resident:"


def _by_residency(program: Program) -> bool:
    return any(f.residency is not Residency.ANY for f in program.tuition)


def _meets_license(program: Program, profile: Profile) -> str:
    """ "As an ARRT-registered technologist, you meet that requirement." — only from what
    the student said and what the file requires."""
    required = program.admission.licensure_required
    if not required or profile.licensed is None:
        return ""
    held = [r for r in profile.registries if r in required]
    if held:
        return (
            f"You qualify on that count: as {_article(held[0])} {held[0]}-registered "
            "technologist, you meet the license requirement."
        )
    if profile.licensed is False:
        return "Without a license, you would not meet that requirement yet."
    return f"If your registration is with {join_words(required, 'or')}, you meet it."


def _article(word: str) -> str:
    return "an" if word[:1].upper() in "AEFHILMNORSX" else "a"


def noted(profile: Profile) -> str:
    """What the student just told about themselves, said back so they can correct it."""
    said = _about(profile)
    if not said:
        return "Noted."
    return f"Noted: {join_words(said)}. I'll take that into account."


def what_i_know(profile: Profile, knowledge: Knowledge) -> str:
    """ "What do you know about me?": the profile as it stands, and how to change it (the
    registries named are those the programs of the file require)."""
    said = _about(profile)
    if not said:
        registries = list(
            dict.fromkeys(r for p in knowledge.programs for r in p.admission.licensure_required)
        )
        registered = f" (e.g. {', '.join(registries)})" if registries else ""
        return (
            "You haven't told me anything about yourself yet. Tell me where you live, whether "
            f"you're registered{registered}, or your budget, and I'll use it."
        )
    return f"So far: {join_words(said)}. Tell me if anything has changed."


def _about(profile: Profile) -> list[str]:
    said = []
    if profile.state:
        said.append(f"you live in {profile.state}")
    if profile.registries:
        said.append(f"you're {join_words(list(profile.registries))}-registered")
    elif profile.licensed is True:
        said.append("you're a registered technologist")
    elif profile.licensed is False:
        said.append("you don't have a license yet")
    if profile.online_only:
        said.append("you need to study online")
    elif profile.online_only is False:
        said.append("studying on campus would work for you")
    if profile.budget:
        unit = f" {UNIT_LABELS[profile.budget.unit]}" if profile.budget.unit else ""
        said.append(f"your budget is {money(profile.budget.amount)}{unit}")
    if profile.months:
        said.append(f"you'd like to finish within {profile.months} months")
    if profile.credential:
        said.append(f"you'd prefer a {profile.credential}")
    return said


_AID: dict[bool | None, str] = {True: "available", False: "not available"}

# How a program can be studied, in a few words.
_ONLINE_BRIEF = {
    OnlineStatus.FULLY_ONLINE: "fully online",
    OnlineStatus.DISTANCE_OPTIONS: "distance learning offered",
    OnlineStatus.ON_CAMPUS: "on campus",
}


# One short line per program, for a question that names none ("How long does the program
# take?"): every program's answer at once, instead of a menu. (heading, line per program)
_BRIEF: dict[str, tuple[str, Callable[[Program], str | None]]] = {
    "cost": ("Estimated tuition", lambda p: "; ".join(describe(f) for f in p.tuition) or None),
    "duration": ("Expected time to completion", lambda p: p.duration.text if p.duration else None),
    "online": ("Online study", lambda p: _ONLINE_BRIEF.get(p.online.status)),
    "location": ("Location", lambda p: f"{p.location.city}, {p.location.state}"),
    "accreditation": (
        "Accreditation",
        lambda p: (
            f"{drop_article(p.accreditation.body)}"
            + (f" ({p.accreditation.abbreviation})" if p.accreditation.abbreviation else "")
        )
        if p.accreditation
        else None,
    ),
    "financial_aid": (
        "Financial aid",
        lambda p: _AID.get(p.financial_aid.available),
    ),
    "start_terms": (
        "Start terms",
        lambda p: join_words(p.start_terms, "or") if p.start_terms else None,
    ),
    "credential": (
        "Credential",
        lambda p: ", ".join(
            part
            for part in (
                p.credential.name,
                f"{p.credential.credit_hours} credit hours" if p.credential.credit_hours else None,
            )
            if part
        )
        or None,
    ),
    "exams": ("Certification exams", lambda p: _exams(p) if _exams_known(p) else None),
    "continuing_education": (
        "Courses counting as continuing education",
        lambda p: "for " + join_words(p.certification.continuing_education)
        if p.certification.continuing_education
        else None,
    ),
    "licence": (
        "License required to enroll",
        lambda p: "yes: " + join_words(p.admission.licensure_required, "or")
        if p.admission.licensure_required
        else None,
    ),
    "admission": (
        "Admission",
        lambda p: p.admission.summary
        or (
            "a license from " + join_words(p.admission.licensure_required, "or")
            if p.admission.licensure_required
            else None
        ),
    ),
    "contact": ("Admissions contact", lambda p: where_to_ask(p) if p.contact else None),
}
NOT_IN_RECORDS = "not in my records"


def _exams_known(program: Program) -> bool:
    cert = program.certification
    return bool(cert.prepares_for or cert.abii_note or cert.abii_exam_eligible is not None)


def each_program(knowledge: Knowledge, fact_name: str) -> str:
    """Every program's answer to one question, one numbered line each (numbered, so that
    "the second one" can follow)."""
    if fact_name not in _BRIEF:
        return program_list(knowledge)
    heading, line = _BRIEF[fact_name]
    lines = [f"{heading}, for each of the {len(knowledge.programs)} programs I know:"]
    for number, program in enumerate(knowledge.programs, start=1):
        lines.append(f"{number}. {program.name}: {line(program) or NOT_IN_RECORDS}")
    lines.append("Pick one for the details.")
    return "\n".join(lines)


def not_known(
    entries: Sequence[QuestionTopic], programs: Sequence[Program], offers: bool = False
) -> str:
    """Blanks of the question library: say what is not known, by name, and where to ask —
    for each program asked about, its own office. Several entries when the question could
    mean either; each is named. ``offers``: buttons of what is known follow."""
    what = join_words([e.name for e in entries], "or")
    offices = list(dict.fromkeys(e.office for e in entries))
    after = f"\n{RELATED_INTRO}" if offers else ""
    if not programs:
        return (
            f"I don't have information about {what}: the program facts I answer from don't "
            f"include it. {_capital(join_words(offices, 'or'))} can tell you.{after}"
        )
    names = join_words([p.name for p in programs])
    routes = [
        where_to_ask(p)
        if p.contact
        else f"{_possessive(p.name)} {_office_noun(offices[0])} can tell you."
        for p in programs
    ]
    return f"I don't have information about {what} for {names}. " + " ".join(routes) + after


def _office_noun(office: str) -> str:
    """ "the school's financial aid office" -> "financial aid office"."""
    return office.removeprefix("the school's ").removeprefix("the ")


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


RELATED_INTRO = "What I can tell you about:"
OR_DID_YOU_MEAN = "If you meant something else, I can also tell you about:"


def topic_button(entry: QuestionTopic, program_ids: Sequence[str] = ()) -> dict[str, str]:
    """A button that asks the library topic again, by id (no NLU needed)."""
    entities: dict[str, str] = {"topic": entry.id}
    if len(program_ids) == 1:
        entities["program"] = program_ids[0]
    return {"title": _capital(entry.name), "payload": f"/ask_question{json.dumps(entities)}"}


# How that reply opens; `make report` counts the schools students asked about by it.
NO_RECORDS_OPENING = "I have no records for"


def unknown_school(knowledge: Knowledge, names: Sequence[str]) -> str:
    """A school the file does not hold: never answered as another program."""
    known = join_words([p.name for p in knowledge.programs])
    return (
        f"{NO_RECORDS_OPENING} {join_words(list(names), 'or')}. "
        f"I know these {len(knowledge.programs)} PACS programs: {known}."
    )


def unknown_beside(names: Sequence[str], programs: Sequence[Program]) -> str:
    """ "Oregon Tech or MIT?": the unknown school is named as unknown before the answer about
    the known one, so the answer is not read as covering both."""
    return (
        f"{NO_RECORDS_OPENING} {join_words(list(names), 'or')}, "
        f"so this is about {join_words([p.name for p in programs])} only."
    )


# How the "not understood" replies open; `make report` counts them by it.
NOT_UNDERSTOOD_OPENINGS = (
    "I'm not sure what you'd like to know",
    "Sorry, I didn't understand your question",
)


# How a reply opens that names what the question asked about and the file never mentions.
NOTHING_ABOUT_OPENING = "I have nothing about"


def unfamiliar(terms: Sequence[str], entry: QuestionTopic | None = None) -> str:
    """ "Is the GRE required?": the term the file never mentions is named first, so that what
    follows (the admission requirements) is not read as saying anything about it."""
    said = f"{NOTHING_ABOUT_OPENING} {join_words(list(terms), 'or')} in my records."
    if entry is None or entry.blank:
        return said
    return f"{said} What I do have on {entry.name}:"


def clarify(
    alternatives: Sequence[QuestionTopic],
    programs: Sequence[Program],
    terms: Sequence[str] = (),
) -> str:
    """Below the confidence threshold: what was understood, and the closest topics; first,
    any term of the question the file never mentions."""
    about = f" about {join_words([p.name for p in programs])}" if programs else ""
    if terms:
        closest = " Did you mean one of these?" if alternatives else ""
        return f"{unfamiliar(terms)}{closest}"
    if not alternatives:
        return (
            f"{NOT_UNDERSTOOD_OPENINGS[1]}{about}. I answer questions about PACS "
            "certificate programs: cost, admission, online study, duration, location, "
            "accreditation, financial aid, start terms and certification exams."
        )
    return f"{NOT_UNDERSTOOD_OPENINGS[0]}{about}. Did you mean one of these?"


def program_list(knowledge: Knowledge) -> str:
    lines = [f"I know about {len(knowledge.programs)} PACS programs:"]
    lines += [
        f"{n}. {p.name} ({p.location.city}, {p.location.state})"
        for n, p in enumerate(knowledge.programs, start=1)
    ]
    lines.append("Ask me about any of them — cost, admission, online study, duration and more.")
    return "\n".join(lines)


# The same button as in domain.yml's fixed responses (greeting, out of scope, rephrase).
LIST_PROGRAMS_BUTTON = {"title": "Which programs are there?", "payload": "/list_programs"}


# How that reply opens; `make report` counts the states students asked about by it.
NO_PROGRAM_OPENING = "None of the PACS programs in my records is in"


def no_program_in(knowledge: Knowledge, states: Sequence[str]) -> str:
    """For a student who names a state where no program in the file is located."""
    where = join_words(list(dict.fromkeys(p.location.state for p in knowledge.programs)))
    lines = [
        f"{NO_PROGRAM_OPENING} {join_words(list(states), 'or')}. "
        f"The {len(knowledge.programs)} I know are in {where}."
    ]
    online = [p.name for p in knowledge.programs if p.online.status is OnlineStatus.FULLY_ONLINE]
    if online:
        lines.append(f"These are fully online: {join_words(online)}.")
    return " ".join(lines)


# A reply that reads in under 20 seconds on a phone; a longer general text opens with its
# first sentences, and the rest is one button away.
BRIEF_CHARS = 300
BRIEF_WITH_LIST = 400  # a short introduction and the list it introduces
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


def topic_brief(knowledge: Knowledge, topic_id: str) -> tuple[str, bool]:
    """A general topic, phone-sized, and whether anything was cut. A short topic is whole. A
    text that introduces its list ("Nearly all programs ask for:") keeps its first sentence,
    that introduction and the list, when they fit BRIEF_WITH_LIST; otherwise the text is cut
    to its first sentences (at most BRIEF_CHARS, at least one) and the list goes behind the
    button. The ABII topic's lines about each program always stay: they are the answer."""
    whole = topic(knowledge, topic_id)
    if len(whole) <= BRIEF_CHARS:
        return whole, False
    entry: Topic = knowledge.topic(topic_id)
    sentences = _SENTENCE_END.split(entry.text)
    if entry.points and len(sentences) > 2 and sentences[-1].endswith(":"):
        listed = topic(knowledge, topic_id, f"{sentences[0]} {sentences[-1]}")
        if len(listed) <= BRIEF_WITH_LIST:
            return listed, True
    brief = ""
    for sentence in sentences:
        if brief and len(brief) + 1 + len(sentence) > BRIEF_CHARS:
            break
        brief = f"{brief} {sentence}".strip()
    if brief == entry.text:
        return whole, False
    return topic(knowledge, topic_id, brief, points=False), True


def more_button(topic_id: str) -> dict[str, str]:
    """The rest of a long general text (``detail: full``), by topic id."""
    entities = {"topic": topic_id, "detail": "full"}
    return {"title": "Tell me more", "payload": f"/ask_question{json.dumps(entities)}"}


def topic(knowledge: Knowledge, topic_id: str, text: str | None = None, points: bool = True) -> str:
    """A general topic, with the ABII topic completed from what each program says of ABII;
    ``text``: its text cut short, ``points``: whether its list is shown (``topic_brief``)."""
    entry: Topic = knowledge.topic(topic_id)
    lines = [entry.text if text is None else text]
    lines += [f"- {point}" for point in entry.points] if points else []
    if topic_id == "abii":
        for program in knowledge.programs:
            said = _abii_mentions(program)
            if said:
                lines.append(f"- {program.name}: {said}")
    return "\n".join(lines)


def _abii_mentions(program: Program) -> str:
    cert = program.certification
    mentions = []
    if cert.abii_note:
        mentions.append(cert.abii_note)
    elif cert.abii_exam_eligible:
        mentions.append("qualifies you for the ABII examination.")
    if any("ABII" in body for body in cert.continuing_education):
        mentions.append("its courses count toward ABII continuing-education requirements.")
    return " ".join(mentions)


# --- answers given by the channels themselves, before or instead of the bot ---------------

NO_SESSION = "This chat lost its session. Please reload the page to continue."
EMPTY_MESSAGE = "Your message was empty. Please type a question about a PACS program."
NO_ANSWER = (
    "Sorry — I can't look that up right now. Please try again in a minute; if it keeps "
    "happening, contact the school's admissions office."
)


def too_long(length: int, limit: int) -> str:
    return (
        f"Your message is {length:,} characters long; I can read up to {limit:,}. "
        "Please send just your question."
    )


# --- advising: lists, rankings, comparisons ------------------------------------------------


def filtered(verdicts: Sequence[Verdict]) -> tuple[str, list[str]]:
    """The matching programs with why, the possible ones with what is unknown, the others
    with why they were left out. Returns the text and the ids in the order shown."""
    meets = [v for v in verdicts if v.outcome is Outcome.MEETS]
    maybe = [v for v in verdicts if v.outcome is Outcome.UNKNOWN]
    fails = [v for v in verdicts if v.outcome is Outcome.FAILS]
    lines: list[str] = []
    shown = [v.program.id for v in meets + maybe]
    number = 0
    if meets:
        lines.append("These programs match:")
        for verdict in meets:
            number += 1
            why = join_words(verdict.reasons(Outcome.MEETS))
            lines.append(f"{number}. {verdict.program.name}: {why}")
    else:
        lines.append("No program is known to match all of that.")
    if maybe:
        lines.append("These might, but my records don't say:")
        for verdict in maybe:
            number += 1
            why = join_words(verdict.reasons(Outcome.UNKNOWN))
            lines.append(f"{number}. {short_name(verdict.program)}: {why}")
    if fails:
        lines.append(f"Left out: {_left_out(fails)}")
    return "\n".join(lines), shown


def _left_out(verdicts: Sequence[Verdict]) -> str:
    """One line, short names: the reasons matter more than the full names, on a phone."""
    return "; ".join(f"{short_name(v.program)} ({v.reasons(Outcome.FAILS)[0]})" for v in verdicts)


def ruled_out(verdicts: Sequence[Verdict]) -> str:
    """The programs a ranking left out because of what the student told, with why."""
    return f"Left out for you: {_left_out(verdicts)}."


def cost_ranking(
    knowledge: Knowledge,
    groups: Sequence[Ranked],
    considered: Sequence[str],
    dearest: bool = False,
    profile: Profile | None = None,
    unit: Unit | None = None,
) -> tuple[str, list[str]]:
    """Cheapest first (``dearest``: most expensive first) within each group of like figures;
    groups are never merged. A few short lines, for a phone: a line per group that ranks two
    or more, and one line for the figures in units no other program shares.

    When no group holds two of the programs considered, nothing can honestly be called
    cheaper: the reply says so and gives each one's figures. Programs with no tuition in the
    file are named, not dropped. With the student's ``profile``, only the figures that apply
    to them, and it says so. With a ``unit`` ("cheapest per credit hour"), ``groups`` hold only
    that unit's figures, and the programs that state none are named as such."""
    comparable = [g for g in groups if len({e[0] for e in g.entries}) > 1]
    order = "most expensive first" if dearest else "cheapest first"
    lead = f"{for_you(profile)} " if profile and profile.state else ""
    if unit is not None:
        lines = [f"{lead}{_capital(UNIT_LABELS[unit])}, {order}:"]
    elif comparable or len(considered) < 2:
        lines = [f"{lead}Tuition comes in different units, so like with like, {order}:"]
    else:
        lines = [f"{lead}I can't say which is cheaper: their tuition comes in different units."]
    shown: list[str] = []
    for group in comparable:
        names = [f"{short_name(knowledge.program(e[0]))} {e[2]}" for e in group.entries]
        lines.append(f"- {_capital(group.label)}: " + (" > " if dearest else " < ").join(names))
        shown += [e[0] for e in group.entries if e[0] not in shown]
    alone: dict[str, list[str]] = {}
    for group in groups:
        if group not in comparable:
            for entry in group.entries:
                alone.setdefault(entry[0], []).append(entry[3])
    if alone:
        label = "Other units" if comparable else "Each one's figures"
        lines.append(
            f"- {label}: "
            + "; ".join(
                f"{short_name(knowledge.program(pid))} {' or '.join(stated)}"
                for pid, stated in alone.items()
            )
        )
        shown += [pid for pid in alone if pid not in shown]
    missing = [pid for pid in considered if pid not in shown]
    if missing:
        lacking = join_words([short_name(knowledge.program(pid)) for pid in missing])
        if unit is not None:
            lines.append(f"- No figure {UNIT_LABELS[unit]} in my records: {lacking}")
        else:
            lines.append(f"- Not in my records: tuition at {lacking}")
        shown += missing
    return "\n".join(lines), shown


def short_name(program: Program) -> str:
    """The name people use ("Weber State", "HACC"): the first alias, else the name."""
    return program.aliases[0] if program.aliases else program.name


def duration_ranking(tiers: Sequence[Sequence[Program]], longest: bool) -> tuple[str, list[str]]:
    lines = [
        f"From {'longest' if longest else 'fastest'} to {'fastest' if longest else 'longest'}:"
    ]
    shown: list[str] = []
    for number, tier in enumerate(tiers, start=1):
        text = tier[0].duration.text if tier[0].duration else "not in my records"
        names = join_words([p.name for p in tier])
        tie = " (a tie)" if len(tier) > 1 else ""
        lines.append(f"{number}. {names}: {text}{tie}")
        shown += [p.id for p in tier]
    return "\n".join(lines), shown


def comparison_table(knowledge: Knowledge, program_ids: Sequence[str]) -> dict:
    """Side by side: {"columns": [aspect, program...], "rows": [[aspect, value...], ...]}."""
    programs = [knowledge.program(p) for p in program_ids]
    rows = {
        "Cost": lambda p: "; ".join(describe(f) for f in p.tuition) or "not in my records",
        "Duration": lambda p: p.duration.text if p.duration else "not in my records",
        "Online": lambda p: {
            OnlineStatus.FULLY_ONLINE: "yes",
            OnlineStatus.DISTANCE_OPTIONS: "distance learning offered",
            OnlineStatus.ON_CAMPUS: "no",
        }.get(p.online.status, "not in my records"),
        "Location": lambda p: f"{p.location.city}, {p.location.state}",
        "Accreditation": lambda p: (
            (p.accreditation.abbreviation or p.accreditation.body) if p.accreditation else "?"
        ),
        "Prerequisites": lambda p: (
            "license: " + " / ".join(p.admission.licensure_required)
            if p.admission.licensure_required
            else ("stand-alone, no admission to the school" if p.admission.standalone
                  else "no license requirement in my records")
        ),  # fmt: skip
    }
    return {
        "columns": ["", *(p.name for p in programs)],
        "rows": [[label, *(value(p) for p in programs)] for label, value in rows.items()],
    }


def _brief_units(stated: str) -> str:
    """ "$281 per credit hour" -> "$281/credit hour", for a side-by-side of many programs."""
    for unit, brief in (
        (" per credit hour", "/credit hour"),
        (" per semester", "/semester"),
        (" per year", "/year"),
        (" for the whole program", " total"),
    ):
        stated = stated.replace(unit, brief)
    return stated


# Shorter words for a side-by-side on a phone.
_SHORTER = {NOT_IN_RECORDS: "unknown", "distance learning offered": "distance options"}
# A comparison of more programs than this keeps to cost, time and online study, for a phone.
FULL_COMPARISON = 2


def comparison(
    knowledge: Knowledge, program_ids: Sequence[str], profile: Profile | None = None
) -> str:
    """Side by side as short text lines, for a phone: short names, a value shared by all said
    once; with more than two programs only cost, time and online study (the rest on request).
    With the student's ``profile``, the tuition that applies to them."""
    programs = [knowledge.program(p) for p in program_ids]
    profile = profile or Profile()
    table = comparison_table(knowledge, program_ids)

    def theirs(program: Program) -> str:
        residency = profile.residency_at(program)
        figures = applicable(program, residency)
        stated = " or ".join(describe(f) for f in figures) or NOT_IN_RECORDS
        # A whole-program total the file's figures give, with its basis ("$7,584 in all
        # (12 credit hours x $632)"): comparable with another program's total. Not in the
        # brief side-by-side of many programs, which must fit a phone.
        totals = [
            f"{money(t.amount)} in all ({t.basis})"
            for t in derived_totals(program)
            if (residency is None or t.residency in (residency, Residency.ANY))
            and len(programs) <= FULL_COMPARISON
        ]
        return "; ".join([stated, *totals])

    rows = {label: values for label, *values in table["rows"]}
    rows["Cost"] = [theirs(p) for p in programs]
    if len(programs) > FULL_COMPARISON:
        rows = {k: v for k, v in rows.items() if k in ("Cost", "Duration", "Online")}
        rows["Cost"] = [_brief_units(v) for v in rows["Cost"]]
    rows = {k: [_SHORTER.get(v, v) for v in values] for k, values in rows.items()}
    names = [short_name(p) for p in programs]
    lead = f"{for_you(profile)} " if profile.state and any(map(_by_residency, programs)) else ""
    lines = [lead + " vs ".join(names)]
    for label, values in rows.items():
        if len(set(values)) == 1:
            lines.append(f"- {label}: {values[0]} ({'both' if len(values) == 2 else 'all'})")
        else:
            pairs = zip(names, values, strict=True)
            lines.append(f"- {label}: " + "; ".join(f"{n} {v}" for n, v in pairs))
    if len(programs) > FULL_COMPARISON:
        lines.append("Ask for location, accreditation or prerequisites.")
    return "\n".join(lines)


def advice(verdicts: Sequence[Verdict], near: Sequence[Verdict]) -> tuple[str, list[str]]:
    """The end of guided advising: the matches with reasons, or the nearest options and
    what would have to change for them."""
    text, shown = filtered(verdicts)
    if near and not any(v.outcome is Outcome.MEETS for v in verdicts):
        lines = ["Closest options, and what would have to change:"]
        lines += [f"- {v.program.name}: {join_words(v.reasons(Outcome.FAILS))}" for v in near]
        text += "\n" + "\n".join(lines)
    return text, shown


# Every question of the advising form can be left: "stop", "cancel", "never mind" or this.
STOP_BUTTON = ("Stop", "/stop")
# The advising form's questions: (text, [(button title, payload)]). They live here rather than
# in domain.yml because `rasa data validate` counts form questions as unused responses.
ADVICE_QUESTIONS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "advice_licensed": (
        "Let's find a program that suits you. Are you already licensed or registered in "
        "medical imaging (ARRT, ARDMS or NMTCB)?",
        [("Yes", "yes"), ("No", "no"), ("Skip", "skip"), STOP_BUTTON],
    ),
    "advice_online": (
        "Must the program be fully online?",
        [("Yes, online", "yes"), ("No", "no"), ("No preference", "skip"), STOP_BUTTON],
    ),
    "advice_months": (
        'How soon do you want to finish? (e.g. "6 months", "a year")',
        [
            ("Within 6 months", "6 months"),
            ("Within a year", "a year"),
            ("No rush", "skip"),
            STOP_BUTTON,
        ],
    ),
    "advice_budget": (
        'What is your budget, and per what? (e.g. "$7,000 a year in-state", "$10,000 in '
        'total", "$500 per credit")',
        [("No fixed budget", "skip"), STOP_BUTTON],
    ),
    "advice_credential": (
        "Are you after a degree or a certificate?",
        [("Certificate", "certificate"), ("Degree", "degree"), ("Either", "skip"), STOP_BUTTON],
    ),
}
ADVICE_NOT_UNDERSTOOD = (
    'Sorry, I didn\'t get that answer. You can also say "skip", or "stop" to leave the questions.'
)
# "Help me choose" again, when the student has already said some of what the form asks.
START_OVER = {"title": "Start over", "payload": '/change_advice{"advice_question": "all"}'}


def advice_from_profile(profile: Profile) -> str:
    """The form starts from what the student has told (and asks only the rest), and says
    so: an answer given in passing or in an earlier round is not silently reused."""
    return f"I'll go by what you've told me: {join_words(_about(profile))}."


# Under the advice, one button per question of the form, to change that answer.
CHANGE_ADVICE: dict[str, str] = {
    "advice_licensed": "Change: license",
    "advice_online": "Change: online",
    "advice_months": "Change: time",
    "advice_budget": "Change: budget",
    "advice_credential": "Change: degree or certificate",
}

NEED_TWO = 'Which programs should I compare? Name two or more, e.g. "Weber vs Clarkson".'


def bottom_line(line: BottomLine, about: str, profile: Profile | None = None) -> str:
    """ "So X is cheaper, right?" -> yes, no or it depends, then the figures it rests on, and
    any assumption said; short, for a phone."""
    subject = short_name(line.estimates[0].program)
    cost = about != "duration"
    word = "cheaper" if cost else "quicker"
    lead = f"{for_you(profile)} " if cost and profile and profile.state else ""
    if line.answer is Answer.YES:
        opening = f"Yes: {subject} comes out {word}."
    elif line.answer is Answer.NO:
        best = min((e for e in line.estimates if e.high is not None), key=lambda e: e.high or 0.0)
        opening = f"No: {short_name(best.program)} comes out {word}."
    elif len({(e.low, e.high) for e in line.estimates}) == 1 and line.estimates[0].low is not None:
        opening = f"No: they take the same time ({line.estimates[0].stated})."
        return lead + opening
    else:
        opening = "It depends, and I can't say for sure:"
    lines = [lead + opening]
    lines += [f"- {short_name(e.program)}: {e.stated}" for e in line.estimates]
    assumptions = list(dict.fromkeys(e.assumption for e in line.estimates if e.assumption))
    if assumptions:
        lines.append(f"Assuming {join_words(assumptions)} (my records don't say).")
    if cost and not (profile and profile.state) and line.answer is Answer.DEPENDS:
        lines.append("Tell me where you live and I'll use the figures that apply to you.")
    unknown = [short_name(e.program) for e in line.estimates if e.low is None]
    if unknown:
        what = "whole-program cost" if cost else "time to completion"
        lines.append(f"My records don't give the {what} of {join_words(unknown)}.")
    return "\n".join(lines)


# --- a person from the admissions team (advisor.handoff, channels.handoff) ------------------

# Every "I don't have ..." the advisor says begins so: the actions count them (a person is
# offered after the second) and `make report` finds them in the tracker store.
NOT_KNOWN_OPENING = "I don't have"


def is_not_known(text: str) -> bool:
    return text.startswith(NOT_KNOWN_OPENING)


def first_sentence(text: str) -> str:
    """ "I don't have information about X for Y. Y's office can tell you." -> its first
    sentence, for the staff summary."""
    line = text.split("\n", 1)[0]
    end = line.find(". ")
    return line[: end + 1] if end > 0 else line


STAFF_NAME = "Admissions team"
ASK_HUMAN_BUTTON = {"title": "Talk to a person", "payload": "/ask_human"}
HANDOFF_OFFER = (
    "I couldn't answer that one either. Would you like a person from the admissions team to help?"
)
HANDOFF_CONFIRM = (
    "I can pass this conversation to the admissions team. They will see a short summary of it "
    "and your last few messages, and answer you here, in this chat. Shall I connect you?"
)
HANDOFF_CONFIRM_BUTTONS = [
    {"title": "Yes, connect me", "payload": '/ask_human{"handoff": "confirm"}'},
    {"title": "No, keep chatting", "payload": "/acknowledge"},
]
HANDOFF_UNAVAILABLE = (
    "I can't connect you to a person from this chat: no staff line is set up for it. What I "
    "can do: answer questions about the PACS programs from the facts I have, compare them, or "
    "help you choose one. For anything I can't answer, the program's own admissions office "
    "is the place to ask."
)
HANDOFF_UNAVAILABLE_BUTTONS = [
    LIST_PROGRAMS_BUTTON,
    {"title": "Help me choose", "payload": "/get_advice"},
]
HANDOFF_STARTED = (
    "Done: the admissions team has your question and the last few messages of this chat. A "
    "person will answer here. You can close this page; their answer will be waiting when you "
    "come back. Until they're finished, I won't answer in between."
)
HANDOFF_QUIET = (
    "An admissions team member is handling this conversation, so I'll stay out of it. Your "
    "messages go to them."
)
HANDOFF_ALREADY = "You're already connected to the admissions team: a person will answer here."
HANDOFF_FAILED = (
    "Sorry, I couldn't reach the admissions team just now, so no one has your question yet. "
    "Please try again in a few minutes."
)
HANDOFF_CLOSED = (
    "The admissions team has finished with this conversation. I'm answering again: ask me "
    "anything about the PACS programs."
)
LEAVE_QUESTION_PAYLOAD = "/leave_question"
HANDOFF_LEAVE_BUTTONS = [
    {"title": "Leave my question", "payload": LEAVE_QUESTION_PAYLOAD},
    {"title": "No, thanks", "payload": "/acknowledge"},
]
HANDOFF_ASK_QUESTION = "Please type your question for the admissions team, in one message."
HANDOFF_ASK_EMAIL = (
    "Thank you. If you'd like the answer by e-mail, type your address; otherwise type "
    '"skip". An address is kept with this conversation only, and deleted with it.'
)
HANDOFF_EMAIL_UNCLEAR = (
    'That doesn\'t look like an e-mail address. Type it again (like name@example.com), or "skip".'
)
HANDOFF_NOTHING_TO_LEAVE = (
    "There's no open request to the admissions team to leave a question for. You can ask for "
    "a person at any time."
)


def waited(seconds: float) -> str:
    """ "5 minutes", "1 minute", "8 seconds": how long nobody answered."""
    if seconds < 60:
        count, unit = round(seconds), "second"
    else:
        count, unit = round(seconds / 60), "minute"
    return f"{count} {unit}{'' if count == 1 else 's'}"


def handoff_timed_out(seconds: float) -> str:
    """Nobody answered in time: said honestly, with the way left open."""
    return (
        f"No one from the admissions team has answered within {waited(seconds)}, sorry. I'm "
        "answering again in the meantime. You can leave your question for them, with an "
        "e-mail address if you'd like the answer that way."
    )


def handoff_out_of_hours(hours: str) -> str:
    """Asked for a person when nobody is in."""
    return (
        f"The admissions team answers {hours}, and no one is there right now, sorry. You can "
        "leave your question for them, with an e-mail address if you'd like the answer that "
        "way. Meanwhile, I'm here."
    )


def handoff_left(with_email: bool) -> str:
    """The question was left for the team."""
    how = " and your e-mail address" if with_email else ""
    return (
        f"The admissions team has your question{how}. If they answer here, you'll see it when "
        "you come back to this page. Meanwhile, ask me anything about the programs."
    )


# What staff read in Slack. The student's words arrive escaped for Slack (channels.handoff).
STAFF_CLOSE_BUTTON = "Close"
STAFF_THREAD_CLOSED = "This hand-off is closed: the student will not see messages here."


def staff_summary(asked: str | None, programs: Sequence[str], unanswered: Sequence[str]) -> str:
    """The post in the staff channel: what was asked, the programs in focus, what the bot
    could not answer — and what to do."""
    lines = ["*A student on the web chat asks for a person.*"]
    lines.append(f"*Asked:* {asked}" if asked else "*Asked:* (nothing yet)")
    lines.append(f"*Programs in focus:* {join_words(programs) if programs else 'none'}")
    if unanswered:
        lines.append("*The bot could not answer:*")
        lines += [f"• {line}" for line in unanswered]
    lines.append(
        "Reply in this thread: the student sees your replies in the web chat, from "
        f'"{STAFF_NAME}". Type `done` or press Close when you are finished.'
    )
    return "\n".join(lines)


def staff_turns(turns: Sequence[tuple[str, str]]) -> str:
    """The last few turns, in the thread: (speaker, text) with speaker "student" or "bot"."""
    lines = ["*The last messages:*"]
    lines += [f"*{'Student' if who == 'student' else 'Bot'}:* {text}" for who, text in turns]
    return "\n".join(lines)


def staff_from_student(text: str) -> str:
    return f"*Student:* {text}"


def staff_closed(user: str | None) -> str:
    who = f"<@{user}>" if user else "staff"
    return f"Closed by {who}. The bot answers the student again."


def staff_timed_out(seconds: float | None) -> str:
    """``seconds`` waited, or None: asked out of office hours."""
    when = f"within {waited(seconds)}" if seconds else "(out of office hours)"
    return (
        f"No reply {when}: the student was told so and offered to leave a question. A reply "
        "here still reaches them."
    )


def staff_question_left(question: str, email: str | None) -> str:
    contact = f"E-mail: {email}" if email else "No e-mail address given: reply here."
    return f"*The student left a question:* {question}\n{contact}"


def figure_confirmed(line: BottomLine, profile: Profile | None = None) -> str:
    """ "so it's 9739 a semester for me, just one semester, right?" -> the whole program's cost
    for them as far as the file allows, with the assumption said."""
    mine = line.estimates[0]
    name = short_name(mine.program)
    lead = f"{for_you(profile)} " if profile and profile.state else ""
    opening = {
        Answer.YES: f"Yes: {name} comes to {mine.stated}.",
        Answer.NO: f"Not by my records: {name} comes to {mine.stated}.",
        Answer.DEPENDS: f"It depends, and my records can't settle it: {name} comes to "
        f"{mine.stated}.",
    }[line.answer]
    lines = [lead + opening]
    if mine.assumption:
        lines.append(f"That assumes {mine.assumption} (my records don't say).")
    return "\n".join(lines)


def best_option(fit: Fit, profile: Profile) -> str:
    """ "Is that my best option?" -> yes (the only program that fits what they told me), no
    (what does not fit), or it depends (on what, and which others fit too). "Best" is the
    student's to weigh: without their wishes, the answer says what it would weigh."""
    program = fit.verdict.program
    name = program.name
    lead = f"{for_you(profile)} " if profile.state else ""
    meets = fit.verdict.reasons(Outcome.MEETS)
    fails = fit.verdict.reasons(Outcome.FAILS)
    unknown = fit.verdict.reasons(Outcome.UNKNOWN)
    others = join_words([short_name(p) for p in fit.others])
    if not fit.wished:
        duration = program.duration.text if program.duration else "time to completion unknown"
        return (
            f"{lead}It depends on what matters most to you. {name}: {fit.cost}; {duration}; "
            f"{_ONLINE_BRIEF.get(program.online.status, 'online study not in my records')}.\n"
            "Tell me what matters most (cost, time, online study, a degree) and I'll check it "
            "against the other programs."
        )
    if fails:
        text = f"{lead}It isn't a match for what you told me: {name} {join_words(fails)}."
        if fit.others:
            fits = "fits" if len(fit.others) == 1 else "fit"
            text += f" {others} {fits} everything you told me."
        return text
    if unknown:
        text = f"{lead}It depends: {name} {join_words(unknown)}."
        return text + (f" It {join_words(meets)}." if meets else "")
    reasons = f" ({join_words(meets)})" if meets else ""
    if not fit.others:
        text = (
            f"{lead}Yes, as far as my records go: {name} is the only program that fits "
            f"everything you told me{reasons}."
        )
    else:
        verb = "does" if len(fit.others) == 1 else "do"
        text = (
            f"{lead}It depends on what matters most to you: {name} fits everything you told "
            f"me{reasons}, and so {verb} {others}."
        )
    if fit.unsure:
        text += (
            f" My records can't say whether {join_words([short_name(p) for p in fit.unsure], 'or')}"
            " would fit."
        )
    return text
