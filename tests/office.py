"""LibreOffice in the tests: lay out a DOCX or workbook as an office would (PDF), or save a
workbook again as LibreOffice saves it.  Shared by every test that needs it.

Without LibreOffice a test fails on CI (`.ci/run` installs it) and is skipped elsewhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest


def soffice() -> str:
    """LibreOffice's command."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing: .ci/run installs it")
        pytest.skip("LibreOffice (soffice) is not installed here")
    return found


def convert(files: list[Path], out_dir: Path, fmt: str) -> list[Path]:
    """Each file converted to ``fmt`` (``pdf``, ``xlsx``) into ``out_dir``, with a private
    profile so that test runs in parallel do not share one."""
    command = soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"
    try:
        done = subprocess.run(
            [command, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
             fmt, "--outdir", str(out_dir), *map(str, files)],
            capture_output=True, text=True, timeout=240)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = [out_dir / (Path(f).stem + "." + fmt) for f in files]
    for path in out:
        assert path.exists(), (done.stdout, done.stderr)
    return out
