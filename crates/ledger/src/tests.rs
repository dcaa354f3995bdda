#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use crate::checkpoint::*;
use crate::entry::{hex, unhex, unhex32};
use crate::proof::*;
use crate::tree::*;

// The Certificate Transparency reference leaves and tree heads (RFC 6962 / 9162).
const CT_LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];
const CT_ROOTS: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

fn ct_tree() -> MemoryTree {
    let mut t = MemoryTree::new();
    for l in CT_LEAVES {
        t.push(&unhex(l).unwrap());
    }
    t
}

fn hs(v: &[&str]) -> Vec<Hash> {
    v.iter().map(|h| unhex32(h).unwrap()).collect()
}

#[test]
fn ct_tree_heads() {
    let t = ct_tree();
    for (n, want) in CT_ROOTS.iter().enumerate() {
        assert_eq!(hex(&t.root_at(n as u64).unwrap()), *want, "size {n}");
    }
    assert_eq!(hex(&t.root()), CT_ROOTS[8]);
    // And appending one by one gives each head as the frontier's root.
    let mut f = Frontier::new();
    assert_eq!(hex(&f.root()), CT_ROOTS[0]);
    for (i, l) in CT_LEAVES.iter().enumerate() {
        f.push(leaf_hash(&unhex(l).unwrap()), |_, _| {});
        assert_eq!(hex(&f.root()), CT_ROOTS[i + 1]);
    }
}

