"""An export job walked in Chromium: the job's page waits while the worker has not run, then
offers the file, which is downloaded (the same steps for every kind's browser test)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from liaison.common.tests.browser import screenshot
from liaison.jobs import services as job_services
from liaison.jobs.models import ExportJob


def worker_held(monkeypatch: pytest.MonkeyPatch) -> None:
    """Queued jobs wait until `job_file_downloaded` runs the newest one, as the worker would."""
    waiting = SimpleNamespace(enqueue=lambda **kw: None)  # the task is a frozen dataclass
    monkeypatch.setattr(job_services, "run_export_job", waiting)


def job_page_waits(page: Any, *, title: str, shot: str) -> None:
    """The form led to the job's page, which names the job and reloads itself (no script)."""
    page.wait_for_url("**/staff/jobs/*/")
    assert page.locator("h1").inner_text() == title
    assert "排队中" in page.content() and page.locator("meta[http-equiv=refresh]").count() == 1
    screenshot(page, shot)


def job_file_downloaded(page: Any, *, link: str, shot: str, saved: Path) -> Any:
    """The worker builds the newest job; the waiting page refreshes itself and offers the file
    by the link named `link`, which is downloaded to `saved`. Returns the download."""
    job_services.export_job_run(job_id=ExportJob.objects.latest("pk").pk)
    offered = page.get_by_role("link", name=link)
    offered.wait_for(timeout=10_000)
    assert "已完成" in page.content()
    screenshot(page, shot)
    with page.expect_download() as info:
        offered.click()
    info.value.save_as(saved)
    return info.value
