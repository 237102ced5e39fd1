"""Vietnamese writes some syllables two ways; their keys compare equal."""

from __future__ import annotations

import pytest

from indexer.figure_keys import syllable_keys
from indexer.tokens import canonical_syllable


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("tỷ", "tỉ"),  # tỷ lệ / tỉ lệ
        ("sỹ", "sĩ"),  # bác sỹ / bác sĩ
        ("kỹ", "kĩ"),
        ("lý", "lí"),
        ("quý", "quí"),
        ("hoá", "hóa"),  # the tone on o or a of an open "oa"
        ("thuỷ", "thủy"),
    ],
)
def test_both_spellings_of_a_syllable_have_one_key(one, other):
    assert canonical_syllable(one) == canonical_syllable(other)
    assert syllable_keys(one) == syllable_keys(other)


@pytest.mark.parametrize("syllable", ["y", "huy", "tuy", "may", "tay", "thi", "chi"])
def test_syllables_without_a_lone_i_or_y_after_a_consonant_keep_their_spelling(syllable):
    # "y" alone (y tế), the glide of "uy" and the "ay" rhyme are other sounds
    assert canonical_syllable(syllable) == syllable


def test_unaccented_spellings_fold_to_one_key():
    assert syllable_keys("ty")[1] == syllable_keys("tỉ")[1] == "ti"
