#!/bin/bash
# Facet's holdout AUC on the same splits: train on trainN.csv, validate on testN.csv. Extra arguments go to train.
F=${FACET:-.build/debug/facet}
G=${GERMAN:-/tmp/german}
for s in 1 2 3 4 5; do
  $F credit train --csv $G/train$s.csv --target creditability --bad bad --date 2026-12-07 --out $G/m$s.json "$@" > $G/train$s.log 2>&1 || { tail -3 $G/train$s.log; exit 1; }
  $F credit validate --model $G/m$s.json --csv $G/test$s.csv 2>/dev/null | grep -m1 -i "^AUC\|AUC " 
done
