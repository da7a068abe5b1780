"""Warm the lazily loaded name tables once, so Hypothesis deadlines time the code, not imports."""

from __future__ import annotations

import pytest

from shixin.names import compare_org, fold, org_index_keys, query_keys
from tests.names.names_strategies import to_traditional


@pytest.fixture(scope="session", autouse=True)
def _warm_name_tables() -> None:
    """Load pypinyin, the OpenCC converters and the region tables before any test."""
    to_traditional("张伟")
    fold("乾山運輸")  # fold's own s2t converter, loaded for kept characters only
    org_index_keys("广西柳州鑫达贸易有限公司")
    query_keys("Guangxi Liuzhou Xinda Maoyi", None)
    compare_org("Xinda Maoyi", "柳州鑫达贸易有限公司")
