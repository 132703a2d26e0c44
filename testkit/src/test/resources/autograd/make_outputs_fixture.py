#!/usr/bin/env python3
"""Writes outputs-autograd.txt: losses and gradients of small k-output networks computed by PyTorch's autograd
in float64, which OutputsAutogradTest compares with Reference's k-output loss and gradient (committed; regenerate
with this script). An independent derivative: autograd differentiates the loss as written here, the reference
implements the hand-derived gradient of docs/THEORY.md section 10.

Generated with torch 1.13 (Debian python3-torch), numpy 1.24. Usage: /usr/bin/python3 make_outputs_fixture.py

Model: f(x) = sum_j a_j relu(w_j . x + b_j) with a_j in R^k (a of shape (m, k)). Losses: square
(1/(2n)) sum_i |f(x_i) - y_i|^2 with y (n, k); softmax cross-entropy (1/n) sum_i [logsumexp(f(x_i)) - f_{c_i}(x_i)]
with labels c (n) (torch.nn.functional.cross_entropy, mean reduction). relu'(0) = 0 in both. Each case holds a
zero neuron (a = w = b = 0, as the kernel's padding) and a neuron whose pre-activation is exactly 0 at sample 0.
"""
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def case(rng, loss, d, m, n, k, bias):
    x = rng.standard_normal((n, d))
    a = rng.standard_normal((m, k)) * 0.7
    w = rng.standard_normal((m, d))
    b = rng.standard_normal(m) * 0.5 if bias else np.zeros(m)
    a[0, :] = 0.0
    w[0, :] = 0.0
    b[0] = 0.0
    x[0, :] = 0.0
    x[0, 0] = 0.5
    w[1, 0] = 2.0
    b[1] = -1.0 if bias else 0.0
    if not bias:
        w[1, 0] = 0.0
    tx = torch.tensor(x)
    ta = torch.tensor(a, requires_grad=True)
    tw = torch.tensor(w, requires_grad=True)
    tb = torch.tensor(b, requires_grad=True)
    f = torch.relu(tx @ tw.T + tb) @ ta
    if loss == "SQUARE":
        y = rng.standard_normal((n, k))
        value = 0.5 * torch.sum((f - torch.tensor(y)) ** 2) / n
        targets = y.ravel()
    else:
        labels = rng.integers(0, k, n)
        value = torch.nn.functional.cross_entropy(f, torch.tensor(labels))
        targets = labels.astype(np.float64)
    value.backward()
    return {
        "case": f"{loss} bias={str(bias).lower()} d={d} m={m} n={n} k={k}",
        "x": x.ravel(), "y": targets, "a": a.ravel(), "w": w.ravel(), "b": b,
        "loss": np.array([value.item()]),
        "ga": ta.grad.numpy().ravel(), "gw": tw.grad.numpy().ravel(), "gb": tb.grad.numpy(),
    }


def main():
    rng = np.random.default_rng(20261204)
    lines = ["# written by make_outputs_fixture.py (PyTorch autograd, float64); one case per block, values as repr()"]
    for loss in ("SQUARE", "SOFTMAX_CROSS_ENTROPY"):
        for bias in (True, False):
            for d, m, n, k in ((1, 5, 7, 3), (3, 9, 11, 10), (2, 6, 8, 2)):
                c = case(rng, loss, d, m, n, k, bias)
                lines.append("case " + c["case"])
                for key in ("x", "y", "a", "w", "b", "loss", "ga", "gw", "gb"):
                    lines.append(key + " " + " ".join(repr(float(v)) for v in c[key]))
    with open(os.path.join(HERE, "outputs-autograd.txt"), "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
