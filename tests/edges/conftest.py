"""Fixtures shared by the tests of this folder: `gtx form` run in-process (`gtx_form`).

A module that defines a fixture of the same name uses its own."""

from tests.support.forms import gtx_form  # noqa: F401 (fixtures)
