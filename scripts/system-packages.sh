#!/usr/bin/env bash
# The Debian packages cchc uses beyond Python, installed when missing (as root, with apt-get):
#   fonts-liberation2      Liberation Serif, metric-compatible with Times New Roman, with every
#                          Vietnamese glyph: the serif the PDFs embed (WeasyPrint finds it through
#                          fontconfig, which also maps "Times New Roman" to it).
#   libreoffice-writer-nogui, libreoffice-calc-nogui
#                          lays out the DOCX and the workbook as an office would (tests compare
#                          its page count and layout with the PDF's).
#   chromium, chromium-driver
#                          the offline browser test of the HTML reports.
#   poppler-utils          pdftoppm, to look at a PDF's pages as pictures.
# Without root or apt-get it only says what is missing and goes on: the reports are still made,
# the PDF then falls back to another serif font.
set -uo pipefail
want=(fonts-liberation2 libreoffice-writer-nogui libreoffice-calc-nogui chromium chromium-driver
      poppler-utils)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Cài gói hệ thống còn thiếu / installing missing system packages: ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  exit $?
fi
echo "Chú ý: thiếu gói hệ thống ${missing[*]} (cài bằng: sudo apt-get install ${missing[*]})." >&2
echo "Note: missing system packages ${missing[*]}; PDF fonts and some tests need them." >&2
exit 0
