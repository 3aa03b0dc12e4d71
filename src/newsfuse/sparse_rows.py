"""Sparse matrices as plain CSR arrays, with the few products sentence selection needs.

A scipy sparse matrix costs 50-130 µs to build and ~10 µs per product to
dispatch; a one-article story is summarized in a few hundred such steps, so
`newsfuse.sentences` keeps its matrices as `SparseRows` and multiplies them in
numpy. Every product adds the same terms in the same order as scipy's CSR
kernels, so results are the same floats (tests compare them bit for bit).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True, slots=True, eq=False)
class SparseRows:
    """A sparse matrix as its CSR arrays, with the products selection needs done in numpy.

    A scipy matrix costs 50-130 µs to build and ~10 µs per product to dispatch:
    on a one-article story that was most of `summarize`. `dot` and `tdot` add
    the same products in the same order from the same 0.0 as scipy's CSR
    kernels (row by row, each row in storage order), so they give its floats.
    """

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    shape: tuple[int, int]
    rows: np.ndarray  # per stored entry, its row

    @classmethod
    def of(
        cls, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, shape: tuple[int, int]
    ) -> SparseRows:
        return cls(
            data, indices, indptr, shape, np.arange(shape[0], dtype=np.int64).repeat(indptr[1:] - indptr[:-1])
        )

    def dot(self, x: np.ndarray) -> np.ndarray:
        """`self @ x` for a dense vector x."""
        return np.bincount(self.rows, weights=self.data * x[self.indices], minlength=self.shape[0])

    def gram(self) -> np.ndarray:
        """`self @ self.T`, dense: row i holds the floats of `self.dot(self.row(i))`.

        One bincount over (row i, entry) pairs adds each row's products in
        storage order, as `dot` does; only for small matrices (rows x entries).
        """
        n = self.shape[0]
        dense = np.zeros((n, self.shape[1]))
        dense[self.rows, self.indices] = self.data
        products = dense[:, self.indices] * self.data
        bins = (np.arange(n, dtype=np.int64) * n)[:, None] + self.rows
        return np.bincount(bins.ravel(), weights=products.ravel(), minlength=n * n).reshape(n, n)

    def tdot(self, x: np.ndarray) -> np.ndarray:
        """`self.T @ x` for a dense vector x."""
        return np.bincount(self.indices, weights=self.data * x[self.rows], minlength=self.shape[1])

    @property
    def nnz(self) -> int:
        return len(self.data)

    def row_indices(self, i: int) -> np.ndarray:
        return self.indices[self.indptr[i] : self.indptr[i + 1]]

    def row(self, i: int) -> np.ndarray:
        """Row i as a dense vector."""
        out = np.zeros(self.shape[1])
        span = slice(self.indptr[i], self.indptr[i + 1])
        out[self.indices[span]] = self.data[span]
        return out

    def matrix(self) -> sparse.csr_matrix:
        """As a scipy matrix (copies: scipy may sort a matrix's indices in place)."""
        return sparse.csr_matrix(
            (self.data.copy(), self.indices.copy(), self.indptr.copy()), shape=self.shape
        )

    def toarray(self) -> np.ndarray:
        return np.asarray(self.matrix().toarray())


def ranges(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the ranges starts[k]:ends[k] one after the other, and the k of each."""
    lengths = ends - starts
    of = np.arange(len(starts), dtype=np.int64).repeat(lengths)
    offsets = lengths.cumsum() - lengths  # where each range begins in the output
    return np.arange(int(lengths.sum()), dtype=np.int64) + (starts - offsets)[of], of


def first_seen(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values in order of first appearance, and each value's rank in that order."""
    distinct, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[order] = np.arange(len(distinct))
    return distinct[order], rank[inverse.ravel()]


def pairs(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int], binary: bool) -> SparseRows:
    """Counts of (row, col) pairs (1 when `binary`), each row's columns in ascending order."""
    width = max(shape[1], 1)
    keys = np.sort(rows * width + cols)
    first = np.empty(len(keys), dtype=bool)
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    pairs = keys[first]
    pair_rows = pairs // width
    indptr = np.zeros(shape[0] + 1, dtype=np.int64)
    np.bincount(pair_rows, minlength=shape[0]).cumsum(out=indptr[1:])
    if binary:
        data = np.ones(len(pairs))
    else:
        starts = first.nonzero()[0]
        data = (np.concatenate((starts[1:], [len(keys)])) - starts).astype(float)
    return SparseRows(data, pairs - pair_rows * width, indptr, shape, pair_rows)
