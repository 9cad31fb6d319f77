"""A report that names members leaves a trace when it is downloaded (who, which, how many rows); reading it on the
page, or downloading one of figures only, does not fill the log."""

import pytest
from django.urls import reverse

from chumchon.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_downloading_the_member_register_is_audited(fund, members, world, client, login):
    login(world["users"]["province_a"])
    url = reverse("welfare:report", args=[fund.code, "members"])
    assert client.get(url).status_code == 200
    assert not AuditLog.objects.filter(action="welfare.report_download").exists()
    assert client.get(url, {"format": "xlsx"}).status_code == 200
    row = AuditLog.objects.get(action="welfare.report_download")
    assert row.actor == world["users"]["province_a"] and row.summary == "members xlsx: 3 rows"
    client.get(reverse("welfare:report", args=[fund.code, "benefits"]), {"format": "csv"})
    assert AuditLog.objects.filter(action="welfare.report_download").count() == 1
