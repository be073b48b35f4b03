"""Turning linear scores into probabilities (temperature-scaled softmax)."""

from __future__ import annotations

import numpy as np


def softmax(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = np.asarray(scores, dtype=np.float64) / max(temperature, 1e-6)
    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises the log-loss of softmax(scores / T) against `y`."""
    from scipy.optimize import minimize_scalar

    def nll(log_t: float) -> float:
        proba = softmax(scores, float(np.exp(log_t)))
        picked = proba[np.arange(len(y)), y]
        return float(-np.log(np.clip(picked, 1e-12, 1.0)).mean())

    result = minimize_scalar(nll, bounds=(np.log(0.01), np.log(10.0)), method="bounded")
    return float(np.exp(result.x))
