#!/usr/bin/python3
"""Compares .npy arrays: A (actual) against B (reference).

    scripts/compare_npy.py A.npy B.npy [--atol 1e-4] [--rtol 1e-3] [--bitexact] [--top1] [--json]
    scripts/compare_npy.py DIR_A DIR_B [same options]

Checks: same shape; numpy.allclose(A, B, atol, rtol) (NaN == NaN); with --bitexact, identical
bytes (same dtype too); with --top1, for [N, C] arrays (C > 1), the same argmax in every row
(other ranks: not applicable, counted as a match).
Directory mode compares every DIR_B/*.npy with the file of the same name in DIR_A (a missing
file is a mismatch) and reports the worst values over the files.
Prints `key=value` tokens (max_abs_err, max_rel_err, allclose, top1_match, bit_identical) and
OK or MISMATCH on one line, or a JSON object with --json. Exit 0 when everything asked for
holds, 1 on a mismatch, 2 on an unreadable file or directory.
"""
import argparse
import json
import os
import sys

import numpy as np


def compare(a, b, atol=1e-4, rtol=1e-3, bitexact=False, top1=False):
    r = {"shape_a": list(a.shape), "shape_b": list(b.shape), "dtype_a": str(a.dtype), "dtype_b": str(b.dtype)}
    same_shape = a.shape == b.shape
    r["same_shape"] = same_shape
    if not same_shape:
        r.update(max_abs_err=float("inf"), max_rel_err=float("inf"), allclose=False, ok=False)
        if bitexact:
            r["bit_identical"] = False
        if top1:
            r["top1_match"] = False
        return r
    af = a.astype(np.float64)
    bf = b.astype(np.float64)
    if a.size:
        with np.errstate(invalid="ignore", divide="ignore"):
            diff = np.abs(af - bf)
            both_nan = np.isnan(af) & np.isnan(bf)
            diff[both_nan] = 0.0
            rel = diff / np.maximum(np.abs(bf), np.finfo(np.float32).tiny)
            rel[diff == 0] = 0.0
        r["max_abs_err"] = float("nan") if np.isnan(diff).any() else float(diff.max())
        r["max_rel_err"] = float("nan") if np.isnan(rel).any() else float(rel.max())
    else:
        r["max_abs_err"] = 0.0
        r["max_rel_err"] = 0.0
    r["allclose"] = bool(np.allclose(af, bf, atol=atol, rtol=rtol, equal_nan=True))
    ok = r["allclose"]
    if bitexact:
        r["bit_identical"] = a.dtype == b.dtype and a.tobytes() == b.tobytes()
        ok = ok and r["bit_identical"]
    if top1:
        if a.ndim != 2 or a.shape[1] <= 1:
            r["top1_match"] = True  # not a [N, C] score array: nothing to rank
        else:
            ta = np.argmax(af, axis=1)
            tb = np.argmax(bf, axis=1)
            r["top1_match"] = bool((ta == tb).all())
            r["top1_mismatch_rows"] = int((ta != tb).sum())
        ok = ok and r["top1_match"]
    r["ok"] = bool(ok)
    return r


def compare_dirs(da, db, atol, rtol, bitexact, top1):
    names = sorted(f for f in os.listdir(db) if f.endswith(".npy"))
    if not names:
        raise FileNotFoundError(f"no .npy files in {db}")
    files = {}
    agg = {"max_abs_err": 0.0, "max_rel_err": 0.0, "allclose": True, "ok": True}
    if bitexact:
        agg["bit_identical"] = True
    if top1:
        agg["top1_match"] = True
    for n in names:
        pa = os.path.join(da, n)
        if not os.path.exists(pa):
            files[n] = {"missing": True, "ok": False}
            agg.update(allclose=False, ok=False, max_abs_err=float("inf"), max_rel_err=float("inf"))
            if bitexact:
                agg["bit_identical"] = False
            if top1:
                agg["top1_match"] = False
            continue
        r = compare(np.load(pa, allow_pickle=False), np.load(os.path.join(db, n), allow_pickle=False),
                    atol, rtol, bitexact, top1)
        files[n] = r
        for k in ("max_abs_err", "max_rel_err"):
            if np.isnan(r[k]) or r[k] > agg[k]:
                agg[k] = r[k]
        for k in ("allclose", "ok", "bit_identical", "top1_match"):
            if k in agg:
                agg[k] = agg[k] and r[k]
    agg["files"] = files
    return agg


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("a", help="actual .npy file or directory")
    p.add_argument("b", help="reference .npy file or directory")
    p.add_argument("--atol", type=float, default=1e-4)
    p.add_argument("--rtol", type=float, default=1e-3)
    p.add_argument("--bitexact", action="store_true", help="also require identical bytes")
    p.add_argument("--top1", action="store_true", help="also require the same argmax per row of [N, C] arrays")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    args = p.parse_args(argv)
    try:
        if os.path.isdir(args.b):
            if not os.path.isdir(args.a):
                raise NotADirectoryError(f"{args.a} is not a directory (the reference {args.b} is)")
            r = compare_dirs(args.a, args.b, args.atol, args.rtol, args.bitexact, args.top1)
            missing = [n for n, f in r["files"].items() if f.get("missing")]
        else:
            a = np.load(args.a, allow_pickle=False)
            b = np.load(args.b, allow_pickle=False)
            r = compare(a, b, args.atol, args.rtol, args.bitexact, args.top1)
            missing = []
    except Exception as e:  # noqa: BLE001
        print(f"compare_npy: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(r))
    else:
        parts = []
        if missing:
            parts.append("MISSING=" + ",".join(missing))
        if "same_shape" in r and not r["same_shape"]:
            parts.append(f"SHAPE_MISMATCH={r['shape_a']}vs{r['shape_b']}".replace(" ", ""))
        for n, f in r.get("files", {}).items():
            if "same_shape" in f and not f["same_shape"]:
                parts.append(f"SHAPE_MISMATCH[{n}]={f['shape_a']}vs{f['shape_b']}".replace(" ", ""))
        parts += [f"max_abs_err={r['max_abs_err']:.3g}", f"max_rel_err={r['max_rel_err']:.3g}",
                  f"allclose={r['allclose']}"]
        if args.top1:
            parts.append(f"top1_match={r['top1_match']}")
        if args.bitexact:
            parts.append(f"bit_identical={r['bit_identical']}")
        parts.append("OK" if r["ok"] else "MISMATCH")
        print(" ".join(parts))
    return 0 if r["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
