"""Reading reports from the web: a local server plays the bodies' websites.

The server (webserver.py) serves real corpus reports (PDF attachments with
their truth files), report pages in HTML (UTF-8 and GBK), a 年度报告 column
page, a redirect, a 404, a slow server, a flaky one, robots.txt and ETags.
"""

from __future__ import annotations

import io
import json
import time
from decimal import Decimal

import pytest

from gongkai.annual import cli
from gongkai.annual.tests.corpus import CORPUS, needs_corpus, report_from_truth, truth
from gongkai.annual.tests.webserver import Route, Site
from gongkai.annual.web.batch import Body, Options, run_batch
from gongkai.annual.web.fetch import Cache, Fetcher, FetchError
from gongkai.annual.web.follow import NotFound, find_report
from gongkai.annual.writers import write

pytestmark = needs_corpus


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in (
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def truth_cells(name: str) -> dict:
    return {k: (Decimal(v) if k == "t2.fees" else v) for k, v in truth(name)["cells"].items()}


def column_page(title: str, links: list[tuple[str, str, str]], charset: str = "utf-8") -> str:
    items = "\n".join(
        f'<li><a href="{href}" target="_blank">{text}</a><span class="date">{day}</span></li>'
        for href, text, day in links
    )
    return (
        f'<!doctype html><html><head><meta charset="{charset}"><title>{title}</title></head>'
        f'<body><div class="nav">首页 &gt; 政府信息公开 &gt; 年度报告</div><ul class="list">{items}</ul>'
        '<div class="pages">共1页</div></body></html>'
    )


def article_page(title: str, attachment: str, published: str) -> bytes:
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f"<h1>{title}</h1><div class='info'>发布时间：{published} 来源：市政府办公室</div>"
        f"<p>现将{title}予以公布。</p>"
        f'<p>附件：<a href="{attachment}">{title}.pdf</a></p>'
        "<p><a href='/'>返回首页</a></p></body></html>"
    ).encode()


@pytest.fixture
def site():
    with Site() as s:
        huaian = (CORPUS / "huaian-2024.pdf").read_bytes()
        s.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", "text/plain")
        s.routes["/huaian/column/"] = Route(
            column_page(
                "年度报告",
                [
                    (
                        "../2025/0120/a1.html",
                        "淮安市人民政府2024年政府信息公开工作年度报告",
                        "2025-01-20",
                    ),
                    (
                        "/huaian/2024/0125/a0.html",
                        "淮安市人民政府2023年政府信息公开工作年度报告",
                        "2024-01-25",
                    ),
                    ("/huaian/about.html", "关于本站", "2020-01-01"),
                ],
            ).encode()
        )
        s.routes["/huaian/2025/0120/a1.html"] = Route(
            article_page(
                "淮安市人民政府2024年政府信息公开工作年度报告", "/files/szfgs2024.pdf", "2025-01-20"
            )
        )
        s.routes["/files/szfgs2024.pdf"] = Route(huaian, "application/pdf")
        s.routes["/huaian/about.html"] = Route(
            "<html><body><h1>关于本站</h1><p>本站由市政府办公室主办。</p></body></html>".encode()
        )
        s.routes["/old/column/"] = Route(status=301, location="/huaian/column/")
        # Huaian's county (洪泽区): two years, both PDF attachments linked from the column page.
        s.routes["/hongze/column/"] = Route(
            column_page(
                "年度报告",
                [
                    ("/hongze/2024.pdf", "洪泽区2024年度政府信息公开工作年度报告", "2025-04-08"),
                    ("/hongze/2023.pdf", "洪泽区2023年度政府信息公开工作年度报告", "2024-03-29"),
                ],
            ).encode()
        )
        s.routes["/hongze/2024.pdf"] = Route(
            (CORPUS / "hongzequ-2024.pdf").read_bytes(), "application/pdf"
        )
        s.routes["/hongze/2023.pdf"] = Route(
            (CORPUS / "hongzequ-2023.pdf").read_bytes(), "application/pdf"
        )
        # A GBK site: column page and the report as an HTML page, both in GBK.
        html = write(report_from_truth("hongzequ-2024"), "html").decode("utf-8")
        html = html.replace('<meta charset="utf-8">', '<meta charset="gb2312">')
        s.routes["/gbk/column/"] = Route(
            column_page(
                "年度报告",
                [("/gbk/2024.html", "2024年度政府信息公开工作年度报告", "2025-03-20")],
                charset="gb2312",
            ).encode("gbk"),
            "text/html; charset=GBK",
        )
        s.routes["/gbk/2024.html"] = Route(html.encode("gb18030"), "text/html")
        s.routes["/stale/column/"] = Route(
            column_page(
                "年度报告",
                [
                    ("/stale/2023.html", "2023年度政府信息公开工作年度报告", "2024-03-20"),
                    ("/stale/2022.html", "2022年度政府信息公开工作年度报告", "2023-03-20"),
                ],
            ).encode()
        )
        s.routes["/slow/column/"] = Route(b"<html><body>slow</body></html>", delay=3.0)
        s.routes["/private/2024.pdf"] = Route(huaian, "application/pdf")
        yield s


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


