#!/usr/bin/env python3
"""Times one full-batch GD step of the two-layer ReLU network in a peer framework, float32.

Same model, loss and data layout as the Java bench (bench/src/main/java/io/reluquant/bench):
  f(x) = sum_j a_j relu(w_j . x + b_j),  L = (1/(2n)) sum_i (f(x_i) - y_i)^2 (--loss square), or
  L = (1/n) sum_i log(1 + exp(-y_i f(x_i))) with y_i = sign(sin(pi x_i1)) in {-1, +1} (--loss logistic),
  x_i uniform in [-1, 1]^d, y_i = sin(pi x_i1), w ~ N(0, 1), b uniform in [-1, 1], a ~ N(0, 1/m).
Either way the hand-written gradients weigh the residual r_i = n dL/df_i: f_i - y_i (square) or
-y_i sigmoid(-y_i f_i) (logistic), exactly as the Java kernel does.
A step is forward (residuals) + gradient + update of a, w, b, as in the fused kernel.

Implementations (--impl):
  torch-autograd  PyTorch, loss.backward()
  torch-manual    PyTorch, the hand-written gradient (no autograd graph)
  numpy           NumPy, the hand-written gradient

Threads: torch.set_num_threads(--threads); OpenBLAS/OpenMP threads come from the environment
(OMP_NUM_THREADS, OPENBLAS_NUM_THREADS), which the bench sets to the same count.

Prints one JSON line: impl, precision, n, d, m, threads, steps, seconds_per_step (median of the timed
steps, wall clock), pairs_per_s (n*m / seconds_per_step), peak_rss_bytes (ru_maxrss of this process),
loss (after the last step), versions.
"""
import argparse
import json
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


def numpy_residual(f, y, loss, np):
    """(residuals r_i = n dL/df_i, loss) of the outputs f"""
    if loss == "square":
        r = f - y
        return r, float(r @ r) / (2 * len(y))
    t = -y * f
    value = np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))
    return -y / (1 + np.exp(-t)), float(value.mean())


def numpy_step(x, y, a, w, b, lr, np, loss_name):
    n = x.shape[0]
    z = x @ w.T + b                       # (n, m)
    h = np.maximum(z, 0)
    r, loss = numpy_residual(h @ a, y, loss_name, np)
    s = (z > 0) * r[:, None]              # r_i [z_ij > 0], (n, m)
    ga = (h.T @ r) / n
    gw = a[:, None] * (s.T @ x) / n
    gb = a * s.sum(axis=0) / n
    a -= lr * ga
    w -= lr * gw
    b -= lr * gb
    return loss


def torch_residual(f, y, loss, torch):
    """(residuals r_i = n dL/df_i, loss) of the outputs f"""
    if loss == "square":
        r = f - y
        return r, float(r @ r) / (2 * len(y))
    return -y * torch.sigmoid(-y * f), float(torch.nn.functional.softplus(-y * f).mean())


def torch_manual_step(x, y, a, w, b, lr, torch, loss_name):
    n = x.shape[0]
    z = torch.addmm(b, x, w.t())
    h = torch.relu(z)
    r, loss = torch_residual(h @ a, y, loss_name, torch)
    s = (z > 0).to(x.dtype) * r[:, None]
    ga = (h.t() @ r) / n
    gw = a[:, None] * (s.t() @ x) / n
    gb = a * s.sum(dim=0) / n
    a.sub_(lr * ga)
    w.sub_(lr * gw)
    b.sub_(lr * gb)
    return loss


def torch_autograd_step(x, y, a, w, b, lr, torch, loss_name):
    n = x.shape[0]
    f = torch.relu(torch.addmm(b, x, w.t())) @ a
    if loss_name == "square":
        loss = ((f - y) * (f - y)).sum() / (2 * n)
    else:
        loss = torch.nn.functional.softplus(-y * f).mean()
    loss.backward()
    with torch.no_grad():
        for p in (a, w, b):
            p.sub_(lr * p.grad)
            p.grad = None
    return float(loss)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--impl", required=True, choices=["torch-autograd", "torch-manual", "numpy"])
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--d", type=int, required=True)
    parser.add_argument("--m", type=int, required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20180713)
    parser.add_argument("--loss", choices=["square", "logistic"], default="square")
    args = parser.parse_args()
    for name in ("n", "d", "m", "threads", "steps"):
        if getattr(args, name) <= 0:
            sys.exit(f"--{name} must be positive, got {getattr(args, name)}")

    import numpy as np
    versions = {"numpy": np.__version__}
    x, y, a, w, b = data(args.n, args.d, args.m, args.seed, np)
    if args.loss == "logistic":
        y = np.where(y >= 0, 1.0, -1.0).astype(np.float32)
    if args.impl == "numpy":
        params = (x, y, a, w, b)
        step = lambda: numpy_step(*params, LR, np, args.loss)
    else:
        import torch
        torch.set_num_threads(args.threads)
        versions["torch"] = torch.__version__
        tensors = [torch.from_numpy(v) for v in (x, y, a, w, b)]
        if args.impl == "torch-autograd":
            for t in tensors[2:]:
                t.requires_grad_(True)
            step = lambda: torch_autograd_step(*tensors, LR, torch, args.loss)
        else:
            step = lambda: torch_manual_step(*tensors, LR, torch, args.loss)

    for _ in range(args.warmup):
        step()
    times = []
    loss = float("nan")
    for _ in range(args.steps):
        start = time.perf_counter()
        loss = step()
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    print(json.dumps({
        "impl": args.impl, "precision": "float32", "loss": args.loss, "n": args.n, "d": args.d, "m": args.m,
        "threads": args.threads, "steps": args.steps, "seconds_per_step": seconds,
        "pairs_per_s": args.n * args.m / seconds,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "loss": loss, "versions": versions}))


if __name__ == "__main__":
    main()
