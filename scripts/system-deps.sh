#!/usr/bin/env bash
# WeasyPrint (contract PDFs) needs Pango, HarfBuzz and a font from the system.
set -euo pipefail
missing=()
ldconfig -p | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0)
ldconfig -p | grep -q 'libpangoft2-1.0.so' || missing+=(libpangoft2-1.0-0)
ldconfig -p | grep -q 'libharfbuzz-subset.so' || missing+=(libharfbuzz-subset0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
# The copy of a jobcentre's data before it is closed (tenants/admin.py) is a pg_dump.
command -v pg_dump >/dev/null || missing+=(postgresql-client)
# The browser tests (tests/e2e, Playwright) drive Debian's Chromium; never `playwright install`.
[ -x /usr/bin/chromium ] || missing+=(chromium)
# More than one web process (tests/e2e/test_scale_out.py): the load balancer and the pooler.
[ -x /usr/sbin/haproxy ] || missing+=(haproxy)
[ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
# npm ci (make install): DKFDS and the test identity provider.
command -v npm >/dev/null || missing+=(nodejs npm)
# The translation catalogues (locale/*.po) are compiled to .mo by make install (msgfmt).
command -v msgfmt >/dev/null || missing+=(gettext)
# Single sign-on (issue 25): python3-saml's xmlsec binding builds against libxmlsec1, and the
# test SAML identity provider (pysaml2) signs and verifies with the xmlsec1 command.
command -v xmlsec1 >/dev/null || missing+=(xmlsec1)
command -v pkg-config >/dev/null || missing+=(pkg-config)
[ -e /usr/include/xmlsec1/xmlsec/xmlsec.h ] || missing+=(libxmlsec1-dev)
# The page benchmark (manage.py page_benchmark) loads gunicorn with wrk.
command -v wrk >/dev/null || missing+=(wrk)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[system-deps] installerer ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "[system-deps] mangler systempakker: ${missing[*]}" >&2
  echo "  installer dem med: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
