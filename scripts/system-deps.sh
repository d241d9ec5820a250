#!/usr/bin/env bash
# Debian packages gongkai needs: chromium (browser tests), CJK fonts and LibreOffice (letters, PDFs),
# Redis, nginx and PostgreSQL's programs (the production profile's tests, backups and benchmark).
# The tests that need one of them fail under CI when it is missing (tests/programs.py).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v wrk >/dev/null 2>&1 || need+=(wrk)  # load generator of `gongkai bench pages`
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)  # letters to PDF
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)  # shared-cache tests and `gongkai bench cluster`
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)  # the front of `gongkai bench cluster`
# PostgreSQL's programs (Debian keeps the server's in /usr/lib/postgresql/N/bin, off PATH): pg_dump and
# pg_restore for `gongkai backup`/`restore`, initdb, pg_ctl and pg_basebackup for `gongkai bench cluster`.
pg_tool() { command -v "$1" >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/$1" >/dev/null; }
for tool in pg_dump pg_restore pg_basebackup; do
  pg_tool "$tool" || { need+=(postgresql-client); break; }
done
for tool in initdb pg_ctl; do
  pg_tool "$tool" || { need+=(postgresql); break; }
done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "安装系统软件包：${need[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
