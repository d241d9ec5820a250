import pytest

from gongkai.search import index
from tests import factories


@pytest.fixture
def publish(db):
    """Write a public record straight to the database and index it (as the record_changed hook would)."""

    def make(**kwargs):
        record = factories.RecordFactory(published=True, **kwargs)
        index.index_sync([record.pk])
        return record

    return make