# --- fetching ------------------------------------------------------------------


def test_follow_column_page_to_attachment_reads_every_cell(site, tmp_path):
    fetcher = Fetcher(cache=Cache(tmp_path), delay=0)
    doc = find_report(fetcher, site.url("/huaian/column/"), 2024)
    assert doc.url == site.url("/files/szfgs2024.pdf")
    assert doc.page_url == site.url("/huaian/2025/0120/a1.html")
    from datetime import date

    assert doc.published_on == date(2025, 1, 20)
    from gongkai.annual.readers import read_bytes

    report = read_bytes(doc.data, name=doc.name)
    assert report.cells == truth_cells("huaian-2024")
    assert any("gongkai" in ua for ua in site.user_agents)


def test_gbk_column_and_report_page(site):
    doc = find_report(Fetcher(delay=0), site.url("/gbk/column/"), 2024)
    from gongkai.annual.readers import read_bytes

    report = read_bytes(doc.data, name=doc.name)
    assert report.organization == truth("hongzequ-2024")["organization"]
    assert report.cells == truth_cells("hongzequ-2024")


def test_redirect_is_followed(site):
    doc = find_report(Fetcher(delay=0), site.url("/old/column/"), 2024)
    assert doc.url == site.url("/files/szfgs2024.pdf")


def test_wrong_year_and_no_report_links_say_so(site):
    with pytest.raises(NotFound, match="没有2024年度的年度报告（只找到 2023、2022 年度的）"):
        find_report(Fetcher(delay=0), site.url("/stale/column/"), 2024)
    with pytest.raises(NotFound, match="没有找到年度报告的链接"):
        find_report(Fetcher(delay=0), site.url("/huaian/about.html"), 2024)


def test_404_timeout_robots_and_size_cap(site):
    fetcher = Fetcher(delay=0, timeout=0.5, retries=0)
    with pytest.raises(FetchError, match="网页不存在（HTTP 404）"):
        fetcher.get(site.url("/nowhere/"))
    started = time.monotonic()
    with pytest.raises(FetchError, match="超时"):
        fetcher.get(site.url("/slow/column/"))
    assert time.monotonic() - started < 2.5
    with pytest.raises(FetchError, match="robots.txt"):
        fetcher.get(site.url("/private/2024.pdf"))
    assert "/private/2024.pdf" not in site.hits
    with pytest.raises(FetchError, match="文件太大"):
        Fetcher(delay=0, max_bytes=10_000).get(site.url("/files/szfgs2024.pdf"))


def test_retries_with_backoff_after_server_errors(site):
    site.routes["/flaky.html"] = Route(b"<html><body>ok</body></html>", fail_first=2)
    with pytest.raises(FetchError, match="HTTP 503"):
        Fetcher(delay=0, retries=1, backoff=0.01).get(site.url("/flaky.html"))
    site.hits["/flaky.html"] = 0
    response = Fetcher(delay=0, retries=2, backoff=0.01).get(site.url("/flaky.html"))
    assert response.body == b"<html><body>ok</body></html>"
    assert site.hits["/flaky.html"] == 3


