#!/usr/bin/env bash
# kNN with and without the all-reduced BatchNorm statistics (mixbt.statistics), same seed, same weights:
# runs that differ only in mixbt.statistics.write-batch-norm (ema: false; precise: true, the three view
# groups pooled; precise-clean: true, view1 and view2 only). MODES="ema precise" picks some. Training uses batch statistics, so both
# end with the same weights (their per-epoch losses print identical); only the BN running statistics the
# kNN encoder runs on differ: the workers' moving averages averaged by parameter averaging, or the
# population statistics of a pass over `batches` training batches.
#   deploy/precise-bn-compare.sh [--set key=value]...   (extra settings for both runs)
# Default budget (small, for a shared 2-core machine): first 2000 train images, width 8, d 1024,
# batch 128, 2 epochs, 2 workers, kNN bank = 10 000 train images. Logs: work/precise-bn/{ema,precise}.log
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
shards=${MIXBT_SHARDS:-work/fashion-mnist}
if ! deploy/mixbt prep verify --input "$shards" >/dev/null 2>&1; then
  deploy/mixbt prep idx --input /usr/share/datasets/fashion-mnist --output "$shards" --dataset fashion-mnist --overwrite
fi
logs=work/precise-bn
mkdir -p "$logs"
stamp=$(date -u +%Y%m%d-%H%M%S)
common=(--set "mixbt.data.shards=\"$shards\"" --set mixbt.data.train-limit=2000 --set mixbt.model.base-width=8
  --set mixbt.model.feature-dim=1024 --set mixbt.training.epochs=2 --set mixbt.training.batch-size=128
  --set mixbt.knn.bank-limit=10000 --set mixbt.knn.untrained-baseline=false --set mixbt.statistics.enabled=true
  --set "mixbt.checkpoint.root=\"$logs/checkpoints\"" "$@")
modes=${MODES:-ema precise precise-clean}
for mode in $modes; do
  case "$mode" in
    ema) extra=(--set mixbt.statistics.write-batch-norm=false) ;;
    precise) extra=(--set mixbt.statistics.write-batch-norm=true) ;;
    precise-clean) extra=(--set mixbt.statistics.write-batch-norm=true --set "mixbt.statistics.batch-norm-views=[view1, view2]") ;;
    *) echo "precise-bn-compare: unknown mode $mode" >&2; exit 2 ;;
  esac
  start=$(date +%s)
  deploy/mixbt pretrain "${common[@]}" "${extra[@]}" --set "mixbt.run-id=precise-bn-$mode-$stamp" \
    >"$logs/$mode.log" 2>&1
  echo "precise-bn-compare: $mode run finished in $(( $(date +%s) - start )) s"
done
for mode in $modes; do
  echo "== $mode"
  grep -E "^epoch [0-9]+ (done|statistics)" "$logs/$mode.log" | sed 's/; view1.*//'
  grep -E "^trained encoder +kNN top-1" "$logs/$mode.log" | tail -1
done
