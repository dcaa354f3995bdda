//! The RFC 9162 Merkle tree (§2.1): hashes, appending, and which stored nodes a proof
//! needs.
//!
//! Storage keeps every *complete* subtree: the node at `level` and `index` covers the
//! leaves `[index << level, (index + 1) << level)`. Appending a leaf completes one node
//! per trailing one-bit of the new size, so the tree stores two hashes per entry on
//! average. Any range the RFC's recursion asks for is a left-aligned run of complete
//! subtrees, so every proof is assembled from stored nodes without rehashing leaves.

use sha2::{Digest, Sha256};

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// The root of the empty tree: SHA-256 of the empty string.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// `SHA-256(0x00 || entry)`.
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(entry);
    h.finalize().into()
}

/// `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// A complete subtree: `2^level` leaves starting at leaf `index << level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId {
    pub level: u8,
    pub index: u64,
}

impl NodeId {
    pub fn leaf(index: u64) -> NodeId {
        NodeId { level: 0, index }
    }

    /// The last leaf the node covers.
    pub fn last_leaf(self) -> u64 {
        ((self.index + 1) << self.level) - 1
    }

    /// One integer key per node, in the order appends complete them: by the last leaf
    /// covered, then by level. Storage ordered by it reads back in completion order.
    pub fn key(self) -> u64 {
        (self.last_leaf() << 6) | u64::from(self.level)
    }

    pub fn from_key(key: u64) -> NodeId {
        let level = (key & 63) as u8;
        let last = key >> 6;
        NodeId {
            level,
            index: ((last + 1) >> level).saturating_sub(1),
        }
    }
}

/// The largest power of two strictly below `n` (n ≥ 2): the RFC's split point `k`.
pub fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1u64 << (63 - (n - 1).leading_zeros())
}

/// A range of leaves `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: u64,
    pub end: u64,
}

impl Range {
    /// The complete subtrees that make up this range, left to right, largest first.
    /// Every range the RFC's recursion produces starts on a boundary of its own largest
    /// power of two, which this relies on.
    pub fn nodes(self) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut a = self.start;
        while a < self.end {
            let size = self.end - a;
            let mut level = 63 - size.leading_zeros() as u8;
            // Stay aligned: a node of 2^level leaves must start at a multiple of 2^level.
            while level > 0 && a & ((1u64 << level) - 1) != 0 {
                level -= 1;
            }
            out.push(NodeId {
                level,
                index: a >> level,
            });
            a += 1u64 << level;
        }
        out
    }

    /// `MTH(D[start:end])` from the hashes of [`Range::nodes`], in that order.
    pub fn hash_of(nodes: &[Hash]) -> Option<Hash> {
        let (last, rest) = nodes.split_last()?;
        let mut h = *last;
        for n in rest.iter().rev() {
            h = node_hash(n, &h);
        }
        Some(h)
    }
}

/// The ranges whose hashes form the inclusion proof of leaf `m` in a tree of `n` leaves
/// (RFC 9162 §2.1.3.1), in proof order (from the leaf up).
pub fn inclusion_ranges(m: u64, n: u64) -> Vec<Range> {
    let mut out = Vec::new();
    let (mut lo, mut hi) = (0u64, n);
    while hi - lo > 1 {
        let k = split(hi - lo);
        if m < lo + k {
            out.push(Range {
                start: lo + k,
                end: hi,
            });
            hi = lo + k;
        } else {
            out.push(Range {
                start: lo,
                end: lo + k,
            });
            lo += k;
        }
    }
    out.reverse();
    out
}

/// The ranges whose hashes form the consistency proof from size `m` to size `n`
/// (RFC 9162 §2.1.4.1), in proof order. Empty when `m` is 0 or equals `n`.
pub fn consistency_ranges(m: u64, n: u64) -> Vec<Range> {
    if m == 0 || m >= n {
        return Vec::new();
    }
    let mut out = Vec::new();
    let (mut lo, mut hi) = (0u64, n);
    let mut complete = true;
    loop {
        let size = hi - lo;
        let rel = m - lo;
        if rel == size {
            if !complete {
                out.push(Range { start: lo, end: hi });
            }
            break;
        }
        let k = split(size);
        if rel <= k {
            out.push(Range {
                start: lo + k,
                end: hi,
            });
            hi = lo + k;
        } else {
            out.push(Range {
                start: lo,
                end: lo + k,
            });
            lo += k;
            complete = false;
        }
    }
    out.reverse();
    out
}

/// Every stored node the given ranges need, without duplicates, sorted.
pub fn nodes_for(ranges: &[Range]) -> Vec<NodeId> {
    let mut all: Vec<NodeId> = ranges.iter().flat_map(|r| r.nodes()).collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// Assemble the proof hashes for `ranges` from a node lookup. `None` when a node the
/// proof needs is missing.
pub fn assemble(
    ranges: &[Range],
    mut node: impl FnMut(NodeId) -> Option<Hash>,
) -> Option<Vec<Hash>> {
    let mut out = Vec::with_capacity(ranges.len());
    let mut buf: Vec<Hash> = Vec::with_capacity(8);
    for r in ranges {
        buf.clear();
        for id in r.nodes() {
            buf.push(node(id)?);
        }
        out.push(Range::hash_of(&buf)?);
    }
    Some(out)
}

/// The right edge of the tree: the complete subtrees that cover `[0, size)`, largest
/// first. Enough to append and to compute the root, in `O(log n)` space.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    /// (level, hash), levels strictly decreasing.
    nodes: Vec<(u8, Hash)>,
}

