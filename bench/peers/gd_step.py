#!/usr/bin/env python3
"""Times one full-batch GD step of the two-layer ReLU network in a peer framework, float32.

Same model, loss and data as the Java bench (bench/src/main/java/io/reluquant/bench):
  f(x) = sum_j a_j relu(w_j . x + b_j),  L = (1/(2n)) sum_i (f(x_i) - y_i)^2 (--loss square), or
  L = (1/n) sum_i log(1 + exp(-y_i f(x_i))) with y_i = sign(sin(pi x_i1)) in {-1, +1} (--loss logistic),
  x_i uniform in [-1, 1]^d, y_i = sin(pi x_i1), w ~ N(0, 1), b uniform in [-1, 1], a ~ N(0, 1/m).
The hand-written gradients weigh the residual r_i = n dL/df_i: f_i - y_i (square) or
-y_i sigmoid(-y_i f_i) (logistic), exactly as the Java kernel does.
A step is forward (residuals) + gradient + update of a, w, b, as in the kernel.

With k classes (--loss softmax --classes K, or a task MODE:N:D:M:K) the network has k outputs,
F = relu(X W^T + b) A with A (m, k), L = (1/n) sum_i -log softmax(F_i)_{c_i} (the softmax cross-entropy),
labels c_i = min(k - 1, floor(k (1 + sin(3 pi x_i1)) / 2)) as the Java bench draws them, a_jc ~ N(0, 1/m).
Its step: Z = X W^T + b, H = relu(Z), F = H A, P = softmax(F) (stable: the row maximum subtracted),
R = (P - Y) / n (Y one-hot); gA = H^T R, G = (R A^T) * [Z > 0], gW = G^T X, gb = colsum G; the update.
The engineered steps hold two n x m buffers (H, then G; and R A^T), every n x m operation in place.

Implementations (--impl):
  torch-autograd  PyTorch as a user writes it: loss.backward(), new tensors every step
  torch           PyTorch as a performance engineer writes it: the hand-written gradient in one
                  preallocated n x m buffer with in-place and out= ops, w stored (d, m) so that both
                  products are plain GEMMs (X W and X^T S), no allocation of n x m arrays per step
  numpy           NumPy, the same engineered step

The engineered step, with H the one n x m buffer:
  H = X W + b; H = max(H, 0); f = H a; r = residual(f); ga = H^T r / n;
  H = [H > 0] r (relu'(z) = [z > 0] = [relu(z) > 0], per row; torch: sign_ then mul_, numpy: a bool
  buffer, since numpy's sign is slow); gb = a * colsum(H) / n;
  gW = X^T H (d x m), times a / n per column; then a, W, b -= lr * gradient.

Modes:
  step        (default) time the step: one warm-up step, then steps until --seconds have passed (at
              least --steps, at most 1000); the median wall time per step
  --check     one gradient at a small awkward shape against float64 loops written from the formulas
              (no BLAS involved): a BLAS that miscomputes under this environment shows as an O(1) error.
              Exit status 3 on a mismatch.
  --gemm      time the step's two big products at (n, d, m) with this framework's BLAS, preallocated:
              (n x d)(d x m) and (d x n)(n x m); best of the timed repetitions of each

Threads: torch.set_num_threads(--threads); OpenBLAS/OpenMP threads come from the environment
(OMP_NUM_THREADS, OPENBLAS_NUM_THREADS), which the bench sets to the same count.

Prints one JSON line per shape (--tasks runs several in one process): impl, mode, shape, threads, timing
fields, peak_rss_bytes (the resident set while that shape's buffers are live; ru_maxrss for a check),
versions, and blas (the BLAS libraries mapped into this process; for OpenBLAS its core as
openblas_get_corename reports it, its build config and thread count; for torch its build's BLAS).
"""
import argparse
import ctypes
import json
import os
import resource
import statistics
import sys
import time

LR = 1e-6


