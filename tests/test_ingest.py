"""Ingest: kinds recognised by content, bad input skipped with a reason, and
URL fetching behind an address check, a size cap and checked redirects.
Never touches the network: httpx.MockTransport and a fake resolver."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpcore
import httpx
import pytest

from newsfuse.fetch import CheckedBackend, UnsafeURLError, _own_transport, check_url_allowed, fetch_url
from newsfuse.ingest import IngestConfig, decode_bytes, ingest, parse_date, sniff_kind
from newsfuse.models import Article, Skipped

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PUBLIC = "93.184.216.34"

LATIN1_TEXT = (
    "GENÈVE - Le ministre a déclaré mercredi que la réunion à Genève était « très productive ».\n"
    "Les négociations reprendront en août, a précisé son porte-parole.\n"
)


def run(*sources: str | Path, **cfg: object) -> tuple[list[Article], list[Skipped]]:
    items = list(ingest([str(s) for s in sources], IngestConfig(**cfg)))  # type: ignore[arg-type]
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Skipped)]


def copy_fixture(name: str, dest: Path, as_name: str | None = None) -> Path:
    target = dest / (as_name or name)
    shutil.copyfile(FIXTURES / name, target)
    return target


# ---------------------------------------------------------------- kinds by content


def test_rss_named_txt_is_a_feed_with_full_text_from_content_encoded() -> None:
    articles, skipped = run(FIXTURES / "feed.txt")
    assert skipped == []
    first, second = articles
    assert first.id == first.url == "https://gazette.example/2025/03/bridge-shut"
    # content:encoded, not the one-line description; HTML turned into text, script dropped.
    assert first.text.startswith("The Old Harbour Bridge will stay closed for at least two weeks")
    assert "Ferries & buses will replace the tram line" in first.text
    assert "<" not in first.text and "track()" not in first.text
    assert first.title == "Bridge to stay shut for two weeks"
    assert first.outlet == "Harbour Gazette"
    # 23:30 at UTC-5 is still 3 March where it was written.
    assert first.published == date(2025, 3, 3)
    # No link: the file name and item number; escaped HTML description becomes text.
    assert second.id == "feed.txt#2" and second.url is None
    assert second.text == "The harbour ferry will run every fifteen minutes until the bridge reopens."
    assert second.published == date(2025, 3, 4)


def test_atom_feed_with_odd_extension() -> None:
    (article,), skipped = run(FIXTURES / "atom.feed")
    assert skipped == []
    assert article.id == "https://wire.example/barge-inquiry"
    assert article.text.startswith("The owner of the grain barge")
    assert (article.outlet, article.author, article.published) == (
        "Portvale Wire",
        "Mira Tan",
        date(2025, 3, 4),
    )


def test_html_named_dat_goes_through_extract_html() -> None:
    (article,), skipped = run(FIXTURES / "page.dat")
    assert skipped == []
    assert article.id == "page.dat"
    assert "A grain barge struck a pier of the Old Harbour Bridge" in article.text
    assert "About 40,000 people cross the bridge" in article.text
    assert "<p>" not in article.text and "All rights reserved" not in article.text
    assert article.title == "Barge strikes Old Harbour Bridge"
    assert article.published == date(2025, 3, 3)
    # The canonical link gives a saved page its identity.
    assert article.url == "https://courier.example/news/2025/03/03/bridge-barge"


def test_text_capture_is_kept_raw() -> None:
    (article,), _ = run(FIXTURES / "capture.txt")
    raw = (FIXTURES / "capture.txt").read_text(encoding="utf-8")
    assert article.id == "capture.txt"
    assert article.text == raw  # boilerplate ("Share.") is clean.py's job
    assert article.url is None and article.source_path == str(FIXTURES / "capture.txt")


def test_jsonl_with_and_without_ids_and_rfc822_dates() -> None:
    (first, second), skipped = run(FIXTURES / "articles.jsonl")
    assert skipped == []
    assert first.id == "gz-101"
    assert (first.title, first.outlet, first.published) == (
        "Crack found in bridge pier",
        "Harbour Gazette",
        date(2025, 3, 3),
    )
    assert first.url == "https://gazette.example/2025/03/crack"
    assert second.id == "articles.jsonl#2"  # no id: file name and line
    assert second.published == date(2025, 3, 4)
    assert second.text == "Commuters packed the harbour ferries on Tuesday morning."


def test_bad_jsonl_lines_are_skipped_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "feed.data"
    path.write_text(
        '{"id": "a", "text": "First good article text."}\n'
        '{"id": "b", "text": "broken\n'
        "\n"
        '{"id": "c", "title": "no body"}\n'
        '["not", "an", "object"]\n'
        '{"id": 7, "text": "Numeric id is fine.", "published": "2024-06-11T23:10:00Z"}\n',
        encoding="utf-8",
    )
    articles, skipped = run(path)
    assert [a.id for a in articles] == ["a", "7"]
    assert articles[1].published == date(2024, 6, 11)
    assert [s.source for s in skipped] == [f"{path}:2", f"{path}:4", f"{path}:5"]
    assert skipped[0].reason.startswith("invalid JSON")
    assert skipped[1].reason == "no 'text' field"
    assert "JSON object" in skipped[2].reason


def test_single_json_object_and_json_array(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text('{"text": "A lone article.", "outlet": "Gazette"}', encoding="utf-8")
    (tmp_path / "many.txt").write_text(
        '[{"id": "x1", "text": "One."}, {"text": "Two.", "published": "2025-03-04"}]', encoding="utf-8"
    )
    articles, skipped = run(tmp_path)
    assert skipped == []
    assert [(a.id, a.text) for a in articles] == [
        ("x1", "One."),
        ("many.txt#2", "Two."),
        ("one.json", "A lone article."),
    ]
    assert articles[1].published == date(2025, 3, 4)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        ('<?xml version="1.0"?>\n<!-- generated -->\n<rss version="2.0"><channel>', "feed"),
        ('<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        ("<?xml version='1.0'?><rdf:RDF xmlns:rdf='x'>", "feed"),
        ("<!DOCTYPE html><html><body><p>Hi</p>", "html"),
        ("<div><p>Para</p><p>Para</p></div>", "html"),
        ('{"id": "1", "text": "x"}\n{"id": "2", "text": "y"}', "json"),
        ('[{"text": "x"}]', "json"),
        ("[Reuters] MOSCOW - Putin will visit", "text"),
        ("MOSCOW (Reuters) - the <b> tag alone does not make a page", "text"),
    ],
)
def test_sniff_kind(head: str, kind: str) -> None:
    assert sniff_kind(head) == kind


# ---------------------------------------------------------------- bad input


def test_folder_with_bad_files_next_to_good_ones(tmp_path: Path) -> None:
    copy_fixture("capture.txt", tmp_path)
    copy_fixture("page.dat", tmp_path)
    copy_fixture("feed.txt", tmp_path, "nested-feed.xml")
    copy_fixture("notext.html", tmp_path)
    copy_fixture("truncated.rss", tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n\t")
    (tmp_path / "photo.bin").write_bytes(b"\x00\x01\x02" + bytes(range(256)) * 4)
    (tmp_path / "scan.txt").write_bytes(b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n1 0 obj")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "geneve.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    (tmp_path / ".hidden.txt").write_text("Hidden files are not news.", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main", encoding="utf-8")

    articles, skipped = run(tmp_path)

    assert [Path(a.source_path or "").name for a in articles] == [
        "capture.txt",
        "nested-feed.xml",
        "nested-feed.xml",
        "page.dat",
        "geneve.txt",
    ]
    geneve = articles[-1]
    assert geneve.text == LATIN1_TEXT  # decoded, not skipped, not mangled
    reasons = {Path(s.source).name: s.reason for s in skipped}
    assert len(skipped) == len(reasons) == 6  # one per bad file
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.txt"] == "empty file"
    assert reasons["photo.bin"].startswith("binary file")
    assert reasons["scan.txt"] == "binary file (PDF)"
    assert reasons["notext.html"].startswith("HTML page with no extractable text")
    assert reasons["truncated.rss"].startswith("malformed feed")
    assert all("\n" not in s.reason for s in skipped)


def test_order_is_deterministic(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "c/z.txt", "c/a.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(f"Article {name}.", encoding="utf-8")
    articles, _ = run(tmp_path)
    assert [a.text for a in articles] == [
        "Article a.txt.",
        "Article b.txt.",
        "Article c/a.txt.",
        "Article c/z.txt.",
    ]


def test_too_large_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("word " * 3000, encoding="utf-8")
    articles, skipped = run(big, max_bytes=10_000)
    assert articles == []
    assert skipped == [Skipped(str(big), "too large: 15 kB > 10 kB")]


def test_missing_path_and_unreadable_file(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("Secret.", encoding="utf-8")
    locked.chmod(0)
    articles, skipped = run(tmp_path / "nowhere", locked)
    assert skipped[0] == Skipped(str(tmp_path / "nowhere"), "no such file or directory")
    try:
        locked.open("rb").close()
    except PermissionError:
        assert skipped[1].reason.startswith("unreadable")
    else:  # running as root: permissions do not bind
        assert [a.text for a in articles] == ["Secret."]


def test_truncated_feed_keeps_complete_items(tmp_path: Path) -> None:
    whole = (FIXTURES / "feed.txt").read_text(encoding="utf-8")
    cut = tmp_path / "cut.rss"
    cut.write_text(whole[: whole.index("<title>Ferry") + 20], encoding="utf-8")
    articles, skipped = run(cut)
    assert [a.id for a in articles] == ["https://gazette.example/2025/03/bridge-shut"]
    assert [s.source for s in skipped] == [f"{cut}#2"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Zürich café".encode(), "Zürich café"),
        ("\ufeffBOM text".encode(), "BOM text"),
        ("Ce qu’il a dit : « déjà vu » – 5 €".encode("cp1252"), "Ce qu’il a dit : « déjà vu » – 5 €"),
        (
            "Президент России посетит Северную Корею и Вьетнам".encode("cp1251"),
            "Президент России посетит Северную Корею и Вьетнам",
        ),
        ("UTF-16 text".encode("utf-16"), "UTF-16 text"),
    ],
)
def test_decode_bytes(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == expected


def test_mojibake_is_text_not_binary(tmp_path: Path) -> None:
    # UTF-8 read as latin-1 and saved again as UTF-8: C1 controls everywhere.
    garbled = "Putin’s “visit” – the Kremlin’s plan. " * 20
    path = tmp_path / "mojibake.txt"
    path.write_bytes(garbled.encode("utf-8").decode("latin-1").encode("utf-8"))
    (article,), skipped = run(path)
    assert skipped == [] and article.text.startswith("Putinâ\x80\x99s")


def test_control_characters_mean_binary() -> None:
    assert decode_bytes(bytes(range(1, 32)) * 50 + b"some text") == Skipped(
        "", "binary file (control characters)"
    )


def test_decode_bytes_uses_a_declared_charset() -> None:
    html = '<meta charset="iso-8859-2"><p>Łódź</p>'.encode("iso-8859-2")
    assert decode_bytes(html) == '<meta charset="iso-8859-2"><p>Łódź</p>'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-06-11", date(2024, 6, 11)),
        ("2024-06-11T23:30:00-05:00", date(2024, 6, 11)),
        ("2024-06-11 08:00", date(2024, 6, 11)),
        ("Tue, 11 Jun 2024 08:00:00 GMT", date(2024, 6, 11)),
        ("2024/06/11", date(2024, 6, 11)),
        (1718064000, date(2024, 6, 11)),
        ("next Tuesday", None),
        ("2024-13-45", None),
        (None, None),
    ],
)
def test_parse_date(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


# ---------------------------------------------------------------- URLs

Handler = Callable[[httpx.Request], httpx.Response]


def fake_resolver(table: dict[str, list[str]]) -> Callable[[str], list[str]]:
    def resolve(host: str) -> list[str]:
        return table.get(host, [PUBLIC])

    return resolve


def client(handler: Handler) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


PAGE = (FIXTURES / "page.dat").read_bytes()
FEED = (FIXTURES / "feed.txt").read_bytes()


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1/admin", "loopback"),
        ("http://127.8.9.1:8080/", "loopback"),
        ("http://10.0.0.5/", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/", "loopback"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[::ffff:10.0.0.1]/", "private"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://100.64.0.1/", "non-global"),
        ("http://127.1/", "loopback"),
        ("http://2130706433/", "loopback"),
        ("http://0x7f.0.0.1/", "loopback"),
        ("http://[64:ff9b::a00:1]/", "private"),
        ("http://[2002:7f00:1::1]/", "loopback"),
        ("http://localhost:8000/", "loopback host"),
        ("http://api.localhost/", "loopback host"),
        ("http://intranet.example/", "private"),
        ("http://mixed.example/", "loopback"),
    ],
)
def test_internal_addresses_are_refused(url: str, kind: str) -> None:
    resolve = fake_resolver({"intranet.example": ["10.1.2.3"], "mixed.example": [PUBLIC, "::1"]})
    with pytest.raises(UnsafeURLError, match=kind):
        check_url_allowed(url, False, resolve)
    check_url_allowed(url, True, resolve)  # allow_private lets it through


def test_public_and_non_http_urls() -> None:
    check_url_allowed("https://news.example/a", False, fake_resolver({}))
    check_url_allowed("http://8.8.8.8/", False, fake_resolver({}))
    for url in ("file:///etc/passwd", "ftp://news.example/x", "http:///nohost"):
        with pytest.raises(UnsafeURLError):
            check_url_allowed(url, True, fake_resolver({}))


def rebinding_resolver(first: str, then: str) -> Callable[[str], list[str]]:
    """A DNS server that answers `first` once and `then` ever after."""
    answers = [first]

    def resolve(host: str) -> list[str]:
        return [answers.pop()] if answers else [then]

    return resolve


PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_proxy_env")
def test_rebinding_between_check_and_connect_is_refused() -> None:
    # The check sees a public address, the connection would see a private one.
    with pytest.raises(UnsafeURLError, match=r"rebind\.example resolves to 10\.0\.0\.5, a private"):
        fetch_url("http://rebind.example/a", resolve=rebinding_resolver(PUBLIC, "10.0.0.5"), timeout=2)


@pytest.mark.usefixtures("no_proxy_env")
def test_own_client_is_guarded_unless_a_proxy_connects(monkeypatch: pytest.MonkeyPatch) -> None:
    guarded = _own_transport(False, fake_resolver({}))
    assert guarded is not None
    assert isinstance(guarded._pool._network_backend, CheckedBackend)
    assert _own_transport(True, fake_resolver({})) is None  # private addresses allowed
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert _own_transport(False, fake_resolver({})) is None  # httpx then reads the proxy


def test_connections_go_to_the_checked_address(monkeypatch: pytest.MonkeyPatch) -> None:
    dialled: list[tuple[str, int]] = []

    def record(self: object, host: str, port: int, *args: object) -> httpcore.NetworkStream:
        dialled.append((host, port))
        raise httpcore.ConnectError("not dialling out in tests")

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", record)
    backend = CheckedBackend(fake_resolver({"two.example": ["2001:db8::1", PUBLIC]}))
    with pytest.raises(UnsafeURLError, match=r"2001:db8::1, a"):
        backend.connect_tcp("two.example", 443)
    backend = CheckedBackend(fake_resolver({"two.example": ["2606:4700::1111", PUBLIC]}))
    with pytest.raises(httpcore.ConnectError):
        backend.connect_tcp("two.example", 443)
    # Every checked address is tried in turn, never the name itself.
    assert dialled == [("2606:4700::1111", 443), (PUBLIC, 443)]


def test_refused_url_makes_no_request() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, content=PAGE)

    articles, skipped = run("http://10.0.0.7/page", client=client(handler), resolve=fake_resolver({}))
    assert articles == [] and requests == []
    assert skipped[0].source == "http://10.0.0.7/page" and "private" in skipped[0].reason
    articles, _ = run("http://10.0.0.7/page", client=client(handler), allow_private=True)
    assert len(articles) == 1 and len(requests) == 1


def test_fetched_html_page_yields_one_article_with_its_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=PAGE, headers={"content-type": "text/html; charset=utf-8"})

    url = "https://courier.example/bridge"
    (article,), skipped = run(url, client=client(handler), resolve=fake_resolver({}))
    assert skipped == []
    assert article.url == article.id == url
    assert "grain barge struck a pier" in article.text


def test_fetched_feed_yields_its_items() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=FEED, headers={"content-type": "application/rss+xml"})

    url = "https://gazette.example/rss"
    articles, skipped = run(url, client=client(handler), resolve=fake_resolver({}))
    assert skipped == []
    assert [a.id for a in articles] == ["https://gazette.example/2025/03/bridge-shut", f"{url}#2"]


def test_redirects_are_followed_and_each_hop_checked() -> None:
    hops: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hops.append(str(request.url))
        if request.url.path == "/old":
            return httpx.Response(301, headers={"location": "/new"})
        if request.url.path == "/new":
            return httpx.Response(302, headers={"location": "http://internal.example/secret"})
        if request.url.path == "/moved":
            return httpx.Response(302, headers={"location": "https://news.example/final"})
        return httpx.Response(200, content=PAGE)

    resolve = fake_resolver({"internal.example": ["192.168.0.10"]})
    articles, skipped = run("https://news.example/old", client=client(handler), resolve=resolve)
    assert articles == [] and hops == ["https://news.example/old", "https://news.example/new"]
    assert "internal.example resolves to 192.168.0.10, a private address" in skipped[0].reason

    (article,), _ = run("https://news.example/moved", client=client(handler), resolve=resolve)
    assert article.url == "https://news.example/final"


def test_redirect_loop_stops() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "/again"})

    _, (skip,) = run("https://news.example/loop", client=client(handler), resolve=fake_resolver({}))
    assert "too many redirects" in skip.reason


def test_size_cap_stops_the_download() -> None:
    sent: list[int] = []

    def chunks() -> object:
        for _ in range(100):
            sent.append(1)
            yield b"x" * 1000

    def streaming(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=chunks())  # type: ignore[arg-type]

    _, (skip,) = run(
        "https://news.example/huge", client=client(streaming), resolve=fake_resolver({}), max_bytes=5_000
    )
    assert skip.reason == "too large: more than 5 kB"
    assert len(sent) < 100  # stopped early, did not read it all

    def declared(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"x" * 12_300, headers={"content-length": "12300"})

    _, (skip,) = run(
        "https://news.example/big", client=client(declared), resolve=fake_resolver({}), max_bytes=10_000
    )
    assert skip.reason == "too large: 12.3 kB > 10 kB"


def test_a_trickling_server_is_cut_off() -> None:
    def trickle() -> object:
        for _ in range(200):
            time.sleep(0.01)
            yield b"x"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=trickle())  # type: ignore[arg-type]

    _, (skip,) = run(
        "https://news.example/drip", client=client(handler), resolve=fake_resolver({}), timeout=0.1
    )
    assert skip.reason == "timed out after 0.1 s fetching https://news.example/drip"


def test_http_errors_and_timeouts_are_skipped() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/slow":
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(404)

    _, skipped = run(
        "https://news.example/gone",
        "https://news.example/slow",
        client=client(handler),
        resolve=fake_resolver({}),
        timeout=3.0,
    )
    assert [s.reason for s in skipped] == [
        "HTTP 404 Not Found from https://news.example/gone",
        "timed out after 3 s fetching https://news.example/slow",
    ]


def test_fetch_url_reports_charset_and_final_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content="café".encode("latin-1"), headers={"content-type": "text/plain; charset=ISO-8859-1"}
        )

    page = fetch_url("https://news.example/a", client(handler), resolve=fake_resolver({}))
    assert (page.url, page.content_type, page.charset) == (
        "https://news.example/a",
        "text/plain",
        "ISO-8859-1",
    )
    (article,), _ = run("https://news.example/a", client=client(handler), resolve=fake_resolver({}))
    assert article.text == "café"


def test_seeds_ingest_as_text(seeds_dir: Path) -> None:
    articles, skipped = run(seeds_dir)
    assert skipped == []
    assert [a.id for a in articles] == sorted(p.name for p in seeds_dir.glob("*.txt"))
    assert all(a.text.strip() for a in articles)


def test_same_file_name_in_two_folders_gets_distinct_ids(tmp_path: Path) -> None:
    body = "The council approved the new budget on Tuesday after a long debate about school funding."
    for folder in ("d1", "d2"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "C1").write_text(f"{folder.upper()} report. {body}")
    ids = [item.id for item in ingest([str(tmp_path)]) if isinstance(item, Article)]
    assert ids == ["C1", "d2/C1"]
