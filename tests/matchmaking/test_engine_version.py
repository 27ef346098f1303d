"""Stored results carry the engine version: a change of the engine's code or data changes it."""

import shutil
from pathlib import Path

import superconnector.engine as engine_package
from superconnector.matchmaking.domain.matching import digest_engine, engine_version


def copy_of_the_engine(tmp_path: Path) -> Path:
    root = tmp_path / "engine"
    shutil.copytree(
        Path(engine_package.__file__).parent, root, ignore=shutil.ignore_patterns("__pycache__")
    )
    return root


def test_the_version_is_the_digest_of_the_installed_engine(tmp_path):
    assert engine_version() == digest_engine(copy_of_the_engine(tmp_path))


def test_changing_a_data_file_changes_the_version(tmp_path):
    root = copy_of_the_engine(tmp_path)
    before = digest_engine(root)
    fit = root / "data" / "fit.json"
    fit.write_text(fit.read_text().replace("0.6", "0.65", 1))
    assert digest_engine(root) != before


def test_changing_the_glossary_or_the_code_changes_the_version(tmp_path):
    root = copy_of_the_engine(tmp_path)
    before = digest_engine(root)
    glossary = root / "data" / "glossary.json"
    glossary.write_text(glossary.read_text().replace('"trademark"', '"trade mark"', 1))
    after_data = digest_engine(root)
    assert after_data != before
    (root / "matching" / "scoring.py").write_text("# changed\n", encoding="utf-8")
    assert digest_engine(root) != after_data


def test_moving_a_file_changes_the_version(tmp_path):
    root = copy_of_the_engine(tmp_path)
    before = digest_engine(root)
    (root / "data" / "fit.json").rename(root / "data" / "fit_tables.json")
    assert digest_engine(root) != before
