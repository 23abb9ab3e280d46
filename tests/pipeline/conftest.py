"""Fixtures shared by the tests of this folder: The samples committed in a git repository (`repo`) and a spy on the dossiers checked (`checks`).

A module that defines a fixture of the same name uses its own."""

from tests.support.cache_repo import checks, repo  # noqa: F401 (fixtures)
