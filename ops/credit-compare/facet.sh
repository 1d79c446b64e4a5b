#!/bin/bash
# Facet's holdout AUC on the same splits: train on trainN.csv, validate on testN.csv. Extra arguments go to train.
F=${FACET:-.build/debug/facet}
for s in 1 2 3 4 5; do
  $F credit train --csv /tmp/german/train$s.csv --target creditability --bad bad --date 2026-12-07 --out /tmp/german/m$s.json "$@" > /tmp/german/train$s.log 2>&1 || { tail -3 /tmp/german/train$s.log; exit 1; }
  $F credit validate --model /tmp/german/m$s.json --csv /tmp/german/test$s.csv 2>/dev/null | grep -m1 -i "^AUC\|AUC " 
done
