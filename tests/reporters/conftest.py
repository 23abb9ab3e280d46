"""Fixtures shared by the tests of this folder: Six projects across the stages and a broken one, in a repository (`repo`).

A module that defines a fixture of the same name uses its own."""

from tests.support.portfolio import repo  # noqa: F401 (fixtures)