def data(n, d, m, seed, np):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(n, d)).astype(np.float32)
    y = np.sin(np.pi * x[:, 0]).astype(np.float32)
    w = rng.standard_normal(size=(m, d)).astype(np.float32)
    b = rng.uniform(-1.0, 1.0, size=m).astype(np.float32)
    a = (rng.standard_normal(size=m) / np.sqrt(m)).astype(np.float32)
    return x, y, a, w, b


def class_of(x1, k, np):
    """the class of samples whose first input is x1: k bands of sin(3 pi x1), as the Java bench's Workload"""
    return np.minimum(k - 1, np.floor(k * (1 + np.sin(3 * np.pi * x1.astype(np.float64))) / 2)).astype(np.int64)


def data_classes(n, d, m, k, seed, np):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(n, d)).astype(np.float32)
    labels = class_of(x[:, 0], k, np)
    w = rng.standard_normal(size=(m, d)).astype(np.float32)
    b = rng.uniform(-1.0, 1.0, size=m).astype(np.float32)
    a = (rng.standard_normal(size=(m, k)) / np.sqrt(m)).astype(np.float32)
    return x, labels, a, w, b


def rss_bytes():
    """this process's resident set now (VmRSS): taken while a shape's buffers are live, it is that shape's
    footprint even when one process runs several shapes one after the other (ru_maxrss would keep the largest)"""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return -1


def blas_info():
    """The BLAS libraries this process has mapped, with OpenBLAS's own account of its core."""
    libraries = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if path.startswith("/") and any(k in os.path.basename(path) for k in ("blas", "mkl")) \
                    and path not in libraries:
                libraries.append(path)
    info = {"libraries": libraries}
    for path in libraries:
        if "openblas" in os.path.basename(path):
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            info["openblas_core"] = lib.openblas_get_corename().decode()
            info["openblas_config"] = lib.openblas_get_config().decode()
            info["openblas_threads"] = lib.openblas_get_num_threads()
            break
    return info


class NumpyStep:
    """The engineered NumPy step: one n x m buffer, every n x m operation in place."""

    def __init__(self, x, y, a, w, b, loss, np):
        self.np = np
        n, d = x.shape
        m = a.shape[0]
        self.x, self.y, self.a, self.b, self.loss = x, y, a, b, loss
        self.xt = np.ascontiguousarray(x.T)   # (d, n)
        self.w = np.ascontiguousarray(w.T)    # (d, m): X W is a plain GEMM
        self.h = np.empty((n, m), np.float32)
        self.active = np.empty((n, m), np.bool_)  # numpy's sign is ~30x slower than a compare here
        self.ones = np.ones(n, np.float32)        # column sums as a GEMV: faster than sum(axis=0)
        self.f = np.empty(n, np.float32)
        self.r = np.empty(n, np.float32)
        self.ga = np.empty(m, np.float32)
        self.gb = np.empty(m, np.float32)
        self.gw = np.empty((d, m), np.float32)
        self.scale = np.empty(m, np.float32)

    def gradient(self):
        np, h, n = self.np, self.h, self.x.shape[0]
        np.matmul(self.x, self.w, out=h)
        h += self.b
        np.maximum(h, np.float32(0), out=h)
        np.matmul(h, self.a, out=self.f)
        if self.loss == "square":
            np.subtract(self.f, self.y, out=self.r)
            value = float(self.r @ self.r) / (2 * n)
        else:
            t = -self.y * self.f
            value = float((np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))).mean())
            self.r[:] = -self.y / (1 + np.exp(-t))
        np.matmul(self.r, h, out=self.ga)
        self.ga /= n
        np.greater(h, np.float32(0), out=self.active)
        np.multiply(self.active, self.r[:, None], out=h)
        np.matmul(self.ones, h, out=self.gb)
        np.multiply(self.a, 1.0 / n, out=self.scale)
        self.gb *= self.scale
        np.matmul(self.xt, h, out=self.gw)
        self.gw *= self.scale
        return value

    def step(self, lr):
        value = self.gradient()
        for p, g in ((self.a, self.ga), (self.w, self.gw), (self.b, self.gb)):
            g *= lr
            p -= g
        return value

    def gradients(self):
        """(ga, gw as (m, d), gb) of the current parameters"""
        self.gradient()
        return self.ga, self.gw.T, self.gb


