# Holdout AUC of scorecardpy (its documented defaults), optbinning and xgboost (each tuned by 5-fold CV on the
# training part).
import os, warnings; warnings.filterwarnings('ignore')
import numpy as np, pandas as pd, scorecardpy as sc
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from optbinning import BinningProcess
from xgboost import XGBClassifier
out = os.environ.get('GERMAN', '/tmp/german')
res = {'scorecardpy': [], 'optbinning': [], 'xgboost': []}
for seed in range(1, 6):
    tr = pd.read_csv(f'{out}/train{seed}.csv'); te = pd.read_csv(f'{out}/test{seed}.csv')
    ytr = (tr.pop('creditability') == 'bad').astype(int); yte = (te.pop('creditability') == 'bad').astype(int)
    # scorecardpy as its README does it: woebin, IV filter, L1 logistic regression C=0.9.
    t2 = tr.copy(); t2['y'] = ytr; e2 = te.copy(); e2['y'] = yte
    t2 = sc.var_filter(t2, y='y')
    bins = sc.woebin(t2, y='y', print_info=False)
    a = sc.woebin_ply(t2, bins, print_info=False); b = sc.woebin_ply(e2[t2.columns], bins, print_info=False)
    lr = LogisticRegression(penalty='l1', C=0.9, solver='liblinear').fit(a.drop(columns='y'), a['y'])
    res['scorecardpy'].append(roc_auc_score(b['y'], lr.predict_proba(b.drop(columns='y'))[:, 1]))
    # optbinning tuned: prebins, min bin size and C chosen by 5-fold CV AUC on the training part.
    names = list(tr.columns); cats = [c for c in names if tr[c].dtype == object]
    best = None
    for prebins in (10, 20):
        for minsize in (0.05,):
            for C in (0.03, 0.1, 0.3, 1):
                bp = BinningProcess(names, categorical_variables=cats, max_n_prebins=prebins, min_prebin_size=minsize)
                pipe = Pipeline([('b', bp), ('lr', LogisticRegression(C=C, max_iter=2000))])
                cv = cross_val_score(pipe, tr, ytr, cv=StratifiedKFold(5, shuffle=True, random_state=0), scoring='roc_auc').mean()
                if best is None or cv > best[0]: best = (cv, prebins, minsize, C)
    _, prebins, minsize, C = best
    bp = BinningProcess(names, categorical_variables=cats, max_n_prebins=prebins, min_prebin_size=minsize)
    pipe = Pipeline([('b', bp), ('lr', LogisticRegression(C=C, max_iter=2000))]).fit(tr, ytr)
    res['optbinning'].append(roc_auc_score(yte, pipe.predict_proba(te)[:, 1]))
    # xgboost tuned: depth, trees and learning rate chosen by 5-fold CV AUC on the training part; categories one-hot.
    xtr = pd.get_dummies(tr, columns=cats, dtype=float)
    xte = pd.get_dummies(te, columns=cats, dtype=float).reindex(columns=xtr.columns, fill_value=0.0)
    xtr.columns = xte.columns = [f'x{i}' for i in range(xtr.shape[1])]  # xgboost refuses names with [, ] or <
    xbest = None
    for depth in (2, 3, 4):
        for trees in (100, 300):
            for rate in (0.03, 0.1):
                model = XGBClassifier(max_depth=depth, n_estimators=trees, learning_rate=rate, subsample=0.8,
                                      colsample_bytree=0.8, random_state=0, n_jobs=1)
                cv = cross_val_score(model, xtr, ytr, cv=StratifiedKFold(5, shuffle=True, random_state=0), scoring='roc_auc').mean()
                if xbest is None or cv > xbest[0]: xbest = (cv, depth, trees, rate)
    _, depth, trees, rate = xbest
    model = XGBClassifier(max_depth=depth, n_estimators=trees, learning_rate=rate, subsample=0.8,
                          colsample_bytree=0.8, random_state=0, n_jobs=1).fit(xtr, ytr)
    res['xgboost'].append(roc_auc_score(yte, model.predict_proba(xte)[:, 1]))
    print(seed, {k: round(v[-1], 4) for k, v in res.items()}, 'optbinning', best[1:], 'xgboost', xbest[1:], flush=True)
for k, v in res.items(): print(k, 'mean', round(float(np.mean(v)), 4), [round(x, 4) for x in v])
