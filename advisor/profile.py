"""What a student says about themselves, kept for the rest of the conversation.

"which is cheaper for me, i live in utah", "im ARRT registered", "it has to be online",
"my budget is $8,000", "i want to be done within a year", "i'd like a degree": said once,
anywhere, in passing. Later answers use it and say so ("For you, as a Utah resident: ...").

Where a student lives is their *residency* (which tuition figure applies to them), not a wish
for schools in that state: "im in florida. whats the fastest" ranks every program. The words
that state the profile are returned with it, so that the rest of the understanding does not
read them again as a filter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from advisor.advising import Budget, Constraints
from advisor.constraints import parse_budget, parse_months
from advisor.knowledge import Program, Residency
from advisor.matching import US_STATE, NameMatch


@dataclass(frozen=True)
class Profile:
    """The student as far as they have told; None: not said."""

    state: str | None = None  # where they live
    licensed: bool | None = None  # a registered or licensed technologist
    registries: tuple[str, ...] = ()  # ARRT, ARDMS, NMTCB
    online_only: bool | None = None
    budget: Budget | None = None
    months: int | None = None  # wants to be done within
    credential: str | None = None  # "degree" or "certificate"

    def is_empty(self) -> bool:
        return self == Profile()

    def merged(self, newer: Profile) -> Profile:
        """What ``newer`` says replaces what was said before ("actually I moved to Ohio");
        what it does not mention stays."""
        said = {f.name: getattr(newer, f.name) for f in fields(self)}
        changes = {k: v for k, v in said.items() if v not in (None, ())}
        if newer.licensed is not None:
            changes["registries"] = newer.registries  # "I don't have a license" drops them
        if newer.budget and newer.budget.unit is None and self.budget and self.budget.unit:
            # "about 15k total", then "what if ... under 8000": still the whole program
            changes["budget"] = replace(newer.budget, unit=self.budget.unit)
        return replace(self, **changes)

    def wishes(self) -> Constraints:
        """What the student is looking for, as a filter: degree or certificate, budget, online,
        time, and (without a license) programs that require none. Where they live is not a
        wish: it decides which tuition applies."""
        return Constraints(
            no_licence=True if self.licensed is False else None,
            fully_online=True if self.online_only else None,
            max_months=self.months,
            budget=self.budget,
            credential=self.credential,
        )

    def tells_wishes(self) -> bool:
        """Says something about what the student looks for, a change of mind included
        ("online doesn't matter"): the programs that fit are worth showing again."""
        wished = (self.online_only, self.budget, self.months, self.credential)
        return any(value is not None for value in wished)

    def forgetting(self, name: str) -> Profile:
        """Without one thing the student said ("Change: budget" in the guided form)."""
        if name not in {f.name for f in fields(self)}:
            raise KeyError(name)
        changes: dict[str, Any] = {name: () if name == "registries" else None}
        if name == "licensed":
            changes["registries"] = ()  # a registry is a license
        return replace(self, **changes)

    def residency_at(self, program: Program) -> Residency | None:
        """In-state where the program is in the student's state, out-of-state elsewhere;
        None when the student has not said where they live."""
        if not self.state:
            return None
        if program.location.state == self.state:
            return Residency.IN_STATE
        return Residency.OUT_OF_STATE

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.budget:
            data["budget"] = self.budget.as_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Profile:
        """Tolerant: a slot written by another version, or garbage, gives what can be read."""
        if not isinstance(data, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        try:
            if values.get("budget"):
                values["budget"] = Budget.from_dict(values["budget"])
            values["registries"] = tuple(values.get("registries") or ())
            return cls(**values)
        except (TypeError, ValueError, KeyError, AttributeError):
            return cls()


# "i live in", "im in", "i'm from", "living in", "moved to", "resident of", "based in"
_I_AM = r"(?:i'?\s*a?m|i\s+am)"
_LIVES_IN = re.compile(
    r"\b(?:i\s+(?:now\s+)?(?:live|reside)\s+in|(?:currently\s+)?living\s+in|"
    rf"{_I_AM}\s+(?:currently\s+|now\s+)?(?:in|from|based\s+in|located\s+in|out\s+in)|"
    r"(?:i|we)\s+(?:just\s+|recently\s+)?moved\s+to|resident\s+of|based\s+in)"
    r"(?:\s+the\s+state\s+of)?\s+$",
    re.IGNORECASE,
)
# "im an arrt registered rad tech in utah": a statement about themselves that ends in a place
# (not "I'm looking for programs in Florida").
_SELF_IN = re.compile(
    rf"\b{_I_AM}\s+(?:(?!\b(?:programs?|schools?|colleges?|courses?|certificates?|certs?|"
    r"degrees?|options?)\b)[^.?!,;]){0,40}?\bin\s+$",
    re.IGNORECASE,
)
# "a Utah resident", "as a texas resident"
_RESIDENT_AFTER = re.compile(r"^\s+resident\b", re.IGNORECASE)
_REGISTERED = re.compile(
    r"\b(?:i'?\s*a?m|i\s+am|i\s+have(?!\s+to\b)|i'?ve\s+got|i\s+hold|i\s+got|i'?m\s+already|my)\b"
    r"[^.?!,;]{0,30}?\b(ARRT|ARDMS|NMTCB)\b"
    r"|\b(?:i'?\s*a?m|i\s+am)\s+(?:an?\s+)?(?:already\s+)?(?:registered|licensed|certified)\b"
    r"[^.?!,;]{0,30}?\b(?:tech|technologist|radiographer|sonographer|therapist)"
    # "im a sonographer, ARDMS registered": said of themselves, at the start of a clause
    r"|(?:^|[,;]\s*)(?:and\s+)?(ARRT|ARDMS|NMTCB)[- ](?:registered|certified|credentialed)\b",
    re.IGNORECASE,
)
_NOT_REGISTERED = re.compile(
    r"\bi(?:\s+am\s+not|\s*'?\s*m\s+not|\s+don'?t\s+have|\s+do\s+not\s+have|\s+have\s+no|"
    r"\s+have\s+never\s+had)\s+(?:yet\s+)?(?:an?\s+|any\s+|my\s+)?"
    r"(?:licen[cs]e|regist(?:r|er)|certif|ARRT|ARDMS|NMTCB|rad\w*)",
    re.IGNORECASE,
)
_ONLINE_ONLY = re.compile(
    r"\b(?:i\s+(?:need|want|have\s+to|must|can\s+only)|(?:it|that)\s+(?:has|needs)\s+to\s+be|"
    r"only\s+(?:interested\s+in|looking\s+at))\b[^.?!]{0,25}\b(?:online|remote|distance)\b",
    re.IGNORECASE,
)
# "online doesn't matter", "i could relocate": no longer needs online study
_ONLINE_OPTIONAL = re.compile(
    r"\bonline\s+(?:doesn'?t|does\s+not|wouldn'?t|won'?t)\s+matter\b|"
    r"\b(?:don'?t|do\s+not)\s+(?:really\s+)?(?:need|have)\s+(?:it\s+)?(?:to\s+be\s+)?online\b|"
    r"\bi\s+(?:could|can|would|am\s+willing\s+to|'?m\s+willing\s+to)\s+(?:re)?locate\b|"
    r"\bon[- ]campus\s+is\s+(?:fine|ok|okay)\b",
    re.IGNORECASE,
)
# "what if i just did a certificate under 8000": a wish tried out
_WHAT_IF = r"what\s+if\s+i\s+(?:just\s+|only\s+)?(?:did|do|went\s+for|go\s+for|got|get|took|take)"
_BUDGET_SAID = re.compile(
    r"\b(?:my\s+budget|i\s+(?:can|could)\s+(?:only\s+)?(?:afford|spend|pay)|"
    r"i\s+have\s+(?:about\s+|around\s+|only\s+)?\$|budget\b[^.?!\d]{0,15}\$?\d|"
    rf"{_WHAT_IF}\b[^.?!]{{0,30}}\b(?:under|below|less\s+than|within|up\s+to)\s+\$?\d)",
    re.IGNORECASE,
)
_SOON_SAID = re.compile(
    r"\bi(?:\s+want|\s+need|'?d\s+like|\s+would\s+like|\s+hope|\s+plan)\s+to\s+(?:finish|be\s+done|complete|"
    r"graduate|get\s+(?:it\s+)?done)",
    re.IGNORECASE,
)
_CREDENTIAL_SAID = re.compile(
    r"(?:\bi(?:\s+want|\s+need|'?d\s+like|\s+would\s+like|\s+prefer|\s+am\s+looking\s+for|"
    rf"'?m\s+looking\s+for)|\b{_WHAT_IF})"
    r"\b[^.?!]{0,20}\b(degree|certificate)\b",
    re.IGNORECASE,
)


def stated(text: str, names: Sequence[NameMatch]) -> tuple[Profile, tuple[str, ...]]:
    """What ``text`` says about the student, and the states named as where they live (not
    places to look for schools)."""
    lives = [
        m.value
        for m in names
        if m.entity == US_STATE
        and (
            _LIVES_IN.search(text[: m.start])
            or _SELF_IN.search(text[: m.start])
            or _RESIDENT_AFTER.match(text[m.end :])
        )
    ]
    registries = tuple(
        dict.fromkeys(r.upper() for m in _REGISTERED.finditer(text) for r in m.groups() if r)
    )
    licensed: bool | None = None
    if _NOT_REGISTERED.search(text):
        licensed = False
    elif registries or _REGISTERED.search(text):
        licensed = True
    credential = _CREDENTIAL_SAID.search(text)
    profile = Profile(
        state=lives[-1] if lives else None,
        licensed=licensed,
        registries=registries if licensed else (),
        online_only=(
            False if _ONLINE_OPTIONAL.search(text) else True if _ONLINE_ONLY.search(text) else None
        ),
        budget=parse_budget(text, bare=True) if _BUDGET_SAID.search(text) else None,
        months=parse_months(text) if _SOON_SAID.search(text) else None,
        credential=credential.group(1).lower() if credential else None,
    )
    return profile, tuple(dict.fromkeys(lives))