class TorchStep:
    """The engineered PyTorch step: the same operations with out= and in-place tensor ops."""

    def __init__(self, x, y, a, w, b, loss, np, torch):
        self.torch = torch
        n, d = x.shape
        m = a.shape[0]
        self.loss = loss
        self.x = torch.from_numpy(x)
        self.xt = torch.from_numpy(np.ascontiguousarray(x.T))
        self.y = torch.from_numpy(y)
        self.a = torch.from_numpy(a)
        self.b = torch.from_numpy(b)
        self.w = torch.from_numpy(np.ascontiguousarray(w.T))
        self.h = torch.empty((n, m))
        self.ones = torch.ones(n)  # column sums as a GEMV: ~2.5x faster than torch.sum(h, 0) here
        self.f = torch.empty(n)
        self.r = torch.empty(n)
        self.ga = torch.empty(m)
        self.gb = torch.empty(m)
        self.gw = torch.empty((d, m))
        self.scale = torch.empty(m)

    def gradient(self):
        torch, h, n = self.torch, self.h, self.x.shape[0]
        torch.addmm(self.b, self.x, self.w, out=h)
        h.clamp_min_(0)
        torch.mv(h, self.a, out=self.f)
        if self.loss == "square":
            torch.sub(self.f, self.y, out=self.r)
            value = float(self.r @ self.r) / (2 * n)
        else:
            t = -self.y * self.f
            value = float(torch.nn.functional.softplus(t).mean())
            self.r.copy_(-self.y * torch.sigmoid(t))
        torch.mv(h.t(), self.r, out=self.ga)
        self.ga.div_(n)
        h.sign_()
        h.mul_(self.r.unsqueeze(1))
        torch.mv(h.t(), self.ones, out=self.gb)
        torch.mul(self.a, 1.0 / n, out=self.scale)
        self.gb.mul_(self.scale)
        torch.mm(self.xt, h, out=self.gw)
        self.gw.mul_(self.scale)
        return value

    def step(self, lr):
        value = self.gradient()
        self.a.sub_(self.ga, alpha=lr)
        self.w.sub_(self.gw, alpha=lr)
        self.b.sub_(self.gb, alpha=lr)
        return value

    def gradients(self):
        self.gradient()
        return self.ga.numpy(), self.gw.numpy().T, self.gb.numpy()


class TorchAutogradStep:
    """PyTorch as a user writes it: the forward pass as formulas, loss.backward(), in-place update."""

    def __init__(self, x, y, a, w, b, loss, torch):
        self.torch = torch
        self.loss = loss
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y)
        self.params = [torch.from_numpy(v).requires_grad_(True) for v in (a, w, b)]

    def gradient(self):
        torch = self.torch
        a, w, b = self.params
        n = self.x.shape[0]
        f = torch.relu(torch.addmm(b, self.x, w.t())) @ a
        if self.loss == "square":
            loss = ((f - self.y) * (f - self.y)).sum() / (2 * n)
        else:
            loss = torch.nn.functional.softplus(-self.y * f).mean()
        loss.backward()
        return float(loss)

    def step(self, lr):
        value = self.gradient()
        with self.torch.no_grad():
            for p in self.params:
                p.sub_(p.grad, alpha=lr)
                p.grad = None
        return value

    def gradients(self):
        for p in self.params:
            p.grad = None
        self.gradient()
        return tuple(p.grad.numpy() for p in self.params)


