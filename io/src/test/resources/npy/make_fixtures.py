#!/usr/bin/env python3
"""Writes the NumPy fixture files that NpyTest reads (committed; regenerate with this script).

Generated with numpy 2.4.6 (python 3). Usage:
    python3 make_fixtures.py            # writes the fixtures next to this script
    python3 make_fixtures.py --check D  # np.load()s every .npy/.npz file in D (e.g. files the Java
                                        # writer produced) and checks them against the same values

The values are simple formulas that NpyTest recomputes in Java, so the test checks every element.
"""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def grid():
    # (3, 4): 0.25 * k - 1 for k = 0..11, all exact in float32 and float64
    return (np.arange(12, dtype=np.float64) * 0.25 - 1.0).reshape(3, 4)


def write(out):
    g = grid()
    np.save(os.path.join(out, "f64_2d.npy"), g)
    np.save(os.path.join(out, "f32_1d.npy"), g.ravel().astype(np.float32))
    np.save(os.path.join(out, "f64_fortran.npy"), np.asfortranarray(g))
    np.save(os.path.join(out, "f64_bigendian.npy"), g.astype(">f8"))
    np.save(os.path.join(out, "i64_1d.npy"), np.arange(-3, 4, dtype=np.int64) * 1000000000000)
    np.save(os.path.join(out, "i32_2d.npy"), np.arange(6, dtype=np.int32).reshape(2, 3) - 2)
    np.save(os.path.join(out, "u8_1d.npy"), np.array([0, 1, 255], dtype=np.uint8))
    np.save(os.path.join(out, "bool_1d.npy"), np.array([True, False, True]))
    np.save(os.path.join(out, "f64_scalar.npy"), np.float64(-2.5))
    np.save(os.path.join(out, "unicode_scalar.npy"), np.array("f32"))
    np.save(os.path.join(out, "f64_empty.npy"), np.zeros((0, 3)))
    with open(os.path.join(out, "f64_v2.npy"), "wb") as f:
        np.lib.format.write_array(f, g, version=(2, 0))
    # a structured array: a foreign layout the reader must refuse with a message
    np.save(os.path.join(out, "structured.npy"), np.zeros(2, dtype=[("p", "<f8"), ("q", "<i4")]))
    # a network in the layout of reluquant train's --init-params / OUT.npz
    a = np.array([0.5, -0.25, 1.0])
    w = np.array([[1.0, -2.0], [0.5, 0.0], [-1.5, 3.0]])
    b = np.array([0.0, 0.125, -0.75])
    np.savez(os.path.join(out, "params.npz"), a=a, w=w, b=b)
    np.savez_compressed(os.path.join(out, "params_compressed.npz"), a=a, w=w, b=b)


def check(directory):
    g = grid()
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if name.endswith(".npz"):
            with np.load(path) as z:
                print(name, {k: (z[k].dtype.str, z[k].shape) for k in z.files})
        elif name.endswith(".npy"):
            v = np.load(path)
            print(name, v.dtype.str, v.shape)
            if name.startswith("java_grid"):
                assert np.array_equal(v.astype(np.float64), g), name


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        write(HERE)
        print("fixtures written with numpy", np.__version__)
