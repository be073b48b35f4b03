"""A suggestion driven through the services to a status (for tests of the later steps)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.accounts.models import User
from liaison.common.uploads import CleanFile, clean_pdf
from liaison.suggestions import services
from liaison.suggestions.models import CongressSession, Contact, Grade, Suggestion
from liaison.suggestions.tests.factories import PDF
from liaison.units.models import HandlingUnit


def letter() -> CleanFile:
    return clean_pdf(SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf"))


def drafted(deputy: User, session: CongressSession, **kw: object) -> Suggestion:
    return services.suggestion_create(
        actor=deputy,
        session=session,
        title=str(kw.pop("title", "关于增设社区养老服务中心的建议")),
        problem="社区老年人口多，日间照料设施不足。",
        analysis="现有养老机构距离远、床位少。",
        proposal="建议利用闲置用房增设社区养老服务中心。",
        **kw,  # type: ignore[arg-type]
    )


def submitted(deputy: User, session: CongressSession) -> Suggestion:
    return services.suggestion_submit(suggestion=drafted(deputy, session), actor=deputy)


def assigned(
    deputy: User,
    session: CongressSession,
    staff: User,
    lead: HandlingUnit,
    co: tuple[HandlingUnit, ...] = (),
) -> Suggestion:
    s = submitted(deputy, session)
    s = services.suggestion_accept(suggestion=s, actor=staff)
    return services.suggestion_assign(suggestion=s, actor=staff, lead=lead, co_units=co)


def answered(
    suggestion: Suggestion, clerk: User, *, grade: str = Grade.A, **kw: object
) -> Suggestion:
    services.contact_record(
        suggestion=suggestion, actor=clerk, method=Contact.MEETING, on=timezone.localdate()
    )
    promised = timezone.localdate() + datetime.timedelta(days=60) if grade == Grade.B else None
    return services.suggestion_answer(
        suggestion=suggestion,
        actor=clerk,
        grade=grade,
        answer="已列入年度计划，正在选址建设。",
        letter=letter(),
        promised_on=promised,  # type: ignore[arg-type]
        reason="受财力所限，暂不能解决。" if grade == Grade.C else "",
        **kw,  # type: ignore[arg-type]
    )
