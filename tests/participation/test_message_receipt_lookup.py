"""A message's receipt opened in another session leads to the lookup form with the code filled in (finding 8)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_receipt_in_a_new_session_goes_to_the_lookup_form_with_the_code(client):
    response = client.get(reverse("participation:message_receipt", args=["AB12CD34"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("participation:message_track") + "?code=AB12CD34"
    page = client.get(response["Location"]).content.decode()
    assert 'value="AB12CD34"' in page