def test_cache_revalidates_instead_of_refetching(site, tmp_path):
    first = Fetcher(cache=Cache(tmp_path), delay=0)
    body = first.get(site.url("/files/szfgs2024.pdf")).body
    again = Fetcher(cache=Cache(tmp_path), delay=0).get(site.url("/files/szfgs2024.pdf"))
    assert again.from_cache and again.body == body
    assert site.not_modified["/files/szfgs2024.pdf"] == 1
    # A body cut short on disk (a killed run) is not trusted: fetched again in full.
    body_file = next(tmp_path.rglob("*.body"))
    body_file.write_bytes(body[:100])
    third = Fetcher(cache=Cache(tmp_path), delay=0).get(site.url("/files/szfgs2024.pdf"))
    assert not third.from_cache and third.body == body


def test_per_host_concurrency_and_delay(site):
    for i in range(6):
        site.routes[f"/r{i}.html"] = Route(b"<html><body>x</body></html>", delay=0.6)
    fetcher = Fetcher(delay=0, per_host=5)  # asking for more than 2 still gets 2
    bodies = [Body(url=site.url(f"/r{i}.html")) for i in range(6)]
    run_batch(bodies, fetcher, Options(ocr="never"), lambda i, o: None)
    assert site.max_in_flight == 2
    spaced = Fetcher(delay=0.25)
    started = time.monotonic()
    for _ in range(3):
        spaced.get(site.url("/huaian/about.html"))
    assert time.monotonic() - started >= 0.5


def test_proxy_from_environment(site, monkeypatch):
    # The local server plays an HTTP proxy: it receives the absolute address.
    site.routes["http://gov.example/annual/"] = Route(b"<html><body>via proxy</body></html>")
    monkeypatch.setenv("http_proxy", site.base)
    monkeypatch.setenv("no_proxy", "")
    response = Fetcher(delay=0).get("http://gov.example/annual/")
    assert response.body == b"<html><body>via proxy</body></html>"


# --- the command line ----------------------------------------------------------------


