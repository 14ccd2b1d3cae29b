"""Exercise kinds. Each kind gives a widget, a paper view and a key view (see :mod:`.base`)."""
from __future__ import annotations

from .base import Kind
from .choice import MultiSelect, SingleChoice
from .highlight import Highlight
from .sorting import Sort, Timeline
from .verdict import Verdict
from .written import CER, LongAnswer, Scale, Written

KINDS: dict[str, Kind] = {k.name: k for k in (
    SingleChoice(), MultiSelect(), Sort(), Highlight(), Written(), LongAnswer(), Scale(), CER(), Timeline(), Verdict())}


def kind_of(ex) -> Kind:
    return KINDS[ex["kind"]]


__all__ = ["KINDS", "Kind", "kind_of"]
