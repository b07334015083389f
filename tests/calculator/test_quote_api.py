import json
import subprocess
import sys

import pytest

PUBLISHED = {
    "annual_rate": "0.0565", "principal": "6000", "disbursed_on": "2018-09-01",
    "self_pay_from": "2019-09-01", "maturity": "2024-12-20", "principal_from": "2021-12-20",
    "as_of": "2022-12-20",
}


def _post(client, body):
    return client.post("/api/v1/quote", data=json.dumps(body) if isinstance(body, dict) else body,
                       content_type="application/json")


@pytest.mark.django_db
def test_api_gives_the_published_example(client):
    response = _post(client, PUBLISHED)
    assert response.status_code == 200, response.content
    rows = {row["date"]: row for row in response.json()["settlements"]}
    assert rows["2019-12-20"]["borrower_interest"] == "103.58"
    assert rows["2019-12-20"]["subsidy_interest"] == "240.13"
    assert rows["2020-12-20"]["borrower_interest"] == "339.00"
    assert rows["2021-12-20"]["principal_due"] == "1500.00"
    assert rows["2022-12-20"]["borrower_interest"] == "254.25"


@pytest.mark.django_db
def test_api_equals_the_command_line(client):
    body = {**PUBLISHED, "payments": [{"on": "2019-12-20", "amount": "103.58"}], "as_of": "2021-03-01"}
    cli = subprocess.run([sys.executable, "-m", "xuedai.cli", "quote"], input=json.dumps(body),
                         capture_output=True, text=True, check=True)
    assert _post(client, body).json() == json.loads(cli.stdout)


@pytest.mark.django_db
def test_json_numbers_are_decimals_not_floats(client):
    # 0.1 + 0.2 as floats is 0.30000000000000004; as Decimals the credit is exactly 0.30.
    body = {**PUBLISHED, "as_of": "2018-10-01",
            "payments": [{"on": "2018-09-10", "amount": 0.1}, {"on": "2018-09-11", "amount": 0.2}]}
    response = _post(client, json.dumps(body))
    assert response.status_code == 200, response.content
    assert response.json()["as_of"]["credit"] == "0.30"


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [("annual_rate", "abc"), ("maturity", "2024-13-40"),
                                                ("principal", "-5")])
def test_bad_input_names_the_field_in_chinese(client, field, value):
    response = _post(client, {**PUBLISHED, field: value})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["error"])


def test_cli_exit_code_2_on_bad_input():
    result = subprocess.run([sys.executable, "-m", "xuedai.cli", "quote"], input='{"annual_rate": "x"}',
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert set(json.loads(result.stdout)) == {"error", "field"}


@pytest.mark.django_db
def test_quote_page_renders_results(client):
    response = client.post("/calculator/", {
        "principal": "6000", "annual_rate": "5.65", "basis": "pboc", "disbursed_on": "2018-09-01",
        "self_pay_from": "2019-09-01", "principal_from": "2021-12-20", "maturity": "2024-12-20",
        "as_of": "2022-12-21"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "103.58" in html and "254.25" in html and "结息明细" in html