class NumpySoftmaxStep:
    """The engineered NumPy step with k classes: two n x m buffers, every n x m operation in place."""

    def __init__(self, x, labels, a, w, b, np):
        self.np = np
        n, d = x.shape
        m, k = a.shape
        self.x, self.labels, self.a, self.b = x, labels, a, b
        self.rows = np.arange(n)
        self.xt = np.ascontiguousarray(x.T)   # (d, n)
        self.w = np.ascontiguousarray(w.T)    # (d, m): X W is a plain GEMM
        self.h = np.empty((n, m), np.float32)  # Z, H, then G
        self.g = np.empty((n, m), np.float32)  # R A^T
        self.active = np.empty((n, m), np.bool_)
        self.ones = np.ones(n, np.float32)
        self.f = np.empty((n, k), np.float32)  # F, P, then R
        self.fmax = np.empty((n, 1), np.float32)
        self.fsum = np.empty((n, 1), np.float32)
        self.ga = np.empty((m, k), np.float32)
        self.gb = np.empty(m, np.float32)
        self.gw = np.empty((d, m), np.float32)

    def gradient(self):
        np, h, f, n = self.np, self.h, self.f, self.x.shape[0]
        np.matmul(self.x, self.w, out=h)
        h += self.b
        np.maximum(h, np.float32(0), out=h)
        np.matmul(h, self.a, out=f)
        np.max(f, axis=1, keepdims=True, out=self.fmax)
        f -= self.fmax
        picked = f[self.rows, self.labels]
        np.exp(f, out=f)
        np.sum(f, axis=1, keepdims=True, out=self.fsum)
        value = float(np.mean(np.log(self.fsum[:, 0]) - picked))
        f /= self.fsum
        f[self.rows, self.labels] -= np.float32(1)
        f *= np.float32(1.0 / n)
        np.matmul(h.T, f, out=self.ga)
        np.greater(h, np.float32(0), out=self.active)
        np.matmul(f, self.a.T, out=self.g)
        np.multiply(self.g, self.active, out=h)
        np.matmul(self.ones, h, out=self.gb)
        np.matmul(self.xt, h, out=self.gw)
        return value

    def step(self, lr):
        value = self.gradient()
        for p, g in ((self.a, self.ga), (self.w, self.gw), (self.b, self.gb)):
            g *= lr
            p -= g
        return value

    def gradients(self):
        self.gradient()
        return self.ga, self.gw.T, self.gb


class TorchSoftmaxStep:
    """The engineered PyTorch step with k classes: the same operations with out= and in-place tensor ops."""

    def __init__(self, x, labels, a, w, b, np, torch):
        self.torch = torch
        n, d = x.shape
        m, k = a.shape
        self.x = torch.from_numpy(x)
        self.xt = torch.from_numpy(np.ascontiguousarray(x.T))
        self.labels = torch.from_numpy(labels)
        self.index = (torch.arange(n), self.labels)
        self.minus_ones = torch.full((n,), -1.0)
        self.column = self.labels.unsqueeze(1)
        self.a = torch.from_numpy(a)
        self.b = torch.from_numpy(b)
        self.w = torch.from_numpy(np.ascontiguousarray(w.T))
        self.h = torch.empty((n, m))
        self.g = torch.empty((n, m))
        self.ones = torch.ones(n)
        self.f = torch.empty((n, k))
        self.fmax = torch.empty((n, 1))
        self.fsum = torch.empty((n, 1))
        self.picked = torch.empty((n, 1))
        self.ga = torch.empty((m, k))
        self.gb = torch.empty(m)
        self.gw = torch.empty((d, m))

    def gradient(self):
        torch, h, f, n = self.torch, self.h, self.f, self.x.shape[0]
        torch.addmm(self.b, self.x, self.w, out=h)
        h.clamp_min_(0)
        torch.mm(h, self.a, out=f)
        torch.amax(f, 1, keepdim=True, out=self.fmax)
        f.sub_(self.fmax)
        torch.gather(f, 1, self.column, out=self.picked)
        f.exp_()
        torch.sum(f, 1, keepdim=True, out=self.fsum)
        value = float((self.fsum.log() - self.picked).mean())
        f.div_(self.fsum)
        f.index_put_(self.index, self.minus_ones, accumulate=True)
        f.mul_(1.0 / n)
        torch.mm(h.t(), f, out=self.ga)
        torch.mm(f, self.a.t(), out=self.g)
        h.sign_()
        h.mul_(self.g)
        torch.mv(h.t(), self.ones, out=self.gb)
        torch.mm(self.xt, h, out=self.gw)
        return value

    def step(self, lr):
        value = self.gradient()
        self.a.sub_(self.ga, alpha=lr)
        self.w.sub_(self.gw, alpha=lr)
        self.b.sub_(self.gb, alpha=lr)
        return value

    def gradients(self):
        self.gradient()
        return self.ga.numpy(), self.gw.numpy().T, self.gb.numpy()


