#!/usr/bin/env python3
"""scikit-learn on every feature of a labelled matrix: roc_auc_score in a loop (it gives no interval).

Usage: sklearn_roc_matrix.py MATRIX.tsv CASE > out.tsv
"""
import sys

import pandas as pd
from sklearn.metrics import roc_auc_score

data = pd.read_csv(sys.argv[1], sep="\t")
labels = (data["group"] == sys.argv[2]).to_numpy()
print("feature\tauc")
for feature in data.columns[2:]:
    print(f"{feature}\t{roc_auc_score(labels, data[feature].to_numpy()):.17g}")
