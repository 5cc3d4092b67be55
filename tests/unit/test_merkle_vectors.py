"""The Merkle tree against the RFC 6962 / RFC 9162 known answers of the Certificate
Transparency reference (transparency-dev/merkle testonly/constants.go, reference_test.go;
the same vectors as google/certificate-transparency's merkle_tree_test)."""

from __future__ import annotations

import pytest

from infrastructure.integrity.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    list_range_hash,
    root_from_inclusion,
    root_of,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
LEAF_HASHES = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
]
ROOTS = [  # by tree size 0..8
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = [  # (leaf index, tree size, proof)
    (0, 1, []),
    (0, 2, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"]),
    (1, 2, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]
CONSISTENCY = [  # (old size, new size, proof)
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

HASHED = [leaf_hash(d) for d in LEAVES]
TREE = list_range_hash(HASHED)


def _hex(proof: list[bytes]) -> list[str]:
    return [p.hex() for p in proof]


def test_leaf_hashes_and_roots_for_every_size() -> None:
    assert [h.hex() for h in HASHED] == LEAF_HASHES
    assert EMPTY_ROOT.hex() == ROOTS[0]
    for size in range(9):
        assert root_of(HASHED[:size]).hex() == ROOTS[size], size


@pytest.mark.parametrize(("index", "size", "expected"), INCLUSION)
def test_inclusion_proofs_match_and_verify(index: int, size: int, expected: list[str]) -> None:
    proof = inclusion_proof(index, size, TREE)
    assert _hex(proof) == expected
    root = bytes.fromhex(ROOTS[size])
    assert verify_inclusion(index, size, HASHED[index], proof, root)


@pytest.mark.parametrize(("old", "new", "expected"), CONSISTENCY)
def test_consistency_proofs_match_and_verify(old: int, new: int, expected: list[str]) -> None:
    proof = consistency_proof(old, new, TREE)
    assert _hex(proof) == expected
    assert verify_consistency(old, new, bytes.fromhex(ROOTS[old]), bytes.fromhex(ROOTS[new]), proof)


def test_every_proof_in_trees_up_to_eight_leaves_verifies() -> None:
    for size in range(1, 9):
        root = bytes.fromhex(ROOTS[size])
        for index in range(size):
            proof = inclusion_proof(index, size, TREE)
            assert root_from_inclusion(index, size, HASHED[index], proof) == root
        for old in range(1, size + 1):
            proof = consistency_proof(old, size, TREE)
            assert verify_consistency(old, size, bytes.fromhex(ROOTS[old]), root, proof)


def _mutations(proof: list[bytes]) -> list[list[bytes]]:
    flipped = [
        [*proof[:i], bytes([p[0] ^ 1]) + p[1:], *proof[i + 1 :]] for i, p in enumerate(proof)
    ]
    return [*flipped, proof[:-1], [*proof, proof[-1] if proof else b"\0" * 32], proof[::-1]]


def test_wrong_inclusion_proofs_fail() -> None:
    for index, size, expected in INCLUSION:
        proof = [bytes.fromhex(p) for p in expected]
        root = bytes.fromhex(ROOTS[size])
        for bad in _mutations(proof):
            if bad != proof:
                assert not verify_inclusion(index, size, HASHED[index], bad, root)
        assert not verify_inclusion(index, size, HASHED[(index + 1) % 8], proof, root)
        assert not verify_inclusion(index, size * 2, HASHED[index], proof, root)
        assert not verify_inclusion(size, size, HASHED[index], proof, root)
        if size > 1:
            assert not verify_inclusion(index ^ 1, size, HASHED[index], proof, root)


def test_wrong_consistency_proofs_fail() -> None:
    for old, new, expected in CONSISTENCY:
        proof = [bytes.fromhex(p) for p in expected]
        old_root, new_root = bytes.fromhex(ROOTS[old]), bytes.fromhex(ROOTS[new])
        for bad in _mutations(proof):
            if bad != proof:
                assert not verify_consistency(old, new, old_root, new_root, bad)
        if old != new:
            assert not verify_consistency(old, new, new_root, new_root, proof)
            assert not verify_consistency(old, new, old_root, old_root, proof)
            assert not verify_consistency(old + 1, new, old_root, new_root, proof)
        assert not verify_consistency(0, new, EMPTY_ROOT, new_root, proof)
        assert not verify_consistency(new, old, new_root, old_root, proof) or old == new
