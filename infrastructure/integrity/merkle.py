"""RFC 9162 (RFC 6962) Merkle tree hashing, inclusion and consistency proofs.

Leaves are hashed as H(0x00 || data), interior nodes as H(0x01 || left || right); a tree of
n leaves splits at the largest power of two below n, so nothing is ever duplicated. Proof
construction asks for subtree hashes through `RangeHash`, so the leaves can stay in the
database and be streamed; verification needs only the proof (RFC 9162 §2.1.3.2, §2.1.4.2).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

RangeHash = Callable[[int, int], bytes]  # MTH of the leaves [start, end)
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class RootBuilder:
    """Folds leaf hashes, one at a time, into the root of the tree so far: O(log n) memory.

    It keeps the roots of the perfect subtrees of the left-filled tree (a compact range);
    the RFC's recursive split gives the same root as merging equal-sized neighbours.
    """

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (subtree size, hash), sizes decreasing

    @classmethod
    def from_frontier(cls, size: int, hashes: Sequence[bytes]) -> RootBuilder:
        """The builder of a tree of `size` leaves from its frontier: the hashes of the perfect
        subtrees ending at `frontier_ends(size)`, largest first."""
        sizes = [1 << b for b in range(size.bit_length() - 1, -1, -1) if size >> b & 1]
        if len(sizes) != len(hashes):
            raise ValueError(f"a tree of size {size} has {len(sizes)} frontier nodes")
        builder = cls()
        builder.size = size
        builder._stack = list(zip(sizes, hashes, strict=True))
        return builder

    def copy(self) -> RootBuilder:
        other = RootBuilder()
        other.size, other._stack = self.size, list(self._stack)
        return other

    def add(self, leaf: bytes) -> bytes:
        """Fold in one leaf; returns the hash of the perfect subtree that now ends at it (of
        size lowbit(new size)), which the chain stores so the frontier can be read back."""
        self.size += 1
        size, digest = 1, leaf
        while self._stack and self._stack[-1][0] == size:
            left_size, left = self._stack.pop()
            size, digest = left_size + size, node_hash(left, digest)
        self._stack.append((size, digest))
        return digest

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        digest = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            digest = node_hash(left, digest)
        return digest


def frontier_ends(size: int) -> list[int]:
    """The leaf index each frontier subtree of a tree of `size` leaves ends at, largest
    subtree first: the prefix sums of the set bits of `size`, less one."""
    ends, total = [], 0
    for b in range(size.bit_length() - 1, -1, -1):
        if size >> b & 1:
            total += 1 << b
            ends.append(total - 1)
    return ends


def root_of(leaf_hashes: Iterable[bytes]) -> bytes:
    builder = RootBuilder()
    for leaf in leaf_hashes:
        builder.add(leaf)
    return builder.root()


def list_range_hash(leaf_hashes: Sequence[bytes]) -> RangeHash:
    """A RangeHash over leaf hashes held in memory (tests, small trees)."""
    return lambda start, end: root_of(leaf_hashes[start:end])


# --- building proofs ----------------------------------------------------------------------


def inclusion_proof(index: int, size: int, subtree: RangeHash) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 9162 §2.1.3.1."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    proof: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            proof.append(subtree(start + k, end))
            end = start + k
        else:
            proof.append(subtree(start, start + k))
            start += k
    return list(reversed(proof))  # the RFC lists the deepest sibling first


def consistency_proof(old_size: int, new_size: int, subtree: RangeHash) -> list[bytes]:
    """PROOF(old_size, D[0:new_size]) of RFC 9162 §2.1.4.1."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to {new_size}")
    proof: list[bytes] = []
    start, end, m, whole = 0, new_size, old_size, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            proof.append(subtree(start + k, end))
            end = start + k
        else:
            proof.append(subtree(start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        proof.append(subtree(start, end))
    return list(reversed(proof))


# --- verifying proofs ---------------------------------------------------------------------


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root an inclusion proof leads to (RFC 9162 §2.1.3.2); ValueError if malformed."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    fn, sn, digest = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ValueError("inclusion proof is too long")
        if fn & 1 or fn == sn:
            digest = node_hash(p, digest)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            digest = node_hash(digest, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ValueError("inclusion proof is too short")
    return digest


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    try:
        return root_from_inclusion(index, size, leaf, proof) == root
    except ValueError:
        return False


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2."""
    if not 0 < old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is a node of the new tree
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root