class TorchAutogradSoftmaxStep:
    """PyTorch as a user writes it with k classes: the forward pass, cross_entropy, loss.backward()."""

    def __init__(self, x, labels, a, w, b, torch):
        self.torch = torch
        self.x, self.labels = torch.from_numpy(x), torch.from_numpy(labels)
        self.params = [torch.from_numpy(v).requires_grad_(True) for v in (a, w, b)]

    def gradient(self):
        torch = self.torch
        a, w, b = self.params
        f = torch.relu(torch.addmm(b, self.x, w.t())) @ a
        loss = torch.nn.functional.cross_entropy(f, self.labels)
        loss.backward()
        return float(loss)

    def step(self, lr):
        value = self.gradient()
        with self.torch.no_grad():
            for p in self.params:
                p.sub_(p.grad, alpha=lr)
                p.grad = None
        return value

    def gradients(self):
        for p in self.params:
            p.grad = None
        self.gradient()
        return tuple(p.grad.numpy() for p in self.params)


def make_classes(impl, x, labels, a, w, b, np):
    if impl == "numpy":
        return NumpySoftmaxStep(x, labels, a, w, b, np), {"numpy": np.__version__}
    import torch
    versions = {"numpy": np.__version__, "torch": torch.__version__}
    if impl == "torch":
        return TorchSoftmaxStep(x, labels, a, w, b, np, torch), versions
    return TorchAutogradSoftmaxStep(x, labels, a, w, b, torch), versions


def make(impl, x, y, a, w, b, loss, np):
    if impl == "numpy":
        return NumpyStep(x, y, a, w, b, loss, np), {"numpy": np.__version__}
    import torch
    versions = {"numpy": np.__version__, "torch": torch.__version__}
    if impl == "torch":
        return TorchStep(x, y, a, w, b, loss, np, torch), versions
    return TorchAutogradStep(x, y, a, w, b, loss, torch), versions


def reference_gradients(x, y, a, w, b, loss):
    """float64 loops straight from the formulas (no BLAS): ga, gw (m, d), gb, with |.|-sums for the bound"""
    import math
    n, d = len(x), len(x[0])
    m = len(a)
    xs = [[float(v) for v in row] for row in x]
    ws = [[float(v) for v in row] for row in w]
    z = [[sum(xs[i][k] * ws[j][k] for k in range(d)) + float(b[j]) for j in range(m)] for i in range(n)]
    f = [sum(float(a[j]) * max(z[i][j], 0.0) for j in range(m)) for i in range(n)]
    if loss == "square":
        r = [f[i] - float(y[i]) for i in range(n)]
    else:
        r = [-float(y[i]) / (1 + math.exp(float(y[i]) * f[i])) for i in range(n)]
    ga = [sum(r[i] * max(z[i][j], 0.0) for i in range(n)) / n for j in range(m)]
    gb = [float(a[j]) * sum(r[i] for i in range(n) if z[i][j] > 0) / n for j in range(m)]
    gw = [[float(a[j]) * sum(r[i] * xs[i][k] for i in range(n) if z[i][j] > 0) / n for k in range(d)]
          for j in range(m)]
    # magnitudes: the same sums over absolute values of the terms (and of |z|, |f|), for the error bound
    za = [[sum(abs(xs[i][k] * ws[j][k]) for k in range(d)) + abs(float(b[j])) for j in range(m)] for i in range(n)]
    fa = [sum(abs(float(a[j])) * za[i][j] for j in range(m)) for i in range(n)]
    ra = [fa[i] + abs(float(y[i])) for i in range(n)]
    ga_mag = [sum(ra[i] * za[i][j] for i in range(n)) / n for j in range(m)]
    gb_mag = [abs(float(a[j])) * sum(ra[i] for i in range(n)) / n for j in range(m)]
    gw_mag = [[abs(float(a[j])) * sum(ra[i] * abs(xs[i][k]) for i in range(n)) / n for k in range(d)]
              for j in range(m)]
    return (ga, gw, gb), (ga_mag, gw_mag, gb_mag), min(abs(v) for row in z for v in row)


