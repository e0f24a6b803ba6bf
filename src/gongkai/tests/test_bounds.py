"""Issue #9 item 2: dates typed into any form stay in a sane range; query
numbers are bounded; /static/ path traversal is a 404 in the served mode."""

import datetime as dt
import urllib.parse
from wsgiref.util import setup_testing_defaults

import pytest
from django import forms as django_forms

from gongkai import bounds
from gongkai.appeals.forms import AppealForm, DecideForm
from gongkai.applications.forms import (
    ApplicationForm,
    CorrectionForm,
    DateNoteForm,
    ExtendForm,
    UntilForm,
)
from gongkai.disclosure.forms import ItemForm, NormativeDocumentForm, PublicationForm
from gongkai.reports.forms import ImportForm

ABSURD = ("9999-12-31", "0001-01-01", "1900-01-01", "2100-01-01")


def _date_errors(form, field):
    form.is_valid()
    return " ".join(form.errors.get(field, []))


def test_bounds_module():
    assert bounds.date_in_range(dt.date(2024, 5, 6))
    assert bounds.date_in_range(bounds.EARLIEST_DATE) and bounds.date_in_range(bounds.LATEST_DATE)
    assert not bounds.date_in_range(dt.date(9999, 12, 31))
    assert not bounds.date_in_range(None)
    assert bounds.int_in_range("2024", low=2000, high=2100) == 2024
    for raw in ("99999999999999999999999", "-1", "abc", "", None, "9" * 5000, "1e3"):
        assert bounds.int_in_range(raw, low=0, high=2100) is None


@pytest.mark.parametrize("value", ABSURD)
@pytest.mark.django_db
def test_every_back_office_date_field_refuses_absurd_dates(org, value):
    cases = [
        (ApplicationForm(data={"submitted_on": value}, organization=org), "submitted_on"),
        (ApplicationForm(data={"signed_for_on": value}, organization=org), "signed_for_on"),
        (ApplicationForm(data={"confirmed_on": value}, organization=org), "confirmed_on"),
        (CorrectionForm(data={"on": value, "until": value}), "on"),
        (CorrectionForm(data={"on": value, "until": value}), "until"),
        (DateNoteForm(data={"on": value}), "on"),
        (ExtendForm(data={"on": value}), "on"),
        (UntilForm(data={"on": value, "until": value}), "until"),
        (AppealForm(data={"filed_on": value}, organization=org), "filed_on"),
        (DecideForm(data={"decided_on": value}), "decided_on"),
        (ImportForm(data={"published_on": value}), "published_on"),
        (ItemForm(data={"formed_on": value}, organization=org), "formed_on"),
        (ItemForm(data={"notice_from": value}, organization=org), "notice_from"),
        (ItemForm(data={"notice_to": value}, organization=org), "notice_to"),
        (PublicationForm(data={"published_on": value}), "published_on"),
    ]
    for name in ("issued_on", "effective_from", "valid_until", "amended_on"):
        cases.append((NormativeDocumentForm(data={name: value}, organization=org), name))
    for form, field in cases:
        assert "超出合理范围" in _date_errors(form, field), (type(form).__name__, field)


@pytest.mark.django_db
def test_sane_dates_still_accepted_and_widgets_carry_min_max(org):
    form = ItemForm(data={"formed_on": "2024-05-06"}, organization=org)
    form.is_valid()
    assert "formed_on" not in form.errors
    assert 'min="1949-10-01"' in str(form["formed_on"])
    assert 'max="2099-12-31"' in str(form["formed_on"])
    form = DecideForm(data={"decided_on": "2024-05-06"})
    form.is_valid()
    assert "decided_on" not in form.errors


def test_every_date_field_in_the_back_office_forms_is_bounded():
    """A later date field added without the check fails here."""
    import gongkai.appeals.forms as appeals_forms
    import gongkai.applications.forms as applications_forms
    import gongkai.disclosure.forms as disclosure_forms
    import gongkai.reports.forms as reports_forms

    for module in (appeals_forms, applications_forms, disclosure_forms, reports_forms):
        for form_class in vars(module).values():
            if not (isinstance(form_class, type) and issubclass(form_class, django_forms.Form)):
                continue
            for name, field in form_class.base_fields.items():
                if isinstance(field, django_forms.DateField):
                    assert isinstance(field, bounds.BoundedDateField), (form_class, name)
    for form_class in (ItemForm, PublicationForm, NormativeDocumentForm):
        for name, field in form_class.base_fields.items():
            if isinstance(field, django_forms.DateField):
                assert isinstance(field, bounds.BoundedDateField), (form_class, name)


# --- /static/ path traversal --------------------------------------------------------------

TRAVERSALS = (
    "/static/..%2f..%2fetc/passwd",
    "/static/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/gongkai/..%2f..%2f..%2f..%2fpyproject.toml",
)


def _call_wsgi(handler, raw_path):
    environ = {}
    setup_testing_defaults(environ)
    # A WSGI server (gunicorn, as Django's development server) unquotes the path.
    environ["PATH_INFO"] = urllib.parse.unquote(raw_path, "iso-8859-1")
    environ["HTTP_HOST"] = "127.0.0.1"
    environ["SERVER_NAME"] = "127.0.0.1"
    status = {}

    def start_response(code, headers, exc_info=None):
        status["code"] = int(code.split()[0])

    body = b"".join(handler(environ, start_response))
    return status["code"], body


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.django_db
def test_static_traversal_is_404_in_the_served_mode(settings, debug):
    """`gongkai serve` (gunicorn) serves Django's WSGI handler with WhiteNoise in
    its middleware; under runserver's static handler an encoded ``..`` raised
    SuspiciousFileOperation (a 500)."""
    from django.core.handlers.wsgi import WSGIHandler

    settings.DEBUG = debug
    handler = WSGIHandler()
    for raw in TRAVERSALS:
        code, body = _call_wsgi(handler, raw)
        assert code == 404, raw
        assert b"root:" not in body and b"[project]" not in body
    code, body = _call_wsgi(handler, "/static/gongkai/css/base.css")
    assert code == 200 and body


@pytest.mark.django_db
def test_static_traversal_is_404_through_the_test_client(client):
    for raw in TRAVERSALS:
        assert client.get(raw).status_code == 404, raw