def test_check_urls_list_follow_summary(site, tmp_path):
    import openpyxl

    listing = tmp_path / "bodies.txt"
    listing.write_text(
        "\n".join(
            [
                "# 名称\t层级\t年度报告栏目",
                f"淮安市人民政府\t市级\t{site.url('/huaian/column/')}",
                f"=洪泽区人民政府\tcounty\t{site.url('/hongze/column/')}",
                f"示范县人民政府\t县级\t{site.url('/stale/column/')}",
                f"消失的局\tdepartment\t{site.url('/gone/column/')}",
                f"慢吞吞镇\ttown\t{site.url('/slow/column/')}",
            ]
        ),
        encoding="utf-8",
    )
    summary = tmp_path / "汇总.xlsx"
    args = [
        "check", "--urls", str(listing), "--follow", "--year", "2024", "--previous-year",
        "--summary", str(summary), "--cache", str(tmp_path / "cache"), "--delay", "0",
        "--timeout", "0.5", "--retries", "0", "--ocr", "never",
    ]  # fmt: skip
    code, out, err = run(*args)
    assert code == 2  # some bodies could not be read
    assert "Traceback" not in out + err
    lines = out.splitlines()
    assert any(ln.startswith("淮安市人民政府：淮安市人民政府 2024年度") for ln in lines)
    assert (
        "示范县人民政府：未能读取：栏目页上没有2024年度的年度报告（只找到 2023、2022 年度的）"
        in lines
    )
    assert "消失的局：未能读取：网页不存在（HTTP 404）" in lines
    assert any(ln.startswith("慢吞吞镇：未能读取：连接超时") for ln in lines)
    assert "共5个机关：" in out and "3个未能读取" in out
    wb = openpyxl.load_workbook(summary)
    assert wb.sheetnames == ["汇总", "问题", "单元格"]
    ws = wb["汇总"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    header = [c.value for c in ws[1]]
    rows = {
        r[1]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)
    }
    huaian = rows["淮安市人民政府"]
    assert huaian["读取状态"] == "已读取" and huaian["年度"] == 2024 and huaian["文件格式"] == "pdf"
    assert huaian["错误数"] == 0 and isinstance(huaian["警告数"], int)
    assert huaian["公布日期"].date().isoformat() == "2025-01-20"
    assert huaian["公布期限"].date().isoformat() == "2025-03-31"  # 条例第四十九条, 市级
    assert huaian["是否逾期"] == "按时"
    hongze = rows["=洪泽区人民政府"]
    assert ws.cell(row=3, column=2).data_type == "s"  # text, never a formula
    assert ws.cell(row=3, column=2).quotePrefix  # gongkai.spreadsheets: text also when edited
    assert hongze["是否逾期"] == "逾期" and hongze["逾期天数"] == 8  # 2025-04-08 vs 03-31
    assert 0 < hongze["与上年重复率"] <= 1
    assert hongze["上年报告地址"] == site.url("/hongze/2023.pdf")
    assert rows["消失的局"]["读取状态"] == "未读取"
    assert rows["消失的局"]["原因"] == "网页不存在（HTTP 404）"
    cells = {(r[1], r[2]): r[3] for r in wb["单元格"].iter_rows(min_row=2, values_only=True)}
    assert cells[("淮安市人民政府", "t2.fees")] == pytest.approx(96171.6)
    assert cells[("淮安市人民政府", "t3.new.total")] == 3119
    findings = list(wb["问题"].iter_rows(min_row=2, values_only=True))
    assert any(f[4] == "published_late" for f in findings)
    # A rerun with the same cache downloads nothing that did not change.
    before = dict(site.not_modified)
    code2, out2, _ = run(*args)
    assert code2 == 2 and out2.count("\n") == out.count("\n")
    assert site.not_modified["/files/szfgs2024.pdf"] == before.get("/files/szfgs2024.pdf", 0) + 1
    assert site.not_modified["/hongze/2024.pdf"] >= 1


def test_check_json_lines_and_html_summary(site, tmp_path):
    summary = tmp_path / "summary.html"
    code, out, err = run(
        "check", site.url("/gbk/2024.html"), site.url("/huaian/about.html"), "--json",
        "--summary", str(summary), "--no-cache", "--delay", "0",
    )  # fmt: skip
    docs = [json.loads(line) for line in out.splitlines()]
    assert len(docs) == 2
    by_url = {d["url"]: d for d in docs}
    good = by_url[site.url("/gbk/2024.html")]
    assert good["organization"] == truth("hongzequ-2024")["organization"]
    assert good["year"] == 2024 and good["source_format"] == "html"
    assert "不是可读取的年度报告" in by_url[site.url("/huaian/about.html")]["error"]
    page = summary.read_text("utf-8")
    assert "<table>" in page and "已读取" in page and "未读取" in page
    assert code == 2