def reference_softmax_gradients(x, labels, a, w, b):
    """float64 loops from the formulas (no BLAS) for k classes: ga (m, k), gw (m, d), gb, with |.|-sums"""
    import math
    n, d = len(x), len(x[0])
    m, k = len(a), len(a[0])
    xs = [[float(v) for v in row] for row in x]
    ws = [[float(v) for v in row] for row in w]
    as_ = [[float(v) for v in row] for row in a]
    z = [[sum(xs[i][q] * ws[j][q] for q in range(d)) + float(b[j]) for j in range(m)] for i in range(n)]
    f = [[sum(as_[j][c] * max(z[i][j], 0.0) for j in range(m)) for c in range(k)] for i in range(n)]
    r = []
    for i in range(n):
        top = max(f[i])
        e = [math.exp(v - top) for v in f[i]]
        total = sum(e)
        r.append([(e[c] / total - (1.0 if c == int(labels[i]) else 0.0)) / n for c in range(k)])
    ga = [[sum(r[i][c] * max(z[i][j], 0.0) for i in range(n)) for c in range(k)] for j in range(m)]
    s_ = [[sum(as_[j][c] * r[i][c] for c in range(k)) if z[i][j] > 0 else 0.0 for j in range(m)] for i in range(n)]
    gb = [sum(s_[i][j] for i in range(n)) for j in range(m)]
    gw = [[sum(s_[i][j] * xs[i][q] for i in range(n)) for q in range(d)] for j in range(m)]
    # magnitudes: |z| and |f| sums as at k = 1; a residual's error is at most half the largest error of its
    # row of f (the softmax is 1/2-Lipschitz in the max norm) plus its own rounding, |r_ic| <= 1: ra_i bounds
    # both, per sample, divided by n as r is
    za = [[sum(abs(xs[i][q] * ws[j][q]) for q in range(d)) + abs(float(b[j])) for j in range(m)] for i in range(n)]
    fa = [max(sum(abs(as_[j][c]) * za[i][j] for j in range(m)) for c in range(k)) for i in range(n)]
    ra = [(fa[i] + 1.0) / n for i in range(n)]
    aa = [sum(abs(v) for v in as_[j]) for j in range(m)]
    ga_mag = [[sum(ra[i] * za[i][j] for i in range(n)) for _ in range(k)] for j in range(m)]
    gb_mag = [aa[j] * sum(ra) for j in range(m)]
    gw_mag = [[aa[j] * sum(ra[i] * abs(xs[i][q]) for i in range(n)) for q in range(d)] for j in range(m)]
    return (ga, gw, gb), (ga_mag, gw_mag, gb_mag), min(abs(v) for row in z for v in row)


