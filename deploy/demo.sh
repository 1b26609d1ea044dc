#!/usr/bin/env bash
# The demo, from a fresh clone: install what is missing, build, prep Fashion-MNIST into Parquet shards,
# pretrain Mixed Barlow Twins on Spark's local master, print kNN of the trained and the untrained encoder.
#   deploy/demo.sh [FASHION_MNIST_DIR]   (default /usr/share/datasets/fashion-mnist)
# Extra settings go through MIXBT_SET, e.g. MIXBT_SET="mixbt.training.epochs=5".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
data=${1:-/usr/share/datasets/fashion-mnist}
if [ $# -eq 0 ]; then
  deploy/setup.sh
elif [ ! -d "$data" ]; then
  echo "demo: no such directory: $data" >&2
  exit 2
fi
start=$(date +%s)
echo "demo: building (mvn package)"
mvn -q -B -Dstyle.color=never -DskipTests package
shards=work/fashion-mnist
if deploy/mixbt prep verify --input "$shards" >/dev/null 2>&1; then
  echo "demo: using the verified shards already in $shards (not re-reading $data; delete $shards to prep again)"
else
  # Missing, damaged, or written by an older prep (another shard format): written afresh.
  echo "demo: prepping $data -> $shards"
  deploy/mixbt prep idx --input "$data" --output "$shards" --dataset fashion-mnist --overwrite
fi
sets=()
for s in ${MIXBT_SET:-}; do sets+=(--set "$s"); done
echo "demo: pretraining (conf/fashion-mnist-demo.conf)"
deploy/mixbt pretrain --config conf/fashion-mnist-demo.conf --set "mixbt.data.shards=\"$shards\"" "${sets[@]}"
echo "demo: finished in $(( $(date +%s) - start )) s"
