"""Organs of the seed regions (from the demo's organ table), staff with roles, seed files."""

from pathlib import Path

import pytest

from gongkai.core.models import Organ, Role
from gongkai.ops.demo.organs import ORGANS
from tests.factories import member

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


def seed_bytes(prefix: str) -> bytes:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_bytes()


def make_region(region: str) -> dict[str, Organ]:
    made: dict[str, Organ] = {}
    for spec in ORGANS:
        if spec.region != region:
            continue
        made[spec.slug] = Organ.objects.create(
            name=spec.name, short_name=spec.short_name, code=spec.code, kind=spec.kind,
            parent=made.get(spec.parent) if spec.parent else None, aliases=list(spec.aliases),
        )
    return made


@pytest.fixture
def baoding(db):
    return make_region("bd")


@pytest.fixture
def office(baoding):
    """The 公开办 of 保定市人民政府 (oversees the government and every organ below it)."""
    return member(baoding["bd_gov"], Role.OFFICE, "gkb")


@pytest.fixture
def office2(baoding):
    return member(baoding["bd_gov"], Role.OFFICE, "gkb2")


@pytest.fixture
def czj_editor(baoding):
    return member(baoding["bd_czj"], Role.EDITOR, "czj")


@pytest.fixture
def sfj_editor(baoding):
    return member(baoding["bd_sfj"], Role.EDITOR, "sfj")