def check(impl, loss, np, classes=10):
    """One gradient at an awkward small shape against float64 loops.

    The bound is the usual forward-error bound of float32 sums and products, gamma_K = K u / (1 - K u)
    with u = 2^-24 and K the longest chain of roundings (d + 1 for z, m + 1 more for f, n + 2 more
    for a gradient entry, plus a few for the residual and scaling), applied to the same sums over
    absolute values; doubled for the one-flop differences of FMA against separate multiply-add.
    It is valid while no pre-activation lies within the rounding of z of 0 (checked: the data are
    drawn so that the smallest |z| is far from 0, else the check says so and fails).
    Any wrong BLAS kernel produces errors of the order of the magnitudes themselves, far above it.
    """
    n, d, m = 37, 19, 53
    if loss == "softmax":
        # k classes: the chain grows by the k-term sums of the softmax and of s_ij = a_j . r_i
        x, labels, a, w, b = data_classes(n, d, m, classes, 7, np)
        expected, magnitude, zmin = reference_softmax_gradients(x, labels, a, w, b)
        step, versions = make_classes(impl, x.copy(), labels.copy(), a.copy(), w.copy(), b.copy(), np)
        got = step.gradients()
        u = 2.0 ** -24
        chain = d + m + n + 2 * classes + 10
    else:
        x, y, a, w, b = data(n, d, m, 7, np)
        if loss == "logistic":
            y = np.where(y >= 0, 1.0, -1.0).astype(np.float32)
        expected, magnitude, zmin = reference_gradients(x, y, a, w, b, loss)
        step, versions = make(impl, x.copy(), y.copy(), a.copy(), w.copy(), b.copy(), loss, np)
        got = step.gradients()
        u = 2.0 ** -24
        chain = d + m + n + 10
    gamma = 2 * chain * u / (1 - chain * u)
    worst = 0.0
    for name, g, e, mag in zip(("a", "w", "b"), got, expected, magnitude):
        g = np.asarray(g, dtype=np.float64).reshape(-1)
        e = np.asarray(e, dtype=np.float64).reshape(-1)
        mag = np.asarray(mag, dtype=np.float64).reshape(-1)
        worst = max(worst, float(np.max(np.abs(g - e) / (gamma * mag + 1e-300))))
    kink_margin = zmin / (gamma * 10)
    ok = worst <= 1.0 and kink_margin > 1.0
    result = {"impl": impl, "mode": "check", "n": n, "d": d, "m": m, "worst_ratio_to_bound": worst,
              "ok": ok, "versions": versions, "blas": blas_info()}
    if loss == "softmax":
        result["k"] = classes
        result["loss"] = loss
    return result


def time_step(impl, n, d, m, loss, np, steps, seconds, warmup, seed, classes=1):
    if classes > 1:
        x, labels, a, w, b = data_classes(n, d, m, classes, seed, np)
        step, versions = make_classes(impl, x, labels, a, w, b, np)
        loss = "softmax"
    else:
        x, y, a, w, b = data(n, d, m, seed, np)
        if loss == "logistic":
            y = np.where(y >= 0, 1.0, -1.0).astype(np.float32)
        step, versions = make(impl, x, y, a, w, b, loss, np)
    for _ in range(warmup):
        step.step(LR)
    times = []
    value = float("nan")
    started = time.perf_counter()
    while len(times) < 1000 and (len(times) < steps or time.perf_counter() - started < seconds):
        t0 = time.perf_counter()
        value = step.step(LR)
        times.append(time.perf_counter() - t0)
    per_step = statistics.median(times)
    result = {"impl": impl, "mode": "step", "loss": loss, "n": n, "d": d, "m": m, "steps": len(times),
              "seconds_per_step": per_step, "min_seconds_per_step": min(times), "pairs_per_s": n * m / per_step,
              "loss_value": value, "rss_bytes": rss_bytes(), "versions": versions, "blas": blas_info()}
    if classes > 1:
        result["k"] = classes
    return result


