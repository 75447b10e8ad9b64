#!/bin/sh
# Regenerates the social cards' fonts from Debian's Noto packages:
#
#   apt-get install fonts-noto-core fonts-noto-cjk python3-fonttools
#   sh themes/postcard/fonts/subset.sh
#
# (PYTHON names a Python with fontTools; Debian's /usr/bin/python3 by default.)
#
# Latin: Noto Serif Bold and Regular, cut to Latin, Latin-1, Latin
# Extended-A and -B, Latin Extended Additional (Vietnamese), general
# punctuation and a few symbols.
# Arabic: Noto Naskh Arabic Bold and Regular, cut to the Arabic blocks and
# their presentation forms, with the bidi marks.
# Japanese: the Japanese face of Noto Serif CJK Bold, cut to the
# ideographic punctuation, hiragana, katakana, the full- and half-width
# forms, and the 2,965 kanji of JIS X 0208 level 1 (the common kanji,
# nearly all of the jōyō list), with the Latin above. The full font is
# 27 MB; the subset is about 2 MB.
#
# Every OpenType layout feature is kept: Arabic joining forms and
# ligatures, kerning, vertical-free CJK punctuation widths.
set -eu
here=$(dirname "$0")
py=${PYTHON:-/usr/bin/python3}
pyftsubset() { "$py" -m fontTools.subset "$@"; }
noto=${NOTO:-/usr/share/fonts}
latin='U+0020-007E,U+00A0-024F,U+0259,U+02BB-02BC,U+02C6-02DD,U+0300-036F,U+1E00-1EFF,U+2000-206F,U+20AC,U+2122,U+2190-2193,U+2212,U+25CC,U+FEFF,U+FFFD'
arabic='U+0020-0040,U+00A0,U+00AB,U+00BB,U+0600-06FF,U+0750-077F,U+08A0-08FF,U+200B-200F,U+2010-2027,U+2066-2069,U+25CC,U+FB50-FDFF,U+FE70-FEFF'
kana='U+3000-303F,U+3040-309F,U+30A0-30FF,U+31F0-31FF,U+FF00-FFEF'
# JIS X 0208 rows 16 to 47 are level 1; EUC-JP puts them at 0xB0A1-0xCFD3.
kanji=$("$py" -c '
out = []
for hi in range(0xB0, 0xD0):
    for lo in range(0xA1, 0xFF):
        try:
            out.append("U+%04X" % ord(bytes([hi, lo]).decode("euc_jp")))
        except UnicodeDecodeError:
            pass
print(",".join(out))')
common="--layout-features=* --no-hinting --desubroutinize --name-IDs=* --name-languages=* --drop-tables+=DSIG"
pyftsubset "$noto/truetype/noto/NotoSerif-Bold.ttf" --unicodes="$latin" $common --output-file="$here/NotoSerif-Bold.ttf"
pyftsubset "$noto/truetype/noto/NotoSerif-Regular.ttf" --unicodes="$latin" $common --output-file="$here/NotoSerif-Regular.ttf"
pyftsubset "$noto/truetype/noto/NotoNaskhArabic-Bold.ttf" --unicodes="$arabic" $common --output-file="$here/NotoNaskhArabic-Bold.ttf"
pyftsubset "$noto/truetype/noto/NotoNaskhArabic-Regular.ttf" --unicodes="$arabic" $common --output-file="$here/NotoNaskhArabic-Regular.ttf"
# The collection's faces are Japanese, Korean, Simplified and Traditional
# Chinese, Hong Kong: find the Japanese one by name.
jp=$("$py" -c '
import sys
from fontTools.ttLib import TTCollection
for i, f in enumerate(TTCollection(sys.argv[1]).fonts):
    if f["name"].getDebugName(1).endswith(" JP"):
        print(i); break' "$noto/opentype/noto/NotoSerifCJK-Bold.ttc")
pyftsubset "$noto/opentype/noto/NotoSerifCJK-Bold.ttc" --font-number="$jp" --unicodes="$latin,$kana,$kanji" $common --output-file="$here/NotoSerifJP-Bold.otf"
