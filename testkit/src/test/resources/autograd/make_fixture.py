#!/usr/bin/env python3
"""Writes reference-autograd.txt: losses and gradients of small networks computed by PyTorch's autograd in
float64, which ReferenceAutogradTest compares with Reference.loss and Reference.gradient (committed; regenerate with
this script). An independent derivative: autograd differentiates the loss as written here, the reference
implements the hand-derived gradient of docs/THEORY.md section 1.

Generated with torch 1.13 (Debian python3-torch), numpy 1.24. Usage: /usr/bin/python3 make_fixture.py

Model: f(x) = sum_j a_j relu(w_j . x + b_j). Losses: square (1/(2n)) sum (f - y)^2; logistic
(1/n) sum log(1 + exp(-y f)), written as max(t, 0) + log1p(exp(-abs(t))) with t = -y f. relu'(0) = 0 in
both (torch's relu and the reference's [z > 0]). Each case holds a zero neuron (a = w = b = 0, as the kernel's
padding) and a neuron whose pre-activation is exactly 0 at sample 0 (a kink on a data point).
"""
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def case(rng, loss, d, m, n, bias):
    x = rng.standard_normal((n, d))
    y = np.where(rng.random(n) < 0.5, -1.0, 1.0) if loss == "LOGISTIC" else rng.standard_normal(n)
    a = rng.standard_normal(m) * 0.7
    w = rng.standard_normal((m, d))
    b = rng.standard_normal(m) * 0.5 if bias else np.zeros(m)
    a[0] = 0.0
    w[0, :] = 0.0
    b[0] = 0.0
    # neuron 1: z = 0 exactly at sample 0 (x_00 = 0.5, w_10 = 2, the rest of w_1 and b_1 cancel to 0)
    x[0, :] = 0.0
    x[0, 0] = 0.5
    w[1, 0] = 2.0
    b[1] = -1.0 if bias else 0.0
    if not bias:
        w[1, 0] = 0.0  # without bias, z = w . x: w_1 . x_0 = 0 with w_10 = 0
    tx, ty = torch.tensor(x), torch.tensor(y)
    ta = torch.tensor(a, requires_grad=True)
    tw = torch.tensor(w, requires_grad=True)
    tb = torch.tensor(b, requires_grad=True)
    f = torch.relu(tx @ tw.T + tb) @ ta
    if loss == "SQUARE":
        value = 0.5 * torch.mean((f - ty) ** 2)
    else:
        t = -ty * f
        value = torch.mean(torch.clamp(t, min=0) + torch.log1p(torch.exp(-torch.abs(t))))
    value.backward()
    return {
        "case": f"{loss} bias={str(bias).lower()} d={d} m={m} n={n}",
        "x": x.ravel(), "y": y, "a": a, "w": w.ravel(), "b": b,
        "loss": np.array([value.item()]),
        "ga": ta.grad.numpy(), "gw": tw.grad.numpy().ravel(), "gb": tb.grad.numpy(),
    }


def main():
    rng = np.random.default_rng(20261201)
    lines = ["# written by make_fixture.py (PyTorch autograd, float64); one case per block, values as repr()"]
    for loss in ("SQUARE", "LOGISTIC"):
        for bias in (True, False):
            for d, m, n in ((1, 5, 7), (3, 9, 11)):
                c = case(rng, loss, d, m, n, bias)
                lines.append("case " + c["case"])
                for key in ("x", "y", "a", "w", "b", "loss", "ga", "gw", "gb"):
                    lines.append(key + " " + " ".join(repr(float(v)) for v in c[key]))
    with open(os.path.join(HERE, "reference-autograd.txt"), "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
