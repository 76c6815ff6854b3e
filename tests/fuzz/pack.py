#!/usr/bin/python3
"""pack.py - put files into one fuzzer input, in the files format of fuzz.h.

  pack.py OUT FILE...                      name NUL contents NUL ...
  pack.py --bundle FLAGS OUT BUNDLE_DIR    one flags byte, the folder's
                                           name, NUL, then its files

Names are the files' base names.  tests/fuzz/make-seeds.sh uses it to
make the seed corpora."""
import os
import sys


def pack(paths):
    out = b""
    for i, p in enumerate(paths):
        with open(p, "rb") as f:
            data = f.read()
        if b"\0" in data:
            sys.exit("%s holds a NUL byte" % p)
        out += os.path.basename(p).encode() + b"\0" + data
        if i + 1 < len(paths):
            out += b"\0"
    return out


def main():
    a = sys.argv[1:]
    if len(a) >= 3 and a[0] == "--bundle":
        flags, out, d = int(a[1], 0), a[2], a[3]
        files = sorted(os.path.join(d, n) for n in os.listdir(d))
        data = bytes([flags]) + os.path.basename(os.path.normpath(d)).encode() \
            + b"\0" + pack(files)
    elif len(a) >= 2 and a[0] != "--bundle":
        out, data = a[0], pack(a[1:])
    else:
        sys.exit(__doc__)
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