def time_gemm(impl, n, d, m, np, seconds, seed):
    """best time of (n x d)(d x m) and of (d x n)(n x m), preallocated, with this framework's BLAS"""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(n, d)).astype(np.float32)
    xt = np.ascontiguousarray(x.T)
    w = rng.standard_normal(size=(d, m)).astype(np.float32)
    s = rng.standard_normal(size=(n, m)).astype(np.float32)
    z = np.empty((n, m), np.float32)
    g = np.empty((d, m), np.float32)
    versions = {"numpy": np.__version__}
    if impl == "numpy":
        forward = lambda: np.matmul(x, w, out=z)
        backward = lambda: np.matmul(xt, s, out=g)
    else:
        import torch
        versions["torch"] = torch.__version__
        tx, txt, tw, ts, tz, tg = map(torch.from_numpy, (x, xt, w, s, z, g))
        forward = lambda: torch.mm(tx, tw, out=tz)
        backward = lambda: torch.mm(txt, ts, out=tg)
    best = []
    for product in (forward, backward):
        product()
        times = []
        started = time.perf_counter()
        while len(times) < 3 or (time.perf_counter() - started < seconds / 2 and len(times) < 1000):
            t0 = time.perf_counter()
            product()
            times.append(time.perf_counter() - t0)
        best.append(min(times))
    flops = 2.0 * n * d * m
    return {"impl": impl, "mode": "gemm", "n": n, "d": d, "m": m, "rss_bytes": rss_bytes(), "forward_seconds": best[0],
            "backward_seconds": best[1], "gemm_seconds": best[0] + best[1],
            "gemm_gflops": 2 * flops / (best[0] + best[1]) / 1e9, "versions": versions, "blas": blas_info()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--impl", required=True, choices=["torch-autograd", "torch", "numpy"])
    parser.add_argument("--mode", choices=["step", "check", "gemm"], default="step")
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--d", type=int, default=1)
    parser.add_argument("--m", type=int, default=65536)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--steps", type=int, default=3, help="at least this many timed steps")
    parser.add_argument("--seconds", type=float, default=0.5, help="time steps until this much time has passed")
    parser.add_argument("--seed", type=int, default=20180713)
    parser.add_argument("--loss", choices=["square", "logistic", "softmax"], default="square",
                        help="softmax: the softmax cross-entropy on --classes classes (k outputs)")
    parser.add_argument("--classes", type=int, default=10, help="k for --loss softmax (at least 2)")
    parser.add_argument("--tasks", help="several shapes in one process (saves the start-up of each): "
                        "MODE:N:D:M[:K][,...] with MODE step or gemm, K > 1 a step with K classes (softmax "
                        "cross-entropy); one JSON line each, in order")
    args = parser.parse_args()
    if args.classes < 2:
        sys.exit(f"--classes must be at least 2, got {args.classes}")
    for name in ("n", "d", "m", "threads", "steps"):
        if getattr(args, name) <= 0:
            sys.exit(f"--{name} must be positive, got {getattr(args, name)}")
    if args.mode == "gemm" and args.impl == "torch-autograd":
        sys.exit("--mode gemm takes --impl torch or numpy")

    import numpy as np
    if args.impl != "numpy":
        import torch
        torch.set_num_threads(args.threads)
    tasks = [(args.mode, args.n, args.d, args.m, args.classes if args.loss == "softmax" else 1)]
    if args.tasks:
        tasks = []
        for task in args.tasks.split(","):
            fields = task.split(":")
            if len(fields) == 4:
                fields.append("1")
            if len(fields) != 5 or fields[0] not in ("step", "gemm") or not all(v.isdigit() for v in fields[1:]) \
                    or min(int(v) for v in fields[1:]) <= 0 or (fields[0] == "gemm" and fields[4] != "1"):
                sys.exit(f"--tasks: {task} is not step:N:D:M[:K] or gemm:N:D:M with positive sizes")
            tasks.append((fields[0], int(fields[1]), int(fields[2]), int(fields[3]), int(fields[4])))
    for mode, n, d, m, k in tasks:
        if mode == "check":
            result = check(args.impl, args.loss, np, args.classes)
        elif mode == "gemm":
            result = time_gemm(args.impl, n, d, m, np, args.seconds, args.seed)
        else:
            result = time_step(args.impl, n, d, m, args.loss, np, args.steps, args.seconds, args.warmup, args.seed, k)
        result["threads"] = args.threads
        result["precision"] = "float32"
        result["peak_rss_bytes"] = result.get("rss_bytes", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
        print(json.dumps(result), flush=True)
        if mode == "check" and not result["ok"]:
            sys.exit(3)


if __name__ == "__main__":
    main()
