"""archive.minhash gives datasketch's signatures, so stored signatures stay comparable."""

from __future__ import annotations

import numpy as np
import pytest

from archive.minhash import minhash
from archive.signature import NUM_PERM, lead_minhash, lead_of, shingles, units

datasketch = pytest.importorskip("datasketch")  # the dev extra


def datasketch_signature(values: set[bytes]) -> np.ndarray:
    reference = datasketch.MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32")
    reference.update_batch(list(values))
    return reference.digest()


@pytest.mark.parametrize("text", [
    "美国专利商标局公布了一份 Meta 的专利申请，该专利涉及利用机器学习算法生成虚拟形象。",
    "比特币", "ab", "", "Alpha Labs 完成 500 万美元种子轮融资，本轮由红杉中国领投。" * 3,
])
def test_signatures_equal_datasketch_affine32(text):
    values = shingles(text)
    assert np.array_equal(minhash(values, NUM_PERM), datasketch_signature(values))


def test_a_stored_signature_is_the_datasketch_one_little_endian():
    lead, _ = lead_of(units("以太坊完成上海升级，质押提款功能正式开放。"))
    expected = datasketch_signature(shingles(lead)).astype("<u4").tobytes()
    assert lead_minhash(lead) == expected and len(lead_minhash(lead)) == 4 * NUM_PERM


def test_an_empty_set_has_the_maximum_everywhere():
    assert set(minhash([], 8).tolist()) == {2**32 - 1}