impl Frontier {
    pub fn new() -> Frontier {
        Frontier::default()
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Append a leaf hash; `completed` receives every node this completes (the leaf
    /// itself first, then its newly complete ancestors).
    pub fn push(&mut self, leaf: Hash, mut completed: impl FnMut(NodeId, &Hash)) {
        let index = self.size;
        completed(NodeId::leaf(index), &leaf);
        let mut cur = (0u8, leaf);
        while let Some(&(level, left)) = self.nodes.last() {
            if level != cur.0 {
                break;
            }
            self.nodes.pop();
            let h = node_hash(&left, &cur.1);
            let l = level + 1;
            completed(
                NodeId {
                    level: l,
                    index: index >> l,
                },
                &h,
            );
            cur = (l, h);
        }
        self.nodes.push(cur);
        self.size += 1;
    }

    /// The tree head of the current size.
    pub fn root(&self) -> Hash {
        let hashes: Vec<Hash> = self.nodes.iter().map(|n| n.1).collect();
        Range::hash_of(&hashes).unwrap_or_else(empty_root)
    }

    /// The frontier of `size` leaves from the stored nodes that cover them.
    pub fn from_nodes(size: u64, mut node: impl FnMut(NodeId) -> Option<Hash>) -> Option<Frontier> {
        let mut nodes = Vec::new();
        if size > 0 {
            for id in (Range {
                start: 0,
                end: size,
            })
            .nodes()
            {
                nodes.push((id.level, node(id)?));
            }
        }
        Some(Frontier { size, nodes })
    }

    /// Serialize as the size (8 bytes, big-endian) then each node's level and hash.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + self.nodes.len() * 33);
        out.extend_from_slice(&self.size.to_be_bytes());
        for (l, h) in &self.nodes {
            out.push(*l);
            out.extend_from_slice(h);
        }
        out
    }

    pub fn from_bytes(b: &[u8]) -> Option<Frontier> {
        let size = u64::from_be_bytes(b.get(..8)?.try_into().ok()?);
        let rest = &b[8..];
        if !rest.len().is_multiple_of(33) {
            return None;
        }
        let nodes: Vec<(u8, Hash)> = rest
            .chunks_exact(33)
            .map(|c| (c[0], c[1..].try_into().unwrap_or([0; 32])))
            .collect();
        let f = Frontier { size, nodes };
        // The levels must be exactly the one-bits of the size.
        let expect: Vec<u8> = (Range {
            start: 0,
            end: size,
        })
        .nodes()
        .iter()
        .map(|n| n.level)
        .collect();
        let got: Vec<u8> = f.nodes.iter().map(|n| n.0).collect();
        (size == 0 && got.is_empty() || expect == got).then_some(f)
    }
}

/// A whole tree in memory, every complete node kept per level. For tests, the offline
/// verifier and the proof benchmark; the database keeps the same nodes.
#[derive(Debug, Default, Clone)]
pub struct MemoryTree {
    levels: Vec<Vec<Hash>>,
    frontier: Frontier,
}

impl MemoryTree {
    pub fn new() -> MemoryTree {
        MemoryTree::default()
    }

    pub fn with_capacity(leaves: usize) -> MemoryTree {
        let mut levels = Vec::new();
        let mut n = leaves;
        while n > 0 {
            levels.push(Vec::with_capacity(n));
            n /= 2;
        }
        MemoryTree {
            levels,
            frontier: Frontier::new(),
        }
    }

    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    pub fn push_leaf_hash(&mut self, leaf: Hash) {
        let levels = &mut self.levels;
        self.frontier.push(leaf, |id, h| {
            let l = id.level as usize;
            if levels.len() <= l {
                levels.push(Vec::new());
            }
            levels[l].push(*h);
        });
    }

    pub fn push(&mut self, entry: &[u8]) {
        self.push_leaf_hash(leaf_hash(entry));
    }

    pub fn node(&self, id: NodeId) -> Option<Hash> {
        self.levels
            .get(id.level as usize)?
            .get(usize::try_from(id.index).ok()?)
            .copied()
    }

    pub fn root(&self) -> Hash {
        self.frontier.root()
    }

    /// The tree head at an earlier size.
    pub fn root_at(&self, size: u64) -> Option<Hash> {
        if size > self.size() {
            return None;
        }
        if size == 0 {
            return Some(empty_root());
        }
        assemble(
            &[Range {
                start: 0,
                end: size,
            }],
            |id| self.node(id),
        )
        .map(|v| v[0])
    }

    pub fn inclusion_proof(&self, index: u64, size: u64) -> Option<Vec<Hash>> {
        if index >= size || size > self.size() {
            return None;
        }
        assemble(&inclusion_ranges(index, size), |id| self.node(id))
    }

    pub fn consistency_proof(&self, from: u64, to: u64) -> Option<Vec<Hash>> {
        if from > to || to > self.size() {
            return None;
        }
        assemble(&consistency_ranges(from, to), |id| self.node(id))
    }
}

/// `MTH(D[n])` straight from the RFC's recursive definition, for cross-checking.
pub fn reference_root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split(n as u64) as usize;
            node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
        }
    }
}
