#!/usr/bin/env bash
# Debian packages gongkai needs: chromium (browser tests), CJK fonts and LibreOffice (letters, PDFs),
# Redis and nginx (the production profile's tests and benchmark).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v wrk >/dev/null 2>&1 || need+=(wrk)  # load generator of `gongkai bench pages`
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)  # letters to PDF
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)  # shared-cache tests and `gongkai bench cluster`
command -v nginx >/dev/null 2>&1 || need+=(nginx-light)  # the front of `gongkai bench cluster`
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "安装系统软件包：${need[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
