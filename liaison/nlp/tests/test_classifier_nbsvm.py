"""The NB-SVM half of the model is folded into plain weights; check the folding is exact."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.svm import LinearSVC

from liaison.nlp.classifier import NB_ALPHA, NB_SVM_C, SVM_MAX_ITER, _nb_svm


def test_folded_nb_svm_scores_match_the_scaled_features_model() -> None:
    rng = np.random.default_rng(0)
    dense = rng.random((60, 25)) * (rng.random((60, 25)) < 0.3)
    features = sparse.csr_matrix(dense.astype(np.float32))
    y = np.arange(60) % 3
    coef, intercept = _nb_svm(features, y, 3)
    present = (dense > 0).astype(np.float64)
    for k in range(3):
        # The textbook form: scale the features by the log-count ratio, fit, score.
        p = NB_ALPHA + present[y == k].sum(axis=0)
        q = NB_ALPHA + present[y != k].sum(axis=0)
        ratio = np.log((p / p.sum()) / (q / q.sum()))
        model = LinearSVC(C=NB_SVM_C, random_state=0, max_iter=SVM_MAX_ITER)
        model.fit(features.multiply(ratio.astype(np.float32)).tocsr(), (y == k).astype(int))
        expected = model.decision_function(features.multiply(ratio.astype(np.float32)).tocsr())
        folded = features @ coef[k] + intercept[k]
        np.testing.assert_allclose(folded, expected, rtol=1e-4, atol=1e-4)


def test_nb_svm_ranks_the_right_class_first_on_separable_data() -> None:
    # Class k always has feature k and, by chance, some noise features.
    rng = np.random.default_rng(1)
    y = np.arange(90) % 3
    dense = (rng.random((90, 12)) < 0.2).astype(np.float32)
    dense[np.arange(90), y] = 1.0
    coef, intercept = _nb_svm(sparse.csr_matrix(dense), y, 3)
    scores = dense @ coef.T + intercept
    assert (scores.argmax(axis=1) == y).mean() > 0.95
