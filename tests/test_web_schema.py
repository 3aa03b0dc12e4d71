"""The OpenAPI document exercised by schemathesis: whatever the generated
input, no route answers with a server error. A few examples per route keep
this to seconds; writes are fuzzed with and without the token."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis (dev extra) is not installed")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from newsfuse.store import Store  # noqa: E402
from newsfuse.web import create_app  # noqa: E402
from newsfuse.web.loadtest import sample_store  # noqa: E402

with warnings.catch_warnings():
    # Starlette >= 1.x warns that its TestClient will move to `httpx2`; harmless here.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TOKEN = "fuzz-token"
FAST = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    store, story_id = sample_store(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}")
    yield store, story_id
    store.close()


def test_no_route_answers_with_a_server_error(sample: tuple[Store, str]) -> None:
    # schemathesis' pytest plugin does not run under pytest 9, so each
    # operation's strategy is driven by hypothesis directly.
    app = create_app(sample[0], token="")  # no token: generated POSTs are refused before any fetching
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    labels = []
    for result in schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)

        @given(case=operation.as_strategy())
        @FAST
        def call(case: schemathesis.Case) -> None:
            response = case.call()
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"

        call()
    assert {"GET /api/stories", "GET /api/articles/{article_id}", "POST /api/articles", "GET /"} <= set(
        labels
    )


@given(
    body=st.fixed_dictionaries(
        {"text": st.text(min_size=0, max_size=300)},
        optional={
            "id": st.text(max_size=40),
            "title": st.text(max_size=80),
            "outlet": st.text(max_size=40),
            "published": st.one_of(st.dates().map(str), st.text(max_size=12)),
            "url": st.one_of(st.just("javascript:alert(1)"), st.text(max_size=30)),
        },
    )
)
@FAST
def test_authorised_posts_never_fail_with_a_server_error(
    sample: tuple[Store, str], body: dict[str, str]
) -> None:
    client = TestClient(create_app(sample[0], TOKEN))
    response = client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code < 500, response.text
    if response.status_code in (200, 201):
        for row in response.json()["articles"]:
            assert client.get(f"/stories/{row['story']}").status_code == 200


@given(text=st.text(max_size=60))
@FAST
def test_pages_never_fail_on_any_path_or_query(sample: tuple[Store, str], text: str) -> None:
    client = TestClient(create_app(sample[0]))
    for response in (
        client.get("/", params={"q": text}),
        client.get("/api/search", params={"q": text}),
        client.get("/stories/" + quote(text, safe="")),
        client.get("/articles/" + quote(text, safe="")),
        client.get("/api/articles/" + quote(text, safe="/:")),
    ):
        assert response.status_code < 500


def test_sample_paths_exist(tmp_path: Path) -> None:
    """The fuzzed app serves real data: the sample story's page and JSON."""
    store, story_id = sample_store(f"sqlite:///{tmp_path / 'one.db'}")
    client = TestClient(create_app(store))
    assert client.get(f"/stories/{story_id}").status_code == 200
    assert client.get(f"/api/stories/{story_id}").json()["id"] == story_id
    store.close()
