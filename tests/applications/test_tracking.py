"""The applicant's look-up: code plus the last four of phone or ID, throttled per address."""

import pytest

from gongkai.applications import services
from gongkai.applications.services.tracking import tracking_matches

from .conftest import VALID_ID


def test_track_by_phone_or_id(application):
    assert services.application_track(code=application.tracking_code, check="5678", ip="10.0.0.9") == application
    assert services.application_track(code=application.tracking_code, check=VALID_ID[-4:].lower(),
                                      ip="10.0.0.9") == application


@pytest.mark.parametrize("check", ["0000", "567", "56789", ""])
def test_wrong_check_is_refused(application, check):
    with pytest.raises(services.TrackingRefused, match="查询码或验证信息不正确") as exc:
        services.application_track(code=application.tracking_code, check=check, ip="10.0.0.9")
    assert not exc.value.throttled


def test_unknown_code_and_erased_application_are_refused_alike(application):
    assert not tracking_matches(None, "5678")
    with pytest.raises(services.TrackingRefused, match="不正确"):
        services.application_track(code="GKNOSUCHCODE", check="5678", ip="10.0.0.9")
    application.erased_at = application.created_at
    application.save(update_fields=["erased_at"])
    with pytest.raises(services.TrackingRefused, match="不正确"):
        services.application_track(code=application.tracking_code, check="5678", ip="10.0.0.9")


def test_failures_are_throttled_per_address(application, settings):
    settings.GONGKAI_TRACK_FAILURE_LIMIT = 3
    for _ in range(3):
        with pytest.raises(services.TrackingRefused):
            services.application_track(code=application.tracking_code, check="0000", ip="10.0.0.9")
    with pytest.raises(services.TrackingRefused, match="次数过多") as exc:
        services.application_track(code=application.tracking_code, check="5678", ip="10.0.0.9")
    assert exc.value.throttled
    # Another address is not locked out; successes do not count.
    for _ in range(4):
        assert services.application_track(code=application.tracking_code, check="5678", ip="10.0.0.8")
