"""Reference trajectories for Kiln's optimizers: TensorFlow 1's update rules (its Apply* kernels, in their
order of operations) written out in NumPy float32, on two small graphs, for 200 steps.

Writes src/test/resources/optimizers/: the feeds and initial weights of each graph, and for each
(graph, optimizer) case its losses (200 values, the loss before each step's update) and final weights.
OptimizerReferenceTest reads them; tests never run this script.

    python3 scripts/reference/optimizers.py          # NumPy only
"""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "resources", "optimizers")
f32 = np.float32
STEPS = 200


def mlp_data(rng):
    x = rng.standard_normal((8, 6)).astype(f32)
    y = rng.standard_normal((8, 3)).astype(f32)
    w1 = (0.5 * rng.standard_normal((6, 5))).astype(f32)
    w2 = (0.5 * rng.standard_normal((5, 3))).astype(f32)
    return {"x": x, "y": y}, {"w1": w1, "w2": w2}


def mlp_grads(feeds, w):
    """loss = reduce_mean((y - relu(x @ w1) @ w2) ** 2); its value and the gradients of w1, w2."""
    x, y = feeds["x"], feeds["y"]
    h = x @ w["w1"]
    r = np.maximum(h, f32(0))
    p = r @ w["w2"]
    d = y - p
    loss = np.mean(d * d, dtype=f32)
    dp = (f32(-2) / f32(d.size)) * d
    g2 = r.T @ dp
    dh = (dp @ w["w2"].T) * (h > 0)
    g1 = x.T @ dh
    return loss, {"w1": g1.astype(f32), "w2": g2.astype(f32)}


def softmax_data(rng):
    x = rng.standard_normal((8, 6)).astype(f32)
    labels = rng.integers(0, 4, 8)
    y = np.eye(4, dtype=f32)[labels]
    w = (0.5 * rng.standard_normal((6, 4))).astype(f32)
    b = (0.1 * rng.standard_normal(4)).astype(f32)
    return {"x": x, "y": y}, {"w": w, "b": b}


def softmax_grads(feeds, w):
    """loss = reduce_mean(softmax_cross_entropy_with_logits_v2(labels=y, logits=x @ w + b))."""
    x, y = feeds["x"], feeds["y"]
    z = x @ w["w"] + w["b"]
    s = z - z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(s).sum(axis=1, keepdims=True))
    ce = -(y * (s - lse)).sum(axis=1)
    loss = np.mean(ce, dtype=f32)
    dz = (np.exp(s - lse) - y) / f32(x.shape[0])
    return loss, {"w": (x.T @ dz).astype(f32), "b": dz.sum(axis=0).astype(f32)}


class GradientDescent:
    def __init__(self, lr):
        self.lr = f32(lr)

    def apply(self, w, g, name):
        w[name] = w[name] - g * self.lr

    def finish(self):
        pass


class Momentum:
    def __init__(self, lr, momentum, nesterov=False):
        self.lr, self.mu, self.nesterov, self.a = f32(lr), f32(momentum), nesterov, {}

    def apply(self, w, g, name):
        a = self.a.get(name, np.zeros_like(g)) * self.mu + g
        self.a[name] = a
        if self.nesterov:
            w[name] = w[name] - (g * self.lr + a * self.mu * self.lr)
        else:
            w[name] = w[name] - a * self.lr

    def finish(self):
        pass


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
        self.lr, self.b1, self.b2, self.eps = f32(lr), f32(beta1), f32(beta2), f32(epsilon)
        self.p1, self.p2, self.m, self.v = self.b1, self.b2, {}, {}

    def apply(self, w, g, name):
        alpha = self.lr * np.sqrt(f32(1) - self.p2) / (f32(1) - self.p1)
        m = self.m.get(name, np.zeros_like(g))
        v = self.v.get(name, np.zeros_like(g))
        m = m + (g - m) * (f32(1) - self.b1)
        v = v + (g * g - v) * (f32(1) - self.b2)
        self.m[name], self.v[name] = m, v
        w[name] = w[name] - (m * alpha) / (np.sqrt(v) + self.eps)

    def finish(self):
        self.p1, self.p2 = self.p1 * self.b1, self.p2 * self.b2


class RMSProp:
    def __init__(self, lr, decay=0.9, momentum=0.0, epsilon=1e-10, centered=False):
        self.lr, self.rho, self.mu, self.eps = f32(lr), f32(decay), f32(momentum), f32(epsilon)
        self.centered, self.ms, self.mg, self.mom = centered, {}, {}, {}

    def apply(self, w, g, name):
        ms = self.ms.get(name, np.ones_like(g))
        ms = ms + (g * g - ms) * (f32(1) - self.rho)
        self.ms[name] = ms
        if self.centered:
            mg = self.mg.get(name, np.zeros_like(g))
            mg = mg + (g - mg) * (f32(1) - self.rho)
            self.mg[name] = mg
            denom = (ms - mg * mg) + self.eps
        else:
            denom = ms + self.eps
        mom = self.mom.get(name, np.zeros_like(g)) * self.mu + (g * self.lr) / np.sqrt(denom)
        self.mom[name] = mom
        w[name] = w[name] - mom

    def finish(self):
        pass


OPTIMIZERS = {
    "sgd": lambda: GradientDescent(0.05),
    "momentum": lambda: Momentum(0.05, 0.9),
    "nesterov": lambda: Momentum(0.05, 0.9, nesterov=True),
    "adam": lambda: Adam(0.01),
    "rmsprop": lambda: RMSProp(0.001),
    "rmsprop_centered": lambda: RMSProp(0.003, decay=0.8, momentum=0.5, epsilon=1e-4, centered=True),
}

GRAPHS = {"mlp": (mlp_data, mlp_grads), "softmax": (softmax_data, softmax_grads)}


def main():
    os.makedirs(OUT, exist_ok=True)
    for gname, (data, grads) in GRAPHS.items():
        feeds, init = data(np.random.default_rng(2026))
        for k, v in {**feeds, **init}.items():
            np.save(os.path.join(OUT, f"{gname}_{k}.npy"), v)
        for oname, make in OPTIMIZERS.items():
            opt, w = make(), {k: v.copy() for k, v in init.items()}
            losses = []
            for _ in range(STEPS):
                loss, g = grads(feeds, w)
                losses.append(loss)
                for name in init:
                    opt.apply(w, g[name], name)
                opt.finish()
            np.save(os.path.join(OUT, f"{gname}_{oname}_loss.npy"), np.array(losses, dtype=f32))
            for k, v in w.items():
                np.save(os.path.join(OUT, f"{gname}_{oname}_{k}.npy"), v.astype(f32))
            print(gname, oname, losses[0], losses[-1])


if __name__ == "__main__":
    main()
