"""Odd query parameters, ids and methods get a 4xx, never a 500: JSON under /api/ and for
/healthz, a page elsewhere. Ids are checked by their shape before any Redis call.
Hypothesis throws arbitrary values at every query parameter and id."""
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from mnistsite.embedded_redis import free_port
from mnistsite.settings import rq_queues

from .records import make_record
from .visitors import become_visitor

HUGE = "9223372036854775807"
PARAMS = ["digit", "status", "date_from", "date_to", "q", "page", "page_size"]
LISTS = ["/api/predictions", "/history/", "/history/export.csv", "/history/export.json"]
EXAMPLES = hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def is_json(response):
    return response["Content-Type"].startswith("application/json") and isinstance(response.json(), dict)


def check(response, path):
    assert response.status_code < 500, (path, response.status_code)
    if path.startswith("/api/") or path == "/healthz":
        assert is_json(response), (path, response.content[:200])
        if response.status_code >= 400:
            assert response.json()["error"]
    return response


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("query", [f"page={HUGE}", f"page=-{HUGE}", "page=1e9", "page_size=" + HUGE,
                                   "date_to=9999-12-31", "date_from=0001-01-01", "date_from=9999-12-31",
                                   "date_to=0001-01-01", "digit=%00", "q=%00", "status=queued&digit=3",
                                   "date_from=2026-02-30", "q=" + "x" * 300])
def test_odd_list_parameters_get_an_answer_not_a_500(client, path, query):
    make_record("x.png", digit=3)
    response = check(client.get(f"{path}?{query}"), path)
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("suffix", [":thumb", ":input", ":explain", "%3Athumb", "/../x", "*", ":" * 40])
def test_ids_that_name_other_keys_are_not_found(client, suffix):
    prediction_id = make_record("x.png", digit=3)
    for path in (f"/p/{prediction_id}{suffix}/", f"/api/predictions/{prediction_id}{suffix}",
                 f"/media/{prediction_id}{suffix}/upload", f"/media/{prediction_id}{suffix}/thumb.png",
                 f"/media/{prediction_id}{suffix}/input.png"):
        response = check(client.get(path), path)
        assert response.status_code == 404, path
    assert check(client.get(f"/results/?ids={prediction_id}:thumb"), "/results/").status_code == 404


def test_api_methods_that_do_not_exist_answer_405_in_json(client):
    prediction_id = make_record("x.png", digit=3)
    for method, path in (("put", "/api/predictions"), ("delete", "/api/predictions"),
                         ("patch", f"/api/predictions/{prediction_id}"), ("post", f"/api/predictions/{prediction_id}"),
                         ("delete", f"/api/predictions/{prediction_id}/correction")):
        response = check(getattr(client, method)(path), path)
        assert response.status_code == 405
        assert "method" in response.json()["error"]
        assert response["Allow"]


def test_unknown_api_addresses_answer_404_in_json(client):
    response = check(client.get("/api/nothing-here"), "/api/nothing-here")
    assert response.status_code == 404


def test_healthz_answers_503_in_json_when_redis_is_away(client, settings):
    settings.RQ_QUEUES = rq_queues({"URL": f"redis://127.0.0.1:{free_port()}/0"})
    for path in ("/healthz", "/api/predictions"):
        response = client.get(path)
        assert response.status_code == 503
        assert is_json(response) and "unreachable" in response.json()["error"]


def test_the_history_past_its_end_shows_the_last_page(client, settings):
    settings.HISTORY_PAGE_SIZE = 2
    owner = become_visitor(client)
    for n in range(5):
        make_record(f"n{n}.png", digit=n, owner=owner, created_at=1_700_000_000 + n)
    page = client.get("/history/?page=99").content.decode()
    assert "n0.png" in page and "n4.png" not in page  # page 3 of 3: the oldest record
    assert client.get("/history/?page=3").content.decode().count("n0.png") == page.count("n0.png")


values = st.one_of(st.text(max_size=40), st.integers().map(str), st.dates().map(str),
                   st.sampled_from(["", " ", "0", "-1", HUGE, "nan", "1e309", "finished", "2026-13-01"]))
queries = st.dictionaries(st.sampled_from(PARAMS + ["wait", "ids"]), values, max_size=4)


@pytest.mark.slow
@pytest.mark.parametrize("path", LISTS)
@EXAMPLES
@given(query=queries)
def test_any_query_gets_a_4xx_or_an_answer(path, query):
    client = Client()
    become_visitor(client)
    response = check(client.get(path, query), path)
    assert response.status_code in (200, 400)


ids = st.one_of(st.text(min_size=1, max_size=80), st.from_regex(r"[0-9a-f]{16,32}(:thumb|:input)?", fullmatch=True))
ID_PATHS = ["/p/{}/", "/api/predictions/{}", "/media/{}/upload", "/media/{}/thumb.png", "/media/{}/input.png",
            "/media/{}/explain.png", "/results/?ids={}"]


@pytest.mark.slow
@pytest.mark.parametrize("template", ID_PATHS)
@EXAMPLES
@given(prediction_id=ids)
def test_any_id_gets_a_404_not_a_500(template, prediction_id):
    path = template.format(quote(prediction_id, safe=""))
    response = check(Client().get(path), path)
    assert response.status_code in (400, 404)


@pytest.mark.slow
@EXAMPLES
@given(prediction_id=ids, digit=values)
def test_any_correction_gets_a_4xx(prediction_id, digit):
    client = Client()
    path = f"/api/predictions/{quote(prediction_id, safe='')}/correction"
    response = check(client.post(path, {"digit": digit}), path)
    assert 400 <= response.status_code < 500
    form = check(client.post(f"/p/{quote(prediction_id, safe='')}/correct", {"digit": digit}), "/p/")
    assert 400 <= form.status_code < 500
