"""MinHash signatures of shingle sets, exactly as datasketch 2's ``MinHash(num_perm, seed=1)``.

datasketch's default scheme ``affine32``: each shingle is hashed to 32 bits (the first
four bytes of its SHA-1, little-endian), mixed by the MurmurHash3 32-bit finaliser, and
sent through ``num_perm`` affine permutations ``a * h + b mod 2**32`` (``a`` odd), drawn
from ``numpy.random.RandomState(seed)`` as datasketch draws them; the signature keeps the
minimum of each. Importing datasketch loaded SciPy and Redis, about 65 MiB in every
process of a crawl, for these few lines; and its default scheme may change between its
versions, while stored signatures must stay comparable across runs. Same values:
``tests/test_minhash.py`` checks them against datasketch.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable

import numpy as np

_MAX = np.uint32(0xFFFFFFFF)


@functools.cache
def permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of each permutation, uint32, as datasketch's affine32 scheme draws them."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    """The MurmurHash3 finaliser on uint32 values (multiplication wraps mod 2**32)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def minhash(values: Iterable[bytes], num_perm: int, seed: int = 1) -> np.ndarray:
    """The signature of a set of byte strings: ``num_perm`` uint32 minima (all 2**32 - 1
    for an empty set)."""
    hashes = np.fromiter((int.from_bytes(hashlib.sha1(v).digest()[:4], "little")
                          for v in values), dtype=np.uint32)
    if not len(hashes):
        return np.full(num_perm, _MAX, dtype=np.uint32)
    a, b = permutations(num_perm, seed)
    with np.errstate(over="ignore"):
        permuted = _fmix32(hashes).reshape(-1, 1) * a + b
    return permuted.min(axis=0)
