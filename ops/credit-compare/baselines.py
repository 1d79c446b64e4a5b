# Holdout AUC of scorecardpy (its documented defaults) and optbinning (tuned by 5-fold CV on the training part).
import warnings; warnings.filterwarnings('ignore')
import numpy as np, pandas as pd, scorecardpy as sc
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from optbinning import BinningProcess
res = {'scorecardpy': [], 'optbinning': []}
for seed in range(1, 6):
    tr = pd.read_csv(f'/tmp/german/train{seed}.csv'); te = pd.read_csv(f'/tmp/german/test{seed}.csv')
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
    print(seed, {k: round(v[-1], 4) for k, v in res.items()}, 'optbinning', best[1:], flush=True)
for k, v in res.items(): print(k, 'mean', round(float(np.mean(v)), 4), [round(x, 4) for x in v])
