"""Fixtures shared by the tests of this folder: A `gtx init` repository with the working directory inside it (`repo`).

A module that defines a fixture of the same name uses its own."""

from tests.support.newdossier import repo  # noqa: F401 (fixtures)
