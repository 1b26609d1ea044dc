#!/usr/bin/env bash
# Installs what building, testing and the demo need on a fresh Debian/Ubuntu machine, and nothing that is
# already there: a JDK 17, Maven, and the Fashion-MNIST IDX files (Debian package dataset-fashion-mnist,
# installed to /usr/share/datasets/fashion-mnist).
set -euo pipefail
need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || need+=(dataset-fashion-mnist)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "setup: installing ${need[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${need[@]}"
fi
javac -version 2>&1 | grep -q ' 17\.' || echo "setup: warning: javac is not 17 ($(javac -version 2>&1)); set JAVA_HOME to a JDK 17" >&2
