"""The council itself, its members and officers, its meetings and the proposals it sends to agencies."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from chumchon.core.models import OrganisationProfile


class Council(OrganisationProfile):
    """สภาองค์กรชุมชนตำบล / เมือง: the community organisation council of a local administration's area.

    Its :class:`core.Organisation` row (kind ``council``) gives it a code, a name and a subdistrict, and is what a
    council officer's organisation-scoped role points at (the same scope kind as funds)."""

    class Kind(models.TextChoices):
        TAMBON = "tambon", _("subdistrict council")
        CITY = "city", _("municipal (city) council")

    organisation = models.OneToOneField(
        "core.Organisation", primary_key=True, on_delete=models.PROTECT, related_name="council"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TAMBON)
    founded_on = models.DateField(_("founding date"))
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    registered_on = models.DateField(_("registration date"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__code"]
        verbose_name = _("community organisation council")
        verbose_name_plural = _("community organisation councils")

    class Scope:
        area = "organisation__subdistrict"
        organisation = "organisation"

    @property
    def audit_subdistrict(self):
        return self.organisation.subdistrict


class CouncilMember(models.Model):
    """สมาชิกสภา: a community representative (ผู้แทนองค์กรชุมชน) or an expert (ผู้ทรงคุณวุฒิ) on the council for a
    term; officers (chair, vice chair, secretary, treasurer) are members holding a position."""

    class Kind(models.TextChoices):
        REPRESENTATIVE = "representative", _("community representative")
        EXPERT = "expert", _("expert")

    class Position(models.TextChoices):
        MEMBER = "member", _("member")
        CHAIR = "chair", _("chair")
        VICE_CHAIR = "vice_chair", _("vice chair")
        SECRETARY = "secretary", _("secretary")
        TREASURER = "treasurer", _("treasurer")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="council_seats")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REPRESENTATIVE)
    represents = models.ForeignKey("councils.CommunityOrganization", verbose_name=_("represents"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="representatives")
    position = models.CharField(_("position"), max_length=12, choices=Position.choices, default=Position.MEMBER)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)

    class Meta:
        ordering = ["council", "position", "name"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True) | models.Q(term_end__gte=models.F("term_start")),
                name="councils_member_term_order",
            )
        ]

    class Scope:
        area = "council__organisation__subdistrict"
        organisation = "council__organisation"

    def __str__(self) -> str:
        return self.name

    def serves_on(self, day) -> bool:
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)

    @property
    def audit_organisation(self):
        return self.council.organisation


class Meeting(models.Model):
    """การประชุมสภา: a meeting with its attendance, agenda, resolutions and the minutes file."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("ordinary meeting")
        EXTRAORDINARY = "extraordinary", _("extraordinary meeting")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("meeting date"))
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.ORDINARY)
    attendees = models.PositiveIntegerField(_("members present"))
    agenda = models.TextField(_("agenda"))
    resolutions = models.TextField(_("resolutions"), blank=True)
    minutes = models.FileField(_("minutes"), upload_to="councils/minutes/%Y/", blank=True)
    # who came, by name, when the secretary ticked them (older meetings, and imported ones, have the count only)
    present = models.ManyToManyField(CouncilMember, blank=True, related_name="meetings_attended",
                                     verbose_name=_("members present by name"))
    recorded_by = models.ForeignKey("access.User", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["council", "-date", "-id"]
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")

    class Scope:
        area = "council__organisation__subdistrict"
        organisation = "council__organisation"

    def __str__(self) -> str:
        return f"{self.council.code} {self.date}"

    def quorum(self) -> tuple[int, bool]:
        """The members serving on the meeting's day and whether those present were at least half of them — the
        council's quorum (องค์ประชุม: ไม่น้อยกว่ากึ่งหนึ่งของจำนวนสมาชิก)."""
        serving = sum(1 for m in self.council.members.all() if m.serves_on(self.date))
        return serving, serving > 0 and self.attendees * 2 >= serving

    @property
    def audit_organisation(self):
        return self.council.organisation


class Proposal(models.Model):
    """ข้อเสนอ: a proposal the council sent to a local administration or an agency, and where it stands."""

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        ACCEPTED = "accepted", _("accepted")
        PARTLY = "partly", _("partly accepted")
        REJECTED = "rejected", _("rejected")
        DONE = "done", _("carried out")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="proposals")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(_("proposal"), max_length=300)
    agency = models.CharField(_("sent to (agency)"), max_length=200)
    sent_on = models.DateField(_("date sent"))
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.SENT)

    class Meta:
        ordering = ["council", "-sent_on", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    class Scope:
        area = "council__organisation__subdistrict"
        organisation = "council__organisation"

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation(self):
        return self.council.organisation


class ProposalFollowUp(models.Model):
    """การติดตาม: one step of following up a proposal (the agency's answer, what was done); kept as history."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="follow_ups")
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=14, choices=Proposal.Status.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["proposal", "date", "id"]
        verbose_name = _("proposal follow-up")
        verbose_name_plural = _("proposal follow-ups")

    class Scope:
        area = "proposal__council__organisation__subdistrict"
        organisation = "proposal__council__organisation"

    def __str__(self) -> str:
        return f"{self.date} {self.status}"
