"""Reminders (DOMAIN.md §5, §8): campaigns by rule as idempotent batch jobs, the failed-deduction
hook, pluggable channels (log by default, email, an HTTP SMS gateway), and no full identity number
or phone number in any message."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.template.loader import render_to_string

from xuedai.jobs.models import JobRun, JobStatus
from xuedai.postloan.models import CampaignKind, DeliveryStatus, OutboxMessage, Reminder
from xuedai.postloan.reminders import (
    DeliveryResult,
    ReminderChannel,
    campaign_run,
    configured_channels,
    reminders_for_day,
    reminders_for_failed_deductions,
    rules,
)
from xuedai.postloan.reminders import channels as channels_module
from xuedai.postloan.reminders.campaigns import compose
from xuedai.postloan.reminders.channels import EmailChannel, Recipient, SmsGatewayChannel
from xuedai.postloan.reminders.texts import TEMPLATES, base_context, reminder_text

pytestmark = pytest.mark.django_db
NOV20, NOV27 = dt.date(2026, 11, 20), dt.date(2026, 11, 27)


class RecordingChannel(ReminderChannel):
    """A plug-in channel for the tests: remembers what it was asked to send."""

    sent: list = []

    def send(self, recipient, text):
        RecordingChannel.sent.append((recipient, text))
        return DeliveryResult(DeliveryStatus.SENT, recipient.name, provider_id="rec-1")


def test_annual_notice_goes_once_per_due_date(world):
    b = world.graduate()
    campaign = campaign_run(kind=CampaignKind.ANNUAL_DUE, business_date=NOV20)
    reminder = Reminder.objects.get(borrower=b)
    assert reminder.campaign == campaign and reminder.channel == "log"
    assert reminder.status == DeliveryStatus.SENT
    assert reminder.due_on == dt.date(2026, 12, 20)
    assert "665.08" in reminder.text and "2026年12月10日" in reminder.text and b.name in reminder.text
    assert OutboxMessage.objects.get().text == reminder.text
    # Idempotent: the same business date again sends nothing; the next day does not repeat the notice.
    campaign_run(kind=CampaignKind.ANNUAL_DUE, business_date=NOV20)
    campaign_run(kind=CampaignKind.ANNUAL_DUE, business_date=dt.date(2026, 11, 21))
    assert Reminder.objects.count() == 1 and OutboxMessage.objects.count() == 1
    run = JobRun.objects.get(kind="postloan.reminders.annual_due", business_date=NOV20)
    assert run.status == JobStatus.DONE and run.progress_done == 1 and campaign.job_run == run


def test_annual_notice_waits_for_the_30_day_window_and_skips_the_paid_off(world):
    world.graduate()
    world.graduate(state="settled")
    campaign_run(kind=CampaignKind.ANNUAL_DUE, business_date=dt.date(2026, 11, 19))
    assert not Reminder.objects.exists()
    campaign_run(kind=CampaignKind.ANNUAL_DUE, business_date=NOV20)
    assert Reminder.objects.count() == 1


def test_intensified_days_between_20_nov_and_20_dec(world):
    window = [NOV20 + dt.timedelta(days=n) for n in range(31)]
    assert [d.isoformat()[5:] for d in window if rules.is_intensified_day(d)] == \
        ["11-27", "12-04", "12-10", "12-15", "12-19"]
    b = world.graduate()
    reminders_for_day(NOV20)  # the annual notice; 20 Nov itself is not an intensified day
    assert list(Reminder.objects.values_list("campaign__kind", flat=True)) == [CampaignKind.ANNUAL_DUE]
    reminders_for_day(NOV27)
    reminder = Reminder.objects.get(borrower=b, campaign__kind=CampaignKind.INTENSIFIED)
    assert "还有23天" in reminder.text and "665.08" in reminder.text
    reminders_for_day(NOV27)
    reminders_for_day(dt.date(2026, 11, 28))
    assert Reminder.objects.filter(campaign__kind=CampaignKind.INTENSIFIED).count() == 1


def test_one_text_a_day_across_campaigns(world):
    b = world.graduate()
    reminders_for_failed_deductions([b.contracts.get().pk], NOV27)
    reminders_for_day(NOV27)
    assert list(Reminder.objects.filter(borrower=b).values_list("campaign__kind", flat=True)) == \
        [CampaignKind.FAILED_DEDUCTION]


def test_failed_deduction_hook_is_idempotent_per_date_and_borrower(world):
    b1, b2 = world.graduate(), world.graduate()
    c1, c2 = b1.contracts.get().pk, b2.contracts.get().pk
    dec20 = dt.date(2026, 12, 20)
    reminders_for_failed_deductions([c1], dec20)
    text = Reminder.objects.get(borrower=b1).text
    assert "2026年12月20日扣款未成功" in text and "2027年1月20日将再次扣款" in text
    assert "2027年1月15日前" in text
    reminders_for_failed_deductions([c1], dec20)  # the same run reported twice
    reminders_for_failed_deductions([c1, c2], dec20)  # an agent bank's run, overlapping
    assert Reminder.objects.filter(borrower=b1).count() == 1
    assert Reminder.objects.filter(borrower=b2).count() == 1
    assert JobRun.objects.filter(kind="postloan.reminders.failed_deduction").count() == 2


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2026, 10, 20), dt.date(2026, 12, 20)),  # never on 20 Nov
    (dt.date(2026, 12, 20), dt.date(2027, 1, 20)),
    (dt.date(2026, 12, 5), dt.date(2026, 12, 20)),
])
def test_next_rededuction_date(day, expected):
    from xuedai.postloan.rules import next_rededuction_date

    assert next_rededuction_date(day) == expected


def test_channels_are_plugged_in_by_setting(world, settings):
    settings.XUEDAI_REMINDER_CHANNELS = [
        {"NAME": "log", "BACKEND": "xuedai.postloan.reminders.channels.LogChannel"},
        {"NAME": "test", "BACKEND": "tests.postloan.test_reminders.RecordingChannel"},
    ]
    RecordingChannel.sent = []
    b = world.graduate()
    campaign_run(kind=CampaignKind.ANNUAL_DUE, business_date=NOV20)
    assert sorted(Reminder.objects.filter(borrower=b).values_list("channel", flat=True)) == ["log", "test"]
    assert len(RecordingChannel.sent) == 1 and RecordingChannel.sent[0][0].mobile == b.mobile
    settings.XUEDAI_REMINDER_CHANNELS = [
        {"NAME": "x", "BACKEND": "xuedai.postloan.reminders.channels.LogChannel"},
        {"NAME": "x", "BACKEND": "xuedai.postloan.reminders.channels.LogChannel"},
    ]
    with pytest.raises(ValueError, match="unique"):
        configured_channels()


def test_default_is_the_log_channel(settings, world):
    del settings.XUEDAI_REMINDER_CHANNELS
    assert [c.name for c in configured_channels()] == ["log"]


def test_email_channel_uses_djangos_email(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    channel = EmailChannel(name="email", subject="国家助学贷款还款提醒", from_email="noreply@xuedai.test")
    result = channel.send(Recipient(name="张伟", email="zhangwei@example.com"), "您本年应还665.08元")
    assert result.ok and result.recipient == "z***@example.com"
    assert mail.outbox[0].subject == "国家助学贷款还款提醒" and mail.outbox[0].to == ["zhangwei@example.com"]
    assert channel.send(Recipient(name="张伟"), "x").status == DeliveryStatus.SKIPPED


def test_sms_gateway_channel_posts_json(monkeypatch):
    """The gateway is never called: urlopen is replaced and the request inspected."""
    calls = []

    class Answer:
        def __init__(self, body):
            self.body = body

        def read(self):
            return self.body

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake_urlopen(request, timeout):
        calls.append((request, timeout))
        return Answer(b'{"id": "sms-42"}')

    monkeypatch.setattr(channels_module.urllib.request, "urlopen", fake_urlopen)
    channel = SmsGatewayChannel(name="sms", url="https://sms.invalid/send", token="t0k", sign="学贷",
                                timeout=5)
    result = channel.send(Recipient(name="张伟", mobile="13812345678"), "身份证510722200403150011的还款提醒")
    assert result.ok and result.provider_id == "sms-42" and result.recipient == "138****5678"
    request, timeout = calls[0]
    body = json.loads(request.data.decode())
    assert body["mobile"] == "13812345678" and body["sign"] == "学贷" and timeout == 5
    assert "510722200403150011" not in body["text"], "texts are masked before any gateway sees them"
    assert request.get_header("Authorization") == "Bearer t0k"

    def failing(request, timeout):
        raise channels_module.urllib.error.URLError("refused")

    monkeypatch.setattr(channels_module.urllib.request, "urlopen", failing)
    assert channel.send(Recipient(name="张伟", mobile="13812345678"), "x").status == DeliveryStatus.FAILED
    assert channel.send(Recipient(name="张伟"), "x").status == DeliveryStatus.SKIPPED


def test_no_message_shows_an_identity_number_or_a_phone(world):
    b = world.graduate()
    composed = {
        CampaignKind.ANNUAL_DUE: compose(CampaignKind.ANNUAL_DUE, b, NOV20),
        CampaignKind.INTENSIFIED: compose(CampaignKind.INTENSIFIED, b, NOV27),
        CampaignKind.FAILED_DEDUCTION: compose(CampaignKind.FAILED_DEDUCTION, b, dt.date(2026, 12, 20)),
    }
    assert set(composed) == set(TEMPLATES), "every template is exercised"
    for kind, (text, _due) in composed.items():
        assert b.name in text, kind
        for secret in (b.id_number, b.id_number[-8:], b.mobile):
            assert secret not in text, (kind, secret)
    # Even when personal numbers leak into the data a template prints, the text comes out masked.
    for kind, template in TEMPLATES.items():
        poisoned = {**base_context(b, f"支付宝账户 {b.id_number}"), "helpdesk": f"电话 {b.mobile}",
                    "amount": "1.00", "due_on": "2026年12月20日", "deposit_by": "2026年12月10日",
                    "rededuct_on": "2027年1月20日", "business_date": "2026年12月20日", "days_left": 3}
        raw = render_to_string(template, poisoned)
        assert b.id_number in raw  # the template did print it …
        text = reminder_text(kind, poisoned)
        assert b.id_number not in text and b.mobile not in text  # … and the sent text does not
        assert b.masked_id_number in text


def test_delivery_records_keep_the_recipient_masked(world):
    b = world.graduate()
    campaign_run(kind=CampaignKind.ANNUAL_DUE, business_date=NOV20)
    assert Reminder.objects.get(borrower=b).recipient == b.masked_mobile
    assert OutboxMessage.objects.get().recipient == b.masked_mobile


def test_management_command(world, capsys):
    world.graduate()
    call_command("postloan_reminders", "--date", "2026-11-27")
    out = capsys.readouterr().out
    assert "集中提醒" in out and "年度还款提醒" in out
    assert Reminder.objects.count() == 1  # the annual notice on 11-27; the intensified one the same day skips
