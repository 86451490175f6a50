"""The exported HTML in a real browser (Debian's chromium, headless) with the network off:
it renders, every image loads, and nothing is fetched from outside.

`.ci/run` installs chromium and chromedriver; in CI (CI=true) this test fails rather than
skips when they are missing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM and DRIVER):
        message = "chromium and chromedriver are needed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
                # the network is off: every name resolves to nothing, every request to a dead port
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
                "--proxy-bypass-list=<-loopback>", "--window-size=1200,1600"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()


def open_page(driver, path: Path) -> dict:
    driver.get(path.as_uri())
    return driver.execute_script("""
        return {
          ready: document.readyState,
          title: document.title,
          text: document.body.innerText,
          images: Array.from(document.images).map(i => [i.complete, i.naturalWidth]),
          resources: performance.getEntriesByType('resource').map(e => e.name),
          scripts: document.scripts.length,
          links: Array.from(document.querySelectorAll('link[href]')).map(l => l.href),
        };""")


def test_the_commune_report_renders_offline_with_every_image(browser, demo):
    path = demo["out"] / "2024-H1" / "24622-dak-ha" / "24622-dak-ha_2024-H1.html"
    page = open_page(browser, path)
    assert page["ready"] == "complete"
    assert page["title"] == "Báo cáo CCHC 6 tháng đầu năm 2024 — xã Đắk Ha"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page["text"]
    assert "đạt 76,4%" in page["text"] and "PHỤ LỤC SỐ 01" in page["text"]
    assert len(page["images"]) == 4
    assert all(done and width > 0 for done, width in page["images"])
    assert all(r.startswith(("data:", "file:")) for r in page["resources"]), page["resources"]
    assert page["scripts"] == 0 and page["links"] == []


def test_no_text_spills_out_of_a_cell_of_the_appendix(browser, demo):
    path = demo["out"] / "2024-H1" / "24622-dak-ha" / "24622-dak-ha_2024-H1.html"
    browser.get(path.as_uri())
    spills = browser.execute_script("""
        const out = [];
        for (const td of document.querySelectorAll('table.appendix td')) {
          const cell = td.getBoundingClientRect();
          const range = document.createRange();
          range.selectNodeContents(td);
          for (const r of range.getClientRects()) {
            if (r.right > cell.right + 0.5 || r.left < cell.left - 0.5) {
              out.push(td.innerText); break;
            }
          }
        }
        return out;""")
    assert spills == []
    # the chart images carry a Vietnamese description, not nbconvert's English default
    alts = browser.execute_script("return Array.from(document.images).map(i => i.alt);")
    assert alts and all(a.startswith("Biểu đồ") for a in alts), alts


def test_the_district_overview_and_the_index_render_offline(browser, demo):
    overview = (demo["out"] / "2024-H1" / "661-dak-glong_2024-H1_tong-hop" /
                "661-dak-glong_2024-H1_tong-hop.html")
    page = open_page(browser, overview)
    assert "7/7 đơn vị đã nộp báo cáo" in page["text"]
    assert len(page["images"]) == 2 and all(d and w > 0 for d, w in page["images"])
    assert all(r.startswith(("data:", "file:")) for r in page["resources"])
    index = open_page(browser, demo["out"] / "index.html")
    assert "báo cáo đã tạo" in index["text"] and "huyện Đắk Glong" in index["text"]
    assert "7/7 đã nộp" in index["text"]
    parent = open_page(browser, demo["out"] / "index" / "2008-661-dak-glong.html")
    assert "xã Đắk Ha" in parent["text"]
