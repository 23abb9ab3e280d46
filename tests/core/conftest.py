"""Fixtures shared by the tests of this folder: The portfolio repository of the deadline report tests.

A module that defines a fixture of the same name uses its own."""

from tests.support.deadline_repos import repo  # noqa: F401 (fixtures)