#[test]
fn ct_inclusion_proofs() {
    let t = ct_tree();
    let root = unhex32(CT_ROOTS[8]).unwrap();
    let cases: [(u64, u64, Vec<Hash>); 4] = [
        (
            0,
            8,
            hs(&[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]),
        ),
        (
            5,
            8,
            hs(&[
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]),
        ),
        (
            2,
            3,
            hs(&["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        ),
        (
            1,
            5,
            hs(&[
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]),
        ),
    ];
    for (m, n, want) in cases {
        let got = t.inclusion_proof(m, n).unwrap();
        assert_eq!(got, want, "inclusion of {m} in {n}");
        let r = t.root_at(n).unwrap();
        let leaf = leaf_hash(&unhex(CT_LEAVES[m as usize]).unwrap());
        verify_inclusion(&leaf, m, n, &got, &r).unwrap();
    }
    assert_eq!(t.root_at(8).unwrap(), root);
}

#[test]
fn ct_consistency_proofs() {
    let t = ct_tree();
    let cases: [(u64, u64, Vec<Hash>); 4] = [
        (1, 1, vec![]),
        (
            2,
            8,
            hs(&[
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]),
        ),
        (
            6,
            8,
            hs(&[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]),
        ),
        (
            2,
            5,
            hs(&[
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]),
        ),
    ];
    for (m, n, want) in cases {
        let got = t.consistency_proof(m, n).unwrap();
        assert_eq!(got, want, "consistency {m} → {n}");
        verify_consistency(m, n, &t.root_at(m).unwrap(), &t.root_at(n).unwrap(), &got).unwrap();
    }
}

fn synthetic(n: usize) -> MemoryTree {
    let mut t = MemoryTree::new();
    for i in 0..n {
        t.push(format!("entry {i}").as_bytes());
    }
    t
}

#[test]
fn every_proof_in_small_trees_verifies_and_mangled_ones_do_not() {
    let t = synthetic(70);
    let leaves: Vec<Hash> = (0..70)
        .map(|i| leaf_hash(format!("entry {i}").as_bytes()))
        .collect();
    for n in 1..=70u64 {
        let root = t.root_at(n).unwrap();
        assert_eq!(root, reference_root(&leaves[..n as usize]), "root {n}");
        for m in 0..n {
            let p = t.inclusion_proof(m, n).unwrap();
            verify_inclusion(&leaves[m as usize], m, n, &p, &root).unwrap();
            if n > 1 {
                let other = (m + 1) % n;
                assert!(verify_inclusion(&leaves[m as usize], other, n, &p, &root).is_err());
                assert!(verify_inclusion(&leaves[other as usize], m, n, &p, &root).is_err());
                let mut bad = p.clone();
                bad[0][7] ^= 1;
                assert!(verify_inclusion(&leaves[m as usize], m, n, &bad, &root).is_err());
                assert!(verify_inclusion(&leaves[m as usize], m, n, &p[1..], &root).is_err());
                let mut long = p.clone();
                long.push([0xab; 32]);
                assert!(verify_inclusion(&leaves[m as usize], m, n, &long, &root).is_err());
            }
        }
        for m in 0..=n {
            let p = t.consistency_proof(m, n).unwrap();
            let r1 = t.root_at(m).unwrap();
            verify_consistency(m, n, &r1, &root, &p).unwrap();
            if !p.is_empty() {
                let mut bad = p.clone();
                bad[0][3] ^= 0x80;
                assert!(verify_consistency(m, n, &r1, &root, &bad).is_err());
                assert!(verify_consistency(m, n, &r1, &root, &p[..p.len() - 1]).is_err());
                let mut long = p.clone();
                long.push([0xcd; 32]);
                assert!(verify_consistency(m, n, &r1, &root, &long).is_err());
            }
            if m > 0 && m < n {
                // A head that is not the tree's at that size is refused.
                let wrong = t.root_at(m - 1).unwrap();
                assert!(verify_consistency(m, n, &wrong, &root, &p).is_err());
            }
        }
    }
}

#[test]
fn node_keys_round_trip_and_sort_in_completion_order() {
    let mut f = Frontier::new();
    let mut keys = Vec::new();
    for i in 0..1000u64 {
        f.push(leaf_hash(&i.to_be_bytes()), |id, _| {
            assert_eq!(NodeId::from_key(id.key()), id);
            keys.push(id.key());
        });
    }
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted);
}

#[test]
fn frontier_round_trips_and_rebuilds_from_nodes() {
    let t = synthetic(77);
    let mut f = Frontier::new();
    for i in 0..77 {
        f.push(leaf_hash(format!("entry {i}").as_bytes()), |_, _| {});
        let back = Frontier::from_bytes(&f.to_bytes()).unwrap();
        assert_eq!(back, f);
        let rebuilt = Frontier::from_nodes(f.size(), |id| t.node(id)).unwrap();
        assert_eq!(rebuilt, f);
    }
    let mut bytes = f.to_bytes();
    bytes[7] ^= 1; // another size: the levels no longer match
    assert!(Frontier::from_bytes(&bytes).is_none());
}

proptest! {
    #[test]
    fn proofs_hold_in_any_tree(n in 1u64..3000, seed in any::<u64>()) {
        let mut t = MemoryTree::new();
        for i in 0..n {
            t.push(&(i ^ seed).to_be_bytes());
        }
        let m = seed % n;
        let from = seed % (n + 1);
        let root = t.root();
        let p = t.inclusion_proof(m, n).unwrap();
        prop_assert!(verify_inclusion(&leaf_hash(&(m ^ seed).to_be_bytes()), m, n, &p, &root).is_ok());
        let c = t.consistency_proof(from, n).unwrap();
        prop_assert!(verify_consistency(from, n, &t.root_at(from).unwrap(), &root, &c).is_ok());
    }
}

fn signer() -> NoteSigner {
    NoteSigner::new("qorgau.example/ledger", [7u8; 32]).unwrap()
}

#[test]
fn checkpoints_sign_and_verify_in_the_c2sp_format() {
    let s = signer();
    let c = Checkpoint {
        origin: "qorgau.example/ledger".to_owned(),
        size: 8,
        root: unhex32(CT_ROOTS[8]).unwrap(),
    };
    let note = s.sign(&c);
    let lines: Vec<&str> = note.split('\n').collect();
    assert_eq!(lines[0], "qorgau.example/ledger");
    assert_eq!(lines[1], "8");
    assert_eq!(lines[2], "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=");
    assert_eq!(lines[3], "");
    assert!(lines[4].starts_with("\u{2014} qorgau.example/ledger "));
    assert!(note.ends_with('\n'));

    let v = NoteVerifier::parse(&s.verifier().encode()).unwrap();
    assert_eq!(v.verify(&note).unwrap(), c);

    // Any change to the text, or another key, is refused.
    let tampered = note.replacen("\n8\n", "\n9\n", 1);
    assert_eq!(v.verify(&tampered), Err(CheckpointError::BadSignature));
    let other = NoteSigner::new("qorgau.example/ledger", [8u8; 32]).unwrap();
    assert_eq!(
        other.verifier().verify(&note),
        Err(CheckpointError::NoSignature)
    );
    assert!(v.verify("qorgau.example/ledger\n8\n").is_err());
    let mut flipped = note.clone().into_bytes();
    let at = flipped.len() - 10;
    flipped[at] ^= 1;
    assert!(v.verify(&String::from_utf8_lossy(&flipped)).is_err());
}

#[test]
fn verifier_keys_reject_mangled_text() {
    let enc = signer().verifier().encode();
    assert!(NoteVerifier::parse(&enc).is_ok());
    assert!(NoteVerifier::parse(&enc.replacen("+", "+0", 1)).is_err());
    assert!(NoteVerifier::parse("name+00000000+AQ==").is_err());
    assert!(NoteVerifier::parse("garbage").is_err());
}