def test_convert_url(site, tmp_path):
    target = tmp_path / "r.json"
    code, _, err = run(
        "convert", site.url("/files/szfgs2024.pdf"), "--to", "json", "-o", str(target),
        "--no-cache", "--delay", "0",
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(target.read_text("utf-8"))
    assert doc["cells"]["t3.new.total"] == 3119
    code, _, err = run("convert", site.url("/nowhere.pdf"), "--to", "json", "--no-cache")
    assert code == 2 and err.strip().endswith("网页不存在（HTTP 404）")


def test_xlsx_body_list(site, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["名称", "层级", "网址"])
    ws.append(["淮安市人民政府", "市级", site.url("/huaian/column/")])
    path = tmp_path / "bodies.xlsx"
    wb.save(path)
    code, out, err = run(
        "check", "--urls", str(path), "--follow", "--year", "2024", "--no-cache", "--delay", "0",
        "--level", "city",
    )  # fmt: skip
    assert code == 0, out + err
    assert out.startswith("淮安市人民政府：淮安市人民政府 2024年度")


def test_parallel_workers_give_the_same_results(site, tmp_path):
    urls = [
        site.url("/files/szfgs2024.pdf"),
        site.url("/hongze/2024.pdf"),
        site.url("/gbk/2024.html"),
    ]
    code1, out1, _ = run("check", *urls, "--json", "--no-cache", "--delay", "0")
    code2, out2, _ = run("check", *urls, "--json", "--no-cache", "--delay", "0", "-j", "2")
    assert code1 == code2
    assert sorted(out1.splitlines()) == sorted(out2.splitlines())


def test_batch_arguments_are_checked():
    code, _, err = run("check", "http://127.0.0.1:9/", "--follow")
    assert code == 2 and "--follow 需要 --year" in err
    code, _, err = run("check", "http://127.0.0.1:9/", "--summary", "x.pdf")
    assert code == 2 and ".xlsx 或 .html" in err


def test_only_web_addresses_and_no_internal_ones_when_asked(site, monkeypatch):
    with pytest.raises(FetchError, match="不是网址"):
        Fetcher(delay=0).get("file:///etc/passwd")
    with pytest.raises(FetchError, match="内部网络"):
        Fetcher(delay=0, block_private=True).get(site.url("/huaian/column/"))
    assert "/huaian/column/" not in site.hits
    # A public page that redirects inward is stopped at the redirect.
    from gongkai.annual.web import fetch

    monkeypatch.setattr(fetch, "is_public_host", lambda host: host == "127.0.0.1")
    port = site.server.server_address[1]
    site.routes["/jump"] = Route(
        status=302, location=f"http://localhost:{port}/files/szfgs2024.pdf"
    )
    with pytest.raises(FetchError, match="内部网络"):
        Fetcher(delay=0, block_private=True, respect_robots=False).get(site.url("/jump"))
    assert "/files/szfgs2024.pdf" not in site.hits


def test_html_summary_escapes_web_text():
    from gongkai.annual.web.batch import Outcome
    from gongkai.annual.web.summary import write_summary_html

    page = write_summary_html(
        [Outcome(url="https://x.gov.cn/", name="<script>alert(1)</script>", reason="<b>x</b>")]
    ).decode("utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "<b>x" not in page


def test_outsized_pdf_page_is_rendered_within_the_pixel_cap():
    from gongkai.annual.ocr.reader import MAX_PIXELS, PDF_DPI, render_scale

    assert render_scale(595, 842) == PDF_DPI / 72  # A4 at full resolution
    scale = render_scale(14400, 14400)  # a 5 m x 5 m page
    assert (14400 * scale) ** 2 <= MAX_PIXELS * 1.001


def test_local_files_in_batch_mode_and_progress_bar(tmp_path):
    from gongkai.annual.sample import seed_like_report

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(write(seed_like_report(), "text"))
    (tmp_path / "c.txt").write_text("不是报告", encoding="utf-8")

    class Tty(io.StringIO):
        def isatty(self):
            return True

    out, err = io.StringIO(), Tty()
    code = cli.run(["check", str(tmp_path), "-j", "2", "--json"], out, err)
    docs = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 2 and len(docs) == 3
    assert sum(1 for d in docs if "error" in d) == 1
    assert "检查中 [" in err.getvalue() and "3/3" in err.getvalue()


def test_worker_memory_is_capped_and_the_run_goes_on(tmp_path):
    from gongkai.annual.sample import seed_like_report

    small = tmp_path / "small.txt"
    small.write_bytes(write(seed_like_report(), "text"))
    big = tmp_path / "big.txt"
    text = write(seed_like_report(), "text").decode("utf-8")
    filler = "本机关全年扎实推进政务公开工作，群众满意度持续提升。\n" * 400_000  # ~30 MB
    big.write_bytes(text.replace("一、总体情况\n", "一、总体情况\n" + filler, 1).encode("utf-8"))
    options = Options(jobs=2, ocr="never", worker_memory_mb=200)
    outcomes = run_batch(
        [Body(url=str(big)), Body(url=str(small))], Fetcher(), options, lambda i, o: None
    )
    assert len(outcomes) == 2
    assert outcomes[0].status == "failed" and "内存" in outcomes[0].reason
