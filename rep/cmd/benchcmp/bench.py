"""The PyTorch and NumPy sides of rep/cmd/benchcmp (issue 8).

Run by benchcmp with Debian's /usr/bin/python3: python3 bench.py MODE DIR.
DIR holds the cases' data and initial parameters as little-endian float64
files written by benchcmp; the script trains exactly the networks the Go
engine trains (same data, same initial weights, same loss and update) and
prints one JSON object: wall time of the training loops only (loading
excluded), final losses, and the BLAS that NumPy runs.

MODE is one of fig4-torch, fig4-numpy, sweep-torch, sweep-numpy, dgemm.
"""

import json
import multiprocessing as mp
import os
import sys
import time

import numpy as np


def load(d, name, shape):
    return np.fromfile(os.path.join(d, name), dtype="<f8").reshape(shape)


def meta(d):
    with open(os.path.join(d, "meta.json")) as f:
        return json.load(f)


def blas_info():
    try:
        import threadpoolctl

        return [
            {k: i.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
            for i in threadpoolctl.threadpool_info()
        ]
    except Exception as e:  # threadpoolctl is optional
        return str(e)


# ---------------------------------------------------------------- fig 4 ---
# Paper A Fig. 4: f = W2·relu(W1 x + b1), loss ‖Y − f‖²_F + λ1(‖W1‖²+‖b1‖²)
# + λ2‖W2‖², full-batch GD.


def fig4_data(d):
    m = meta(d)
    P, dX, M, dY = m["P"], m["dX"], m["M"], m["dY"]
    return (m, load(d, "X", (P, dX)), load(d, "Y", (P, dY)), load(d, "W1", (M, dX)),
            load(d, "b1", (M,)), load(d, "W2", (dY, M)))


def fig4_torch(d):
    import torch

    torch.set_num_threads(1)
    m, X, Y, W1, b1, W2 = fig4_data(d)
    X, Y = torch.from_numpy(X), torch.from_numpy(Y)
    W1 = torch.from_numpy(W1).requires_grad_()
    b1 = torch.from_numpy(b1).requires_grad_()
    W2 = torch.from_numpy(W2).requires_grad_()
    l1, l2 = m["l1"], m["l2"]
    opt = torch.optim.SGD([W1, b1, W2], lr=m["lr"])
    t0 = time.perf_counter()
    for _ in range(m["epochs"]):
        opt.zero_grad()
        f = torch.relu(X @ W1.T + b1) @ W2.T
        loss = ((Y - f) ** 2).sum() + l1 * ((W1 ** 2).sum() + (b1 ** 2).sum()) + l2 * (W2 ** 2).sum()
        loss.backward()
        opt.step()
    dt = time.perf_counter() - t0
    with torch.no_grad():
        f = torch.relu(X @ W1.T + b1) @ W2.T
        loss = ((Y - f) ** 2).sum() + l1 * ((W1 ** 2).sum() + (b1 ** 2).sum()) + l2 * (W2 ** 2).sum()
    return {"seconds": dt, "loss": float(loss), "torch": torch.__version__}


def fig4_numpy(d):
    m, X, Y, W1, b1, W2 = fig4_data(d)
    l1, l2, lr = m["l1"], m["l2"], m["lr"]
    t0 = time.perf_counter()
    for _ in range(m["epochs"]):
        Z = X @ W1.T + b1
        A = np.maximum(Z, 0)
        F = A @ W2.T
        G = 2 * (F - Y)
        gW2 = G.T @ A + 2 * l2 * W2
        GZ = (G @ W2) * (Z > 0)
        gW1 = GZ.T @ X + 2 * l1 * W1
        gb1 = GZ.sum(0) + 2 * l1 * b1
        W1 -= lr * gW1
        b1 -= lr * gb1
        W2 -= lr * gW2
    dt = time.perf_counter() - t0
    F = np.maximum(X @ W1.T + b1, 0) @ W2.T
    loss = ((Y - F) ** 2).sum() + l1 * ((W1 ** 2).sum() + (b1 ** 2).sum()) + l2 * (W2 ** 2).sum()
    return {"seconds": dt, "loss": float(loss), "blas": blas_info()}


# ---------------------------------------------------------------- sweep ---
# Paper B sweep case: f = w2·tanh(W1 x + b1) + b2 with a frozen readout w2,
# mean BCE with logits, full-batch GD on W1, b1, b2.


def sweep_net(d, k, m):
    P, dX, M = m["P"], m["dX"], m["M"]
    pre = "net%03d_" % k
    return (load(d, pre + "X", (P, dX)), load(d, pre + "T", (P,)), load(d, pre + "W1", (M, dX)),
            load(d, pre + "b1", (M,)), load(d, pre + "w2", (M,)), load(d, pre + "b2", (1,)))


def sweep_torch_worker(args):
    d, ks, barrier = args
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
    m = meta(d)
    nets = [sweep_net(d, k, m) for k in ks]
    barrier.wait()
    t0 = time.perf_counter()
    losses = []
    for X, T, W1, b1, w2, b2 in nets:
        X, T, w2 = torch.from_numpy(X), torch.from_numpy(T), torch.from_numpy(w2)
        W1 = torch.from_numpy(W1).requires_grad_()
        b1 = torch.from_numpy(b1).requires_grad_()
        b2 = torch.from_numpy(b2).requires_grad_()
        opt = torch.optim.SGD([W1, b1, b2], lr=m["lr"])
        for _ in range(m["epochs"]):
            opt.zero_grad()
            f = torch.tanh(X @ W1.T + b1) @ w2 + b2
            loss = F.binary_cross_entropy_with_logits(f, T)
            loss.backward()
            opt.step()
        with torch.no_grad():
            f = torch.tanh(X @ W1.T + b1) @ w2 + b2
            losses.append(float(F.binary_cross_entropy_with_logits(f, T)))
    return t0, time.perf_counter(), ks, losses


def sweep_numpy_worker(args):
    d, ks, barrier = args
    m = meta(d)
    nets = [sweep_net(d, k, m) for k in ks]
    lr, P = m["lr"], m["P"]
    barrier.wait()
    t0 = time.perf_counter()
    losses = []
    for X, T, W1, b1, w2, b2 in nets:
        for _ in range(m["epochs"]):
            A = np.tanh(X @ W1.T + b1)
            f = A @ w2 + b2
            gf = (1 / (1 + np.exp(-f)) - T) / P
            GZ = np.outer(gf, w2) * (1 - A * A)
            W1 -= lr * (GZ.T @ X)
            b1 -= lr * GZ.sum(0)
            b2 -= lr * gf.sum()
        f = np.tanh(X @ W1.T + b1) @ w2 + b2
        losses.append(float(np.mean(np.maximum(f, 0) - f * T + np.log1p(np.exp(-np.abs(f))))))
    return t0, time.perf_counter(), ks, losses


def sweep(d, worker):
    m = meta(d)
    procs = m["procs"]
    shares = [list(range(i, m["nets"], procs)) for i in range(procs)]
    ctx = mp.get_context("fork")
    with ctx.Manager() as man:
        barrier = man.Barrier(procs)
        with ctx.Pool(procs) as pool:
            res = pool.map(worker, [(d, s, barrier) for s in shares])
    losses = [0.0] * m["nets"]
    for _, _, ks, ls in res:
        for k, l in zip(ks, ls):
            losses[k] = l
    out = {"seconds": max(r[1] for r in res) - min(r[0] for r in res), "losses": losses}
    if worker is sweep_numpy_worker:
        out["blas"] = blas_info()
    else:
        import torch

        out["torch"] = torch.__version__
    return out


# ---------------------------------------------------------------- dgemm ---


def dgemm_worker(args):
    n, reps, barrier = args
    a, b = np.random.rand(n, n), np.random.rand(n, n)
    a @ b
    barrier.wait()
    t0 = time.perf_counter()
    for _ in range(reps):
        a @ b
    return t0, time.perf_counter()


def dgemm(d):
    """OpenBLAS dgemm 1024³, one thread per process, 1 and 2 processes."""
    n, reps = 1024, 20
    out = {"blas": blas_info()}
    ctx = mp.get_context("fork")
    for procs in (1, 2):
        with ctx.Manager() as man:
            barrier = man.Barrier(procs)
            with ctx.Pool(procs) as pool:
                res = pool.map(dgemm_worker, [(n, reps, barrier)] * procs)
        wall = max(r[1] for r in res) - min(r[0] for r in res)
        out["gflops_%dproc" % procs] = 2 * n ** 3 * reps * procs / wall / 1e9
    return out


def main():
    mode, d = sys.argv[1], sys.argv[2]
    fn = {
        "fig4-torch": fig4_torch,
        "fig4-numpy": fig4_numpy,
        "sweep-torch": lambda d: sweep(d, sweep_torch_worker),
        "sweep-numpy": lambda d: sweep(d, sweep_numpy_worker),
        "dgemm": dgemm,
    }[mode]
    print(json.dumps(fn(d)))


if __name__ == "__main__":
    main()
