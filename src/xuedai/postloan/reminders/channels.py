"""Pluggable reminder channels: ``ReminderChannel.send(recipient, text) -> DeliveryResult``.

Configured by ``settings.XUEDAI_REMINDER_CHANNELS``, a list of
``{"NAME": "sms", "BACKEND": "dotted.path.Class", "OPTIONS": {...}}``; every reminder goes out
through each configured channel. Without the setting the log channel alone is used, so nothing
leaves the machine until an operator configures a gateway:

    XUEDAI_REMINDER_CHANNELS = [
        {"NAME": "sms", "BACKEND": "xuedai.postloan.reminders.channels.SmsGatewayChannel",
         "OPTIONS": {"url": "https://sms.example.cn/send", "token": "…", "sign": "学贷", "timeout": 10}},
        {"NAME": "email", "BACKEND": "xuedai.postloan.reminders.channels.EmailChannel",
         "OPTIONS": {"subject": "国家助学贷款还款提醒"}},
    ]

Every text is passed through borrowers.masking.mask_value before any channel sees it, and the
recipient is recorded masked: a delivery record must not become a list of phone numbers.
"""

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from xuedai.identity.masking import mask_phone, mask_value

from ..models import DeliveryStatus, OutboxMessage

logger = logging.getLogger("xuedai.postloan.reminders")

DEFAULT_CHANNELS = [{"NAME": "log", "BACKEND": "xuedai.postloan.reminders.channels.LogChannel"}]


@dataclass(frozen=True)
class Recipient:
    name: str
    mobile: str = ""
    email: str = ""
    borrower_id: int | None = None


@dataclass(frozen=True)
class DeliveryResult:
    status: str  # a DeliveryStatus value
    recipient: str = ""  # the address used, masked
    provider_id: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status == DeliveryStatus.SENT


def _mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


class ReminderChannel:
    """A way to reach a borrower. Subclasses implement send(); they never raise for a delivery
    failure (the campaign records it and moves on) but may raise for a configuration error."""

    def __init__(self, name: str = "", **options):
        self.name = name or type(self).__name__.lower()
        self.options = options

    def send(self, recipient: Recipient, text: str) -> DeliveryResult:
        raise NotImplementedError


class LogChannel(ReminderChannel):
    """The default: writes the message to OutboxMessage and to the log (masked), sends nothing."""

    def send(self, recipient: Recipient, text: str) -> DeliveryResult:
        address = mask_phone(recipient.mobile) if recipient.mobile else recipient.name
        message = OutboxMessage.objects.create(channel=self.name, recipient=address, text=mask_value(text))
        logger.info("reminder via %s to %s: %s", self.name, address, mask_value(text))
        return DeliveryResult(DeliveryStatus.SENT, address, provider_id=f"outbox-{message.pk}")


class EmailChannel(ReminderChannel):
    """Django's email (settings.EMAIL_BACKEND); borrowers without an address are skipped."""

    def send(self, recipient: Recipient, text: str) -> DeliveryResult:
        if not recipient.email:
            return DeliveryResult(DeliveryStatus.SKIPPED, "", error="未登记电子邮箱")
        address = _mask_email(recipient.email)
        try:
            send_mail(self.options.get("subject", "国家助学贷款还款提醒"), mask_value(text),
                      self.options.get("from_email"), [recipient.email], fail_silently=False)
        except Exception as exc:  # SMTP errors come in many classes; each is one failed delivery
            return DeliveryResult(DeliveryStatus.FAILED, address, error=f"{type(exc).__name__}: {exc}"[:300])
        return DeliveryResult(DeliveryStatus.SENT, address)


class SmsGatewayChannel(ReminderChannel):
    """POSTs {"mobile", "text", "sign"} as JSON to OPTIONS["url"] with an optional bearer token and
    reads {"id": …} back. Fits most domestic SMS gateways behind a thin adapter; never called in
    tests (they use the log channel)."""

    def send(self, recipient: Recipient, text: str) -> DeliveryResult:
        if not recipient.mobile:
            return DeliveryResult(DeliveryStatus.SKIPPED, "", error="未登记手机号")
        url = self.options.get("url")
        if not url:
            raise ValueError("SmsGatewayChannel needs OPTIONS['url']")
        body = json.dumps({"mobile": recipient.mobile, "text": mask_value(text),
                           "sign": self.options.get("sign", "")}, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        if self.options.get("token"):
            request.add_header("Authorization", f"Bearer {self.options['token']}")
        address = mask_phone(recipient.mobile)
        try:
            with urllib.request.urlopen(request, timeout=self.options.get("timeout", 10)) as response:
                answer = json.loads(response.read().decode("utf-8") or "{}")
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            return DeliveryResult(DeliveryStatus.FAILED, address, error=f"{type(exc).__name__}: {exc}"[:300])
        if answer.get("error"):
            return DeliveryResult(DeliveryStatus.FAILED, address, error=str(answer["error"])[:300])
        return DeliveryResult(DeliveryStatus.SENT, address, provider_id=str(answer.get("id", ""))[:64])


def configured_channels() -> list[ReminderChannel]:
    specs = getattr(settings, "XUEDAI_REMINDER_CHANNELS", None) or DEFAULT_CHANNELS
    channels = []
    for spec in specs:
        cls = import_string(spec["BACKEND"])
        channels.append(cls(name=spec.get("NAME", ""), **spec.get("OPTIONS", {})))
    names = [c.name for c in channels]
    if len(set(names)) != len(names):
        raise ValueError(f"XUEDAI_REMINDER_CHANNELS: channel names must be unique, got {names}")
    return channels
