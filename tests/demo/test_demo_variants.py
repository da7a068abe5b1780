"""Tests for shixin.demo.variants: written forms stay recoverable."""

import unicodedata
from random import Random

from shixin.demo.variants import spaced_name, to_traditional, written_id


def _clean(written: str) -> str:
    return unicodedata.normalize("NFKC", written).replace(" ", "").replace("-", "").upper()


def test_written_ids_normalise_back() -> None:
    """Every written form of an ID reads back to the canonical one, and forms vary."""
    rng = Random(1)
    forms = set()
    for canonical in ("450202198001011232", "45020219750101104X"):
        for _ in range(200):
            written = written_id(canonical, rng)
            forms.add(written)
            assert _clean(written) == canonical
    assert any("x" in f for f in forms) and any("２" in f for f in forms)
    assert any(" " in f.strip() for f in forms) and any("-" in f for f in forms)


def test_traditional_and_spaced_names() -> None:
    """Common names change under the traditional map; spaces are inserted inside."""
    assert to_traditional("张伟") == "張偉"
    assert to_traditional("柳州市鑫达贸易有限公司") == "柳州市鑫達貿易有限公司"
    spaced = spaced_name("欧阳娜娜", Random(3))
    assert spaced.replace(" ", "").replace("\u3000", "") == "欧阳娜娜" and spaced != "欧阳娜娜"
